"""radiomics_score passes remarkit.testing.check_unit (determinism, no leakage, apply, ...)."""

from __future__ import annotations

from pathlib import Path

import pytest

from remarkit.testing.conformance import CHECKS, check_unit
from tests.radiomics.study import PARAMS, write_study

#: Original image only (no wavelets): the checks run the study four times.
ORIGINAL_ONLY = PARAMS.replace("  Wavelet: {}\n", "")


def test_radiomics_score_conforms(tmp_path: Path) -> None:
    pytest.importorskip("radiomics")
    spec = write_study(tmp_path / "study", n=40, params=ORIGINAL_ONLY)
    report = check_unit(spec, "a_radiomics", work_dir=tmp_path / "work")
    report.raise_for_problems()
    assert set(report.passed) == set(CHECKS)
