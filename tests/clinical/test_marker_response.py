"""marker_response: train-only Youden threshold, frozen categories, bootstrap CI, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from remarkit import InputError, InputErrors, StatisticsError
from remarkit.plugins.marker_response.unit import MarkerResponse
from remarkit.report.render import ReportState, render_unit
from remarkit.report.templates import make_environment
from remarkit.stats import auc_ci, youden_threshold
from tests.clinical.conftest import VARIABLES, HarnessFactory, clinical_frame

PARAMS = {"baseline": "afp0", "follow_up": "afp1", "marker": "AFP", "bootstrap": 300}


def _expected_youden(frame: pd.DataFrame, limit: float = 7.0) -> tuple[float, float]:
    """Youden threshold and AUC recomputed from the raw table with remarkit.stats."""
    fit = (frame["set"] == "train") & (frame["afp0"] >= limit) & frame["afp1"].notna()
    part = frame[fit]
    decline = 100.0 * (part["afp0"] - part["afp1"]) / part["afp0"]
    y = (part["response"] == "yes").astype(int)
    return youden_threshold(y, decline).threshold, auc_ci(y, decline).auc


def test_threshold_is_fitted_on_train_and_equals_stats(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    result = harness(frame).run(MarkerResponse, PARAMS, unit_id="afp")
    threshold, auc = _expected_youden(frame)
    assert result.youden_threshold == pytest.approx(threshold, rel=1e-9)
    assert result.auc == pytest.approx(auc, rel=1e-12)
    assert result.threshold == result.youden_threshold
    assert result.threshold_source == "youden"
    assert result.bootstrap_lower <= result.youden_threshold <= result.bootstrap_upper
    # the REMARK profile's rows: the cut-off fit on the training set, then the categories per set
    fit, train, test = result.populations
    part = frame[frame["set"] == "train"]
    assert (fit.analysis, fit.sets, fit.endpoint, fit.n, fit.events) == (
        "cut-off fit",
        ["train"],
        "outcome",
        result.n_train_fit,
        result.n_train_events,
    )
    assert fit.n < len(part)  # normal baselines and missing follow-ups are not in the fit
    for declared, split in ((train, "train"), (test, "test")):
        rows = [c for c in result.counts if c.split == split]
        assert (declared.sets, declared.n, declared.events) == (
            [split],
            sum(c.n for c in rows),
            sum(c.events for c in rows),
        )
    # changing every test patient's values leaves the threshold unchanged
    shuffled = frame.copy()
    test = shuffled["set"] == "test"
    shuffled.loc[test, "afp1"] = shuffled.loc[test, "afp0"] * 0.99
    shuffled.loc[test, "response"] = shuffled.loc[test, "response"].iloc[::-1].to_numpy()
    again = harness(shuffled).run(MarkerResponse, PARAMS, unit_id="afp")
    assert again.youden_threshold == result.youden_threshold
    assert (again.bootstrap_lower, again.bootstrap_upper) == (
        result.bootstrap_lower,
        result.bootstrap_upper,
    )


def test_categories_apply_the_frozen_threshold_to_every_patient(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    result = harness(frame).run(MarkerResponse, PARAMS, unit_id="afp")
    response, decline = result.columns
    assert response.name == "response" and response.kind == "categorical"
    assert response.levels == ["non-responder", "normal baseline", "responder"]
    got = pd.Series(response.values, index=response.ids)
    raw = frame.set_index("pid")
    expected_decline = 100.0 * (raw["afp0"] - raw["afp1"]) / raw["afp0"]
    np.testing.assert_allclose(decline.values, expected_decline.to_numpy(), rtol=1e-9)
    expected = np.where(
        raw["afp0"] < 7,
        "normal baseline",
        np.where(expected_decline >= result.threshold, "responder", "non-responder"),
    )
    assert list(got) == list(expected)
    counts = {(c.split, c.category): (c.n, c.events) for c in result.counts}
    for split in ("train", "test"):
        for level in response.levels:
            mask = (raw["set"] == split) & (got == level)
            assert counts[(split, level)] == (
                int(mask.sum()),
                int((raw.loc[mask, "response"] == "yes").sum()),
            )


def test_clinical_threshold_replaces_youden_and_is_inclusive(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    frame.loc[0, ["set", "afp0", "afp1"]] = ["train", 100.0, 40.0]  # exactly a 60% decline
    frame.loc[1, ["set", "afp0", "afp1"]] = ["test", 100.0, 40.01]
    result = harness(frame).run(MarkerResponse, {**PARAMS, "clinical_threshold": 60}, unit_id="afp")
    assert result.threshold == 60.0 and result.threshold_source == "clinical"
    assert result.youden_threshold == pytest.approx(_expected_youden(frame)[0], rel=1e-9)
    values = dict(zip(result.columns[0].ids, result.columns[0].values, strict=True))
    assert values["P000"] == "responder"
    assert values["P001"] == "non-responder"
    fit = (frame["set"] == "train") & (frame["afp0"] >= 7)
    decline = 100.0 * (frame["afp0"] - frame["afp1"]) / frame["afp0"]
    y = frame["response"] == "yes"
    assert result.sensitivity == pytest.approx((decline[fit & y] >= 60).mean())
    assert result.specificity == pytest.approx((decline[fit & ~y] < 60).mean())


def test_custom_labels_and_normal_limit(harness: HarnessFactory) -> None:
    params = {
        **PARAMS,
        "normal_limit": 20.0,
        "responder_label": "AFP responder",
        "non_responder_label": "Non-AFP responder",
        "normal_label": "AFP < 20 ng/ml",
    }
    frame = clinical_frame()
    result = harness(frame).run(MarkerResponse, params, unit_id="afp")
    assert result.levels == ["Non-AFP responder", "AFP < 20 ng/ml", "AFP responder"]
    normal = dict(zip(result.columns[0].ids, result.columns[0].values, strict=True))
    low = frame.loc[frame["afp0"] < 20, "pid"]
    assert {normal[i] for i in low} == {"AFP < 20 ng/ml"}
    assert result.youden_threshold == pytest.approx(_expected_youden(frame, 20.0)[0], rel=1e-9)


def test_missing_follow_up_is_reported_not_guessed(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    elevated = frame.index[frame["afp0"] >= 7][:2]
    normal = frame.index[frame["afp0"] < 7][:1]
    frame["afp1"] = frame["afp1"].astype(object)
    frame.loc[[*elevated, *normal], "afp1"] = "NA"
    result = harness(frame).run(MarkerResponse, PARAMS, unit_id="afp")
    ids = frame.loc[[*elevated, *normal], "pid"].tolist()
    assert sorted(result.missing_follow_up) == sorted(ids)
    values = dict(zip(result.columns[0].ids, result.columns[0].values, strict=True))
    assert [values[i] for i in frame.loc[elevated, "pid"]] == [None, None]
    assert values[frame.loc[normal[0], "pid"]] == "normal baseline"
    declines = dict(zip(result.columns[1].ids, result.columns[1].values, strict=True))
    assert all(declines[i] is None for i in ids)
    assert any(
        "missing for 3 patient(s)" in w and "2 left unclassified" in w for w in result.warnings
    )
    assert sum(c.n for c in result.counts if c.category is None) == 2


@pytest.mark.parametrize(
    ("value", "message"),
    [(0.0, r"baseline value <= 0 for patient\(s\) P004"), ("NA", "baseline value missing")],
)
def test_zero_or_missing_baseline_names_the_patient(
    harness: HarnessFactory, value: object, message: str
) -> None:
    frame = clinical_frame()
    frame["afp0"] = frame["afp0"].astype(object)
    frame.loc[4, "afp0"] = value
    h = harness(frame)
    with pytest.raises(InputError, match=message) as info:
        h.run(MarkerResponse, PARAMS, unit_id="afp")
    assert "P004" in str(info.value) and "\n" not in str(info.value)


def test_non_numeric_marker_names_the_patient(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    frame["afp1"] = frame["afp1"].astype(object)
    frame.loc[7, "afp1"] = "<2.0"
    variables = {**VARIABLES, "afp1": 'type = "categorical"'}
    with pytest.raises(InputError, match=r"non-numeric values for patient\(s\) P007$"):
        harness(frame, variables).run(MarkerResponse, PARAMS, unit_id="afp")
    # declared continuous, the cohort validator rejects it first, naming the row
    with pytest.raises(InputErrors, match=r"non-numeric value\(s\) '<2.0' in row 9"):
        harness(frame)


def test_declared_categorical_numeric_marker_is_rejected(harness: HarnessFactory) -> None:
    variables = {**VARIABLES, "afp0": 'type = "categorical"'}
    with pytest.raises(InputError, match="declared categorical"):
        harness(clinical_frame(), variables).run(MarkerResponse, PARAMS, unit_id="afp")


def test_negative_follow_up_is_an_error(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    frame.loc[2, "afp1"] = -1.0
    with pytest.raises(InputError, match="negative follow-up value for patient"):
        harness(frame).run(MarkerResponse, PARAMS, unit_id="afp")


def test_one_outcome_among_fit_patients_is_an_error(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    frame.loc[(frame["set"] == "train") & (frame["afp0"] >= 7), "response"] = "yes"
    with pytest.raises(StatisticsError, match="needs both outcomes"):
        harness(frame).run(MarkerResponse, PARAMS, unit_id="afp")


def test_bad_params_are_rejected() -> None:
    with pytest.raises(ValidationError, match="labels must differ"):
        MarkerResponse.Params.model_validate({**PARAMS, "responder_label": "non-responder"})
    with pytest.raises(ValidationError):
        MarkerResponse.Params.model_validate({**PARAMS, "normal_limit": 0})
    with pytest.raises(ValidationError):
        MarkerResponse.Params.model_validate({**PARAMS, "bootstrap": 10})


def test_deterministic_and_seeded(harness: HarnessFactory) -> None:
    h = harness()
    a = h.run(MarkerResponse, PARAMS, unit_id="afp")
    b = h.run(MarkerResponse, PARAMS, unit_id="afp")
    assert a.model_dump_json() == b.model_dump_json()
    c = h.run(MarkerResponse, PARAMS, unit_id="other")  # another unit id seeds another stream
    assert (c.bootstrap_lower, c.bootstrap_upper) != (a.bootstrap_lower, a.bootstrap_upper)


def test_fragment_renders(harness: HarnessFactory) -> None:
    h = harness()
    result = h.run(MarkerResponse, {**PARAMS, "clinical_threshold": 60}, unit_id="afp")
    record = {"id": "afp", "result": result.model_dump(mode="json")}
    html = render_unit(make_environment(), record, ReportState(h.out))
    assert "Youden-optimal decline threshold" in html
    assert "60% (pre-specified clinical threshold)" in html
    assert html.count("<figure") == 2


def test_decline_without_any_separating_threshold(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    yes = frame["response"] == "yes"
    frame["afp0"] = 100.0
    frame["afp1"] = np.where(yes, 90.0, 10.0)  # every event declines less than every non-event
    h = harness(frame)
    with pytest.raises(StatisticsError, match="no finite decline threshold"):
        h.run(MarkerResponse, PARAMS, unit_id="afp")
    result = h.run(MarkerResponse, {**PARAMS, "clinical_threshold": 50}, unit_id="afp")
    assert result.youden_threshold is None and result.bootstrap_lower is None
    assert result.threshold == 50 and result.auc == 0.0
    assert any("no finite Youden-optimal threshold" in w for w in result.warnings)


def test_clinical_threshold_is_reported_as_pre_specified(harness: HarnessFactory) -> None:
    """A threshold given in the spec is 'pre-specified', never 'fixed on the training set'."""
    params = {**PARAMS, "clinical_threshold": 60}
    result = harness(clinical_frame()).run(MarkerResponse, params, unit_id="afp")
    text = MarkerResponse().methods(result, MarkerResponse.Params.model_validate(params))
    assert "pre-specified threshold was applied unchanged to the training set" in text
    assert "fixed on the training set" not in text
