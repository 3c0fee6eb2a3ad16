"""Loaders for the agreement references written by tests/reference/agreement.R."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.testing import assert_allclose

REF = Path(__file__).resolve().parent.parent / "reference"
RTOL = 1e-9  # closed-form statistics (DESIGN.md section 7)
ATOL = 1e-14  # for values that are zero up to rounding


def data(name: str) -> pd.DataFrame:
    """One of the agreement_*_data.csv tables (empty cells are missing)."""
    return pd.read_csv(REF / f"agreement_{name}_data.csv")


@cache
def _expected() -> dict[str, dict[str, float]]:
    table = pd.read_csv(REF / "agreement_expected.csv", keep_default_na=False)
    out: dict[str, dict[str, float]] = {}
    for case, quantity, value in table.itertuples(index=False):
        out.setdefault(case, {})[quantity] = float(value) if value != "" else float("nan")
    return out


def expected(case: str) -> dict[str, float]:
    """The reference values of one case (e.g. 'icc/main/0.05/ICC2')."""
    return _expected()[case]


def cases(prefix: str) -> list[str]:
    """All case names starting with ``prefix``."""
    return [c for c in _expected() if c.startswith(prefix)]


def check(actual: object, exp: dict[str, float], names: list[str] | None = None) -> None:
    """Assert ``actual.<quantity>`` equals R's value for every (or each named) quantity."""
    for key in names if names is not None else list(exp):
        got = getattr(actual, key)
        assert got is not None, key
        assert_allclose(float(got), exp[key], rtol=RTOL, atol=ATOL, err_msg=key)


def max_relative_difference(pairs: list[tuple[float, float]]) -> float:
    """Largest |a - b| / |b| over pairs (b nonzero); for the report of observed differences."""
    rel = [abs(a - b) / abs(b) for a, b in pairs if b != 0 and np.isfinite(b)]
    return max(rel) if rel else 0.0
