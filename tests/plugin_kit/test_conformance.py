"""remarkit.testing.check_unit over every built-in unit that needs no images (the image units:
tests/radiomics and tests/deep_learning), and the checks themselves failing on broken units."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from remarkit.demo import DEFAULT_SEED
from remarkit.demo.acquisition import add_second_laboratory
from remarkit.engine.plugin_manager import make_plugin_manager
from remarkit.testing import add_units, write_synthetic_study
from remarkit.testing.conformance import (
    CHECKS,
    UnitCheck,
    UnitCheckError,
    check_unit,
    check_units,
    external_spec_text,
)

PROBABILITY = [
    {"column": "clin.probability", "label": "Clinical model"},
    {"column": "clin_afp.probability", "label": "Clinical model with AFP response"},
]
GROUPED = {"score": "clin.probability", "score_label": "Clinical model"}

#: One table per built-in unit that runs on the synthetic study (no images).
CATALOGUE: list[dict[str, Any]] = [
    {"id": "readers", "use": "semantic_agreement"},
    {
        "id": "afp",
        "use": "marker_response",
        "baseline": "afp_baseline",
        "follow_up": "afp_1month",
        "marker": "AFP",
        "normal_limit": 7.0,
        "clinical_threshold": 60.0,
        "bootstrap": 200,
    },
    {
        "id": "afp_repro",
        "use": "marker_reproducibility",
        "first": "afp_baseline",
        "second": "afp_baseline_lab2",
        "log": True,
    },
    {"id": "table1", "use": "baseline_table", "by": "split", "variables": ["sex", "platelets"]},
    {"id": "uni", "use": "univariable_logistic", "variables": ["platelets", "afp.response"]},
    {
        "id": "multi",
        "use": "multivariable_logistic",
        "univariable": "uni",
        "p_threshold": 1.0,
        "variables": ["platelets", "afp.response"],
    },
    {"id": "clin", "use": "logistic_model", "variables": ["platelets", "dilated_vasculature"]},
    {
        "id": "clin_afp",
        "use": "logistic_integrator",
        "variables": ["clin.linear_predictor", "afp.response"],
    },
    {"id": "performance", "use": "discrimination", "scores": PROBABILITY},
    {"id": "comparison", "use": "model_comparison", "scores": PROBABILITY},
    {"id": "calibration", "use": "calibration", "scores": PROBABILITY},
    {"id": "km", "use": "survival_stratification", "scores": PROBABILITY},
    {"id": "by_mrecist", "use": "group_comparison", "group": "mrecist", "scores": PROBABILITY},
    {"id": "dca", "use": "decision_curve", "population": "test", "scores": PROBABILITY},
    {
        "id": "validation",
        "use": "internal_validation",
        "n_boot": 20,
        "models": [{"label": "Clinical", "predictors": ["platelets", "dilated_vasculature"]}],
    },
    {
        "id": "cox_uni",
        "use": "univariable_cox",
        "endpoint": "survival",
        "variables": ["afp_baseline", "platelets"],
    },
    {
        "id": "cox",
        "use": "multivariable_cox",
        "endpoint": "survival",
        "marker": "afp_baseline",
        "adjust": ["platelets"],
        "scale": {"afp_baseline": "log2"},
        "horizons": [12],
    },
    {
        "id": "ph",
        "use": "proportional_hazards",
        "endpoint": "survival",
        "variables": ["afp_baseline", "platelets"],
    },
    {
        "id": "c_index",
        "use": "survival_discrimination",
        "endpoint": "survival",
        "scores": [{"column": "cox.lp", "label": "Cox model"}],
        "horizons": [12],
    },
    {
        "id": "cox_calibration",
        "use": "survival_calibration",
        "endpoint": "survival",
        "lp": "cox.lp",
        "survival": "cox.surv_12",
        "horizon": 12,
    },
    {"id": "gene_sets", "use": "ssgsea_association", **GROUPED},
    {"id": "tmb", "use": "mutation_burden", **GROUPED},
    {"id": "neoantigens", "use": "neoantigen_load", **GROUPED},
]
IMAGE_UNITS = {"radiomics_score", "deep_score"}


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, UnitCheck]:
    root = tmp_path_factory.mktemp("conformance")
    spec = write_synthetic_study(root / "study", patients=80, genomics=True)
    table = spec.parent / "cohort.csv"  # the demo's second laboratory, for afp_repro
    add_second_laboratory(pd.read_csv(table), seed=DEFAULT_SEED).to_csv(table, index=False)
    with spec.open("a", encoding="utf-8") as handle:
        handle.write('\n[cohort.variables.afp_baseline_lab2]\ntype = "continuous"\n')
    return check_units(add_units(spec, CATALOGUE, name="all"), work_dir=root / "work")


def test_the_catalogue_covers_every_built_in_unit_but_the_image_units() -> None:
    registered = {
        name
        for name, origin in make_plugin_manager().units().origins.items()
        if origin.distribution == "remarkit"
    }
    assert registered - IMAGE_UNITS == {t["use"] for t in CATALOGUE}


@pytest.mark.parametrize("unit_id", [t["id"] for t in CATALOGUE])
def test_built_in_unit_conforms(checked: dict[str, UnitCheck], unit_id: str) -> None:
    report = checked[unit_id]
    report.raise_for_problems()
    assert {"runs", "schema", "fragment", "methods", "determinism"} <= set(report.passed)
    assert set(report.passed) | set(report.skipped) == set(CHECKS)


def test_fitted_units_are_applied_and_checked_for_leakage(checked: dict[str, UnitCheck]) -> None:
    for unit_id in ("afp", "clin", "clin_afp", "cox"):
        assert {"leakage", "apply"} <= set(checked[unit_id].passed), checked[unit_id]
    assert checked["performance"].skipped["apply"] == "the unit has no apply"


def test_external_spec_text_drops_units_and_flow_only() -> None:
    text = (
        '[study]\ntitle = "t"\n\n[cohort]\ntable = "c.csv"\nid = "pid"\n\n'
        '[[cohort.flow]]\nlabel = "all"\nn = 3\n\n[cohort.variables.age]\ntype = "continuous"\n\n'
        '[[unit]]\nid = "a"\nuse = "x"\n\n[unit.scale]\nage = "sd"\n\n[images]\nmanifest = "m"\n'
    )
    out = external_spec_text(text)
    assert "[[unit]]" not in out and "flow" not in out and "[unit.scale]" not in out
    assert "[cohort.variables.age]" in out and "[images]" in out


def test_a_leaking_unit_fails(tmp_path: Path, test_plugin_installed: str) -> None:
    """A unit whose derived column uses the test set's outcomes fails the leakage check."""
    spec = write_synthetic_study(
        tmp_path / "study", units=[{"id": "leak", "use": "test_outcome_leak"}], patients=40
    )
    report = check_unit(spec, "leak", work_dir=tmp_path / "work")
    assert any(p.startswith("leakage: derived column 'score'") for p in report.problems)
    with pytest.raises(UnitCheckError, match="fails conformance"):
        report.raise_for_problems()


def test_unknown_check_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown checks"):
        check_unit(tmp_path / "study.toml", "x", work_dir=tmp_path, checks=["speed"])
