"""Patients with a missing outcome leave the outcome analyses unchanged: the R references hold.

The reference cohort of tests/reference/clinical_units.R gets extra patients whose outcome is
missing (copies of training and test patients with other predictor values, which would move every
estimate if they entered a fit). The marker threshold, the univariable and multivariable logistic
fits and the clinical model must still equal R's values on the complete cohort, and the model must
still score the extra patients.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from remarkit.plugins.clinical.baseline_table import BaselineTable
from remarkit.plugins.clinical.logistic_model import LogisticModel
from remarkit.plugins.clinical.multivariable_logistic import MultivariableLogistic
from remarkit.plugins.clinical.univariable_logistic import UnivariableLogistic
from remarkit.plugins.marker_response.unit import MarkerResponse
from tests.clinical.conftest import Harness, HarnessFactory
from tests.clinical.test_reference_r import (
    AFP,
    CANDIDATES,
    CLOSED,
    FITTED,
    REFERENCE,
    _check_terms,
    _value,
    _variables,
)

EXTRA = 12


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "clinical_units_expected.csv", dtype={"value": float})


def _with_unknown_outcomes() -> tuple[pd.DataFrame, list[str], list[str]]:
    frame = pd.read_csv(REFERENCE / "clinical_units_cohort.csv", keep_default_na=False)
    frame = frame.rename(columns={"patient_id": "pid"})
    frame["response"] = frame["response"].map({"DCB": "yes", "Non-DCB": "no"})
    extra = frame.iloc[:EXTRA].copy()
    extra["pid"] = [f"NEW-{i:02d}" for i in range(EXTRA)]
    extra["response"] = ""  # missing
    extra["platelets"] = pd.to_numeric(extra["platelets"]) * 3
    extra["dilated_vasculature"] = "Yes"
    extra["afp_1month"] = pd.to_numeric(extra["afp_baseline"]) * 0.05  # a 95% decline
    extra["afp_baseline"] = pd.to_numeric(extra["afp_baseline"]).clip(lower=50)
    train = extra.loc[extra["set"] == "train", "pid"].tolist()
    test = extra.loc[extra["set"] == "test", "pid"].tolist()
    assert train and test
    return pd.concat([frame, extra], ignore_index=True), train, test


@pytest.fixture
def study(harness: HarnessFactory) -> tuple[Harness, list[str], list[str]]:
    frame, train, test = _with_unknown_outcomes()
    h = harness(frame, _variables())
    assert int(h.cohort.outcome.isna().sum()) == EXTRA
    h.run(MarkerResponse, AFP, unit_id="afp")
    return h, train, test


def test_marker_threshold_ignores_unknown_outcomes(
    study: tuple[Harness, list[str], list[str]], expected: pd.DataFrame
) -> None:
    h, train, _ = study
    result = h.results["afp"]
    want = _value(expected, "afp", "youden", "threshold")
    assert result.youden_threshold == pytest.approx(want, rel=CLOSED)
    assert result.auc == pytest.approx(_value(expected, "afp", "auc", "auc"), rel=CLOSED)
    counts = {c.category: c.n for c in result.counts if c.split == "train"}
    for level in result.levels:
        assert counts[level] == _value(expected, "afp", "count_train", level)
    assert sum(c.missing_outcome for c in result.counts) == EXTRA
    assert [(e.reason, e.ids) for e in result.exclusions] == [("missing outcome", train)]
    category = dict(zip(result.columns[0].ids, result.columns[0].values, strict=True))
    assert all(category[pid] is not None for pid in train)  # still classified


def test_logistic_units_on_complete_cases_equal_r(
    study: tuple[Harness, list[str], list[str]], expected: pd.DataFrame
) -> None:
    h, train, test = study
    uni = h.run(UnivariableLogistic, {"variables": CANDIDATES}, unit_id="uni", upstream=("afp",))
    assert _check_terms(uni.variables, expected, "univariable", None) < FITTED
    assert uni.exclusions[0].reason == "missing outcome" and uni.exclusions[0].ids == train
    assert any(
        f"{len(train)} training patient(s) with a missing outcome" in w for w in uni.warnings
    )
    multi = h.run(
        MultivariableLogistic,
        {"variables": CANDIDATES, "univariable": "uni"},
        unit_id="multi",
        upstream=("afp", "uni"),
    )
    assert _check_terms(multi.variables, expected, "multivariable", "model") < FITTED
    assert multi.n == _value(expected, "multivariable", "model", "n")
    model = h.run(
        LogisticModel,
        {"variables": ["afp.response", "platelets", "dilated_vasculature"]},
        unit_id="clinical_afp",
        upstream=("afp",),
    )
    assert _check_terms(model.variables, expected, "clinical_afp", "model") < FITTED
    probability = dict(zip(model.columns[0].ids, model.columns[0].values, strict=True))
    want = expected[(expected.section == "clinical_afp") & (expected.key == "probability")]
    for pid, value in zip(want.term, want.value, strict=True):
        assert probability[pid] == pytest.approx(value, rel=FITTED)
    for pid in train + test:  # a patient whose outcome is missing is still scored
        value = probability[pid]
        assert value is not None and 0.0 < float(value) < 1.0
    reasons = [e.reason for e in model.exclusions]
    assert reasons[0] == "missing outcome" and model.exclusions[0].ids == train


def test_baseline_table_by_outcome_leaves_unknown_outcomes_out(
    study: tuple[Harness, list[str], list[str]],
) -> None:
    h, train, test = study
    result = h.run(BaselineTable, {"variables": ["platelets"], "by": "outcome"}, unit_id="t")
    assert result.n == int(h.cohort.outcome.notna().sum())
    assert sum(g.n for g in result.groups) == result.n
    assert result.exclusions[0].ids == sorted(train + test, key=lambda p: int(p[4:]))
    assert np.isfinite(result.rows[0].p_value)
