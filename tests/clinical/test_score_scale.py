"""Scores per training SD (issue 20.7) and cross-fitted training scores (issue 20.4).

Against R (tests/reference/score_scale.R: the clinical model's predicted probability as the
score, glm on score / sd(score) of the training patients; fitted models 1e-6 relative, Wald p
1e-5): logistic_model, logistic_integrator (in-sample training scores) and univariable_logistic
report a score derived by an upstream unit per SD by default, never per 0-1 unit.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from remarkit.modeling.crossfit import crossfit_folds
from remarkit.plugins.clinical.logistic_model import LogisticModel
from remarkit.plugins.clinical.univariable_logistic import UnivariableLogistic
from remarkit.plugins.integrators.unit import LogisticIntegrator
from remarkit.report.render import ReportState, render_unit
from remarkit.report.templates import make_environment
from remarkit.stats import logistic_regression
from tests.clinical.conftest import Harness, HarnessFactory

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
FITTED, FITTED_P = 1e-6, 1e-5
SCORE = "clin.probability"


def _expected() -> dict[tuple[str, str, str], float]:
    table = pd.read_csv(REFERENCE / "score_scale_expected.csv")
    return {(r.section, r.key, r.term): float(r.value) for r in table.itertuples()}


def _cohort() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "score_scale_cohort.csv")


@pytest.fixture
def h(harness: HarnessFactory) -> Harness:
    run = harness(_cohort())
    run.run(LogisticModel, {"variables": ["platelets", "vessel"]}, unit_id="clin")
    return run


def _check(row: object, section: str, key: str) -> None:
    expected = _expected()
    assert row.odds_ratio == pytest.approx(expected[(section, key, "odds_ratio")], rel=FITTED)  # type: ignore[attr-defined]
    assert row.lower == pytest.approx(expected[(section, key, "lower")], rel=FITTED)  # type: ignore[attr-defined]
    assert row.upper == pytest.approx(expected[(section, key, "upper")], rel=FITTED)  # type: ignore[attr-defined]
    assert row.p_value == pytest.approx(expected[(section, key, "p_value")], rel=FITTED_P)  # type: ignore[attr-defined]


def test_logistic_model_reports_a_score_per_training_sd(h: Harness) -> None:
    result = h.run(
        LogisticModel, {"variables": [SCORE, "age"]}, unit_id="model", upstream=("clin",)
    )
    rows = {v.variable: v for v in result.variables}
    scale = rows[SCORE].scale
    assert scale is not None and scale.scale == "sd"
    assert scale.factor == pytest.approx(_expected()[("factor", SCORE, "sd")], rel=1e-9)
    assert scale.n == _expected()[("factor", SCORE, "n")]
    _check(rows[SCORE].terms[0], "model", SCORE)
    _check(rows["age"].terms[0], "model", "age")  # a cohort variable stays per 1 unit
    assert rows["age"].scale is not None and rows["age"].scale.scale == "unit"
    # the frozen coefficient stays per 1 unit (R's per-unit fit)
    coef = next(c.coef for c in result.coefficients if c.term == SCORE)
    assert math.exp(coef) == pytest.approx(
        _expected()[("model_per_unit", SCORE, "odds_ratio")], rel=FITTED
    )
    assert "per SD = 0.152" in LogisticModel().methods(
        result, LogisticModel.Params(variables=[SCORE, "age"])
    )


def test_per_unit_on_request(h: Harness) -> None:
    result = h.run(
        LogisticModel,
        {"variables": [SCORE, "age"], "scale": {SCORE: "unit"}},
        unit_id="model",
        upstream=("clin",),
    )
    row = next(v for v in result.variables if v.variable == SCORE)
    _check(row.terms[0], "model_per_unit", SCORE)


def test_integrator_in_sample_reports_per_sd_and_renders_the_label(h: Harness) -> None:
    params = {"variables": [SCORE, "age"], "training_scores": "in-sample", "nomogram": False}
    result = h.run(LogisticIntegrator, params, unit_id="integ", upstream=("clin",))
    rows = {v.variable: v for v in result.variables}
    _check(rows[SCORE].terms[0], "model", SCORE)
    assert [s.source for s in result.score_sources] == ["in-sample", "measured"]
    assert result.cv_auc is None and not any(c.name.endswith("_oof") for c in result.columns)
    html = str(
        render_unit(
            make_environment(), {"result": result.model_dump(mode="json")}, ReportState(h.out)
        )
    )
    assert "per SD = 0.152" in html


def test_univariable_reports_a_score_per_sd(h: Harness) -> None:
    result = h.run(UnivariableLogistic, {"variables": [SCORE]}, unit_id="uni", upstream=("clin",))
    _check(result.variables[0].terms[0], "univariable", SCORE)


def test_cross_fitted_integrator_fits_on_out_of_fold_scores(h: Harness) -> None:
    """The default: training rows carry the clinical model's out-of-fold probabilities."""
    params = {"variables": [SCORE, "age"], "nomogram": False}
    result = h.run(LogisticIntegrator, params, unit_id="integ", upstream=("clin",))
    assert result.training_scores == "cross-fitted"
    assert [(s.source, s.column) for s in result.score_sources] == [
        ("cross-fitted", f"{SCORE}_oof"),
        ("measured", None),
    ]
    cohort = h.cohort.with_derived("clin", h.results["clin"].columns)
    train = cohort.data[cohort.train].copy()
    train[SCORE] = train[f"{SCORE}_oof"]
    train["y"] = cohort.outcome[cohort.train]
    ref = logistic_regression(train, "y", [SCORE, "age"]).table.set_index("term")
    for coef in result.coefficients:
        assert coef.coef == pytest.approx(float(ref.loc[coef.term, "coef"]), rel=1e-9)
    in_sample = h.run(
        LogisticIntegrator,
        {**params, "training_scores": "in-sample"},
        unit_id="integ2",
        upstream=("clin",),
    )
    assert in_sample.coefficients[1].coef != pytest.approx(result.coefficients[1].coef, rel=1e-3)
    # the OOF score of the upstream model is its k-fold refit (stratified folds, study seed)
    assert result.apparent_auc is not None and result.cv_auc is not None
    scale = next(v.scale for v in result.variables if v.variable == SCORE)
    assert scale is not None
    assert scale.factor == pytest.approx(float(train[SCORE].std(ddof=1)), rel=1e-12)
    folds = crossfit_folds(train["y"].to_numpy(dtype=int), 5, h.study.study.seed)
    assert sorted(np.bincount(folds).tolist()) == [24, 24, 24, 24, 24]
    methods = LogisticIntegrator().methods(result, LogisticIntegrator.Params(**params))
    assert "cross-fitted training scores" in methods and "out-of-fold" in methods


def test_integrator_report_says_which_training_scores(h: Harness) -> None:
    params = {"variables": [SCORE, "age"], "nomogram": False, "labels": {SCORE: "Clin score"}}
    result = h.run(LogisticIntegrator, params, unit_id="integ", upstream=("clin",))
    html = str(
        render_unit(
            make_environment(), {"result": result.model_dump(mode="json")}, ReportState(h.out)
        )
    )
    assert 'Training scores (training_scores = "cross-fitted"): cross-fitted' in html.replace(
        "&#34;", '"'
    )
    assert "of the upstream unit&#39;s k-fold refits) for Clin score." in html
    assert f"out-of-fold {result.cv_auc:.3f}" in html
