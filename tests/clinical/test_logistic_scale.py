"""Scales of continuous predictors in univariable_logistic / multivariable_logistic (issue 13).

Against R (tests/reference/logistic_scale.R: glm on x / sd(x), x / IQR(x), log2(x) on the demo
cohort's training set; fitted models 1e-6 relative, Wald p 1e-5 as test_reference_r.py), and
against the per-unit fit: a per-SD fit is the per-unit fit with the coefficient multiplied by
the SD (the same likelihood), so exp(coef_per_unit * SD) and a fit on x / SD give its numbers.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from remarkit import InputError, RemarkitWarning
from remarkit.plugins.clinical._forest import forest_rows
from remarkit.plugins.clinical.multivariable_logistic import MultivariableLogistic
from remarkit.plugins.clinical.univariable_logistic import UnivariableLogistic
from remarkit.report.formatting import sig
from remarkit.report.render import ReportState, render_unit
from remarkit.report.templates import make_environment
from remarkit.stats.logistic import logistic_regression
from tests.clinical.conftest import HarnessFactory, clinical_frame
from tests.clinical.test_reference_r import REFERENCE, _variables

FITTED, FITTED_P = 1e-6, 1e-5
REL = 1e-8  # iterative fits: the scaled and unscaled MLEs agree to the solver's tolerance


def _train(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["set"] == "train"]


def _sd(frame: pd.DataFrame, column: str) -> float:
    return float(_train(frame)[column].dropna().std(ddof=1))


def _iqr(frame: pd.DataFrame, column: str) -> float:
    q1, q3 = np.percentile(_train(frame)[column].dropna(), [25.0, 75.0])
    return float(q3 - q1)


def _html(result: object, out: object) -> str:
    dumped = result.model_dump(mode="json")  # type: ignore[attr-defined]
    return str(render_unit(make_environment(), {"result": dumped}, ReportState(out)))  # type: ignore[arg-type]


def test_univariable_per_sd_iqr_log2(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    frame.loc[frame["set"] == "test", "platelets"] *= 3  # test patients must not move the SD
    h = harness(frame)
    columns = ["age", "platelets", "afp0", "stage"]
    unit = h.run(UnivariableLogistic, {"variables": columns}, unit_id="unit")
    scaled = h.run(
        UnivariableLogistic,
        {"variables": columns, "scale": {"platelets": "sd", "age": "iqr", "afp0": "log2"}},
        unit_id="scaled",
    )
    by_unit = {v.variable: v for v in unit.variables}
    by_scaled = {v.variable: v for v in scaled.variables}
    sd, iqr = _sd(frame, "platelets"), _iqr(frame, "age")
    assert sd != pytest.approx(float(frame["platelets"].std(ddof=1)), rel=1e-3)
    assert by_scaled["platelets"].scale is not None
    assert by_scaled["platelets"].scale.factor == pytest.approx(sd, rel=1e-12)
    assert by_scaled["age"].scale is not None
    assert by_scaled["age"].scale.factor == pytest.approx(iqr, rel=1e-12)
    assert by_scaled["stage"].scale is None
    for column, factor in (("platelets", sd), ("age", iqr)):
        per_unit, per_step = by_unit[column].terms[0], by_scaled[column].terms[0]
        assert per_step.coef == pytest.approx(per_unit.coef * factor, rel=REL)
        assert per_step.odds_ratio == pytest.approx(math.exp(per_unit.coef * factor), rel=REL)
        assert per_step.lower == pytest.approx(per_unit.lower**factor, rel=REL)
        assert per_step.upper == pytest.approx(per_unit.upper**factor, rel=REL)
        assert per_step.p_value == pytest.approx(per_unit.p_value, rel=1e-6)
        assert (per_step.n, per_step.events) == (per_unit.n, per_unit.events)
    # the same numbers as a fit on the pre-scaled variable
    train = _train(frame)
    data = pd.DataFrame(
        {
            "platelets": train["platelets"] / sd,
            "afp0": np.log2(train["afp0"]),
            "y": (train["response"] == "yes").astype(float),
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RemarkitWarning)
        for column in ("platelets", "afp0"):
            ref = logistic_regression(data, "y", [column]).table.iloc[1]
            term = by_scaled[column].terms[0]
            assert term.odds_ratio == pytest.approx(ref.odds_ratio, rel=1e-12)
            assert term.lower == pytest.approx(ref.lower, rel=1e-12)
            assert term.p_value == pytest.approx(ref.p_value, rel=1e-12)
    # forest labels and Methods use ScaleFit.phrase (as the Cox units), tables the sig filter
    labels = [r.label for r in forest_rows(scaled.variables)]
    assert f"Platelets, per SD = {sd:.3g}" in labels
    assert f"Age, per IQR = {iqr:.3g} years" in labels
    assert "AFP baseline, per doubling" in labels
    html = _html(scaled, h.out)
    assert f"Platelets, per SD = {sig(sd, 3)}" in html
    assert (
        f"Continuous variables are per 1 unit except Age per IQR = {sig(iqr, 3)} years; "
        f"Platelets per SD = {sig(sd, 3)}; AFP baseline per doubling (SD and IQR of the "
        "training patients with a value, type-7 quartiles)."
    ) in html
    params = UnivariableLogistic.Params(variables=columns, scale={"platelets": "sd"})
    text = UnivariableLogistic().methods(scaled, params)
    assert f"Platelets per SD = {sd:.3g}" in text and "AFP baseline per doubling" in text
    assert "type-7 quartiles, of the training patients with a value" in text


def test_default_stays_per_unit(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    h = harness(frame)
    default = h.run(UnivariableLogistic, {"variables": ["age", "stage"]}, unit_id="d")
    explicit = h.run(
        UnivariableLogistic, {"variables": ["age", "stage"], "scale": {"age": "unit"}}, unit_id="e"
    )
    age = default.variables[0]
    assert age.scale is not None and (age.scale.scale, age.scale.factor) == ("unit", 1.0)
    assert age.terms == explicit.variables[0].terms
    train = _train(frame)
    data = pd.DataFrame({"age": train["age"], "y": (train["response"] == "yes").astype(float)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RemarkitWarning)
        ref = logistic_regression(data, "y", ["age"]).table.iloc[1]
    assert (age.terms[0].odds_ratio, age.terms[0].p_value) == (ref.odds_ratio, ref.p_value)
    html = _html(default, h.out)
    assert "Age (years)" in html and "Continuous variables are per 1 unit." in html
    assert "except" not in UnivariableLogistic().methods(
        default, UnivariableLogistic.Params(variables=["age"])
    )


def test_multivariable_per_sd_and_imputation(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    rng = np.random.default_rng(2)
    frame.loc[rng.random(len(frame)) < 0.15, "platelets"] = np.nan
    h = harness(frame)
    columns = ["age", "platelets", "vessel"]
    sd = _sd(frame, "platelets")
    for missing in ({}, {"missing": "multiple_imputation", "imputations": 4, "iterations": 3}):
        unit = h.run(MultivariableLogistic, {"variables": columns, **missing}, unit_id="m")
        scaled = h.run(
            MultivariableLogistic,
            {"variables": columns, "scale": {"platelets": "sd"}, **missing},
            unit_id="m",  # same id: same imputation draws
        )
        per_unit = next(v for v in unit.variables if v.variable == "platelets").terms[0]
        fit = next(v for v in scaled.variables if v.variable == "platelets")
        assert fit.scale is not None and fit.scale.factor == pytest.approx(sd, rel=1e-12)
        assert fit.scale.n == int(_train(frame)["platelets"].notna().sum())
        per_sd = fit.terms[0]
        assert per_sd.odds_ratio == pytest.approx(math.exp(per_unit.coef * sd), rel=REL)
        assert per_sd.upper == pytest.approx(per_unit.upper**sd, rel=REL)
        assert per_sd.p_value == pytest.approx(per_unit.p_value, rel=1e-6)
        others = [t for v in unit.variables if v.variable != "platelets" for t in v.terms]
        again = [t for v in scaled.variables if v.variable != "platelets" for t in v.terms]
        for a, b in zip(others, again, strict=True):
            assert b.odds_ratio == pytest.approx(a.odds_ratio, rel=REL)
        assert [r.gvif for r in scaled.vif] == pytest.approx([r.gvif for r in unit.vif], rel=1e-8)
        params = MultivariableLogistic.Params(variables=columns, **missing)
        text = MultivariableLogistic().methods(scaled, params)
        where = "observed (not imputed) values" if missing else "training patients with a value"
        assert f"Platelets per SD = {sd:.3g}" in text and where in text


def test_bad_scales(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    first_train = frame.index[frame["set"] == "train"][0]
    frame.loc[first_train, "age"] = 0.0
    frame.loc[frame["set"] == "test", "afp0"] = -1.0  # test values never reach the scale
    h = harness(frame)
    with pytest.raises(InputError) as err:
        h.run(UnivariableLogistic, {"variables": ["age"], "scale": {"age": "log2"}}, unit_id="a")
    text = str(err.value)
    assert "'age'" in text and "<= 0" in text and "scale.age" in text and "\n" not in text
    ok = h.run(UnivariableLogistic, {"variables": ["afp0"], "scale": {"afp0": "log2"}}, unit_id="b")
    assert ok.variables[0].terms
    with pytest.raises(InputError, match="'stage', which is categorical"):
        h.run(UnivariableLogistic, {"variables": ["stage"], "scale": {"stage": "sd"}}, unit_id="c")
    with pytest.raises(ValidationError, match="scale given for variables not analysed"):
        UnivariableLogistic.Params(variables=["age"], scale={"bmi": "sd"})
    with pytest.raises(ValidationError):
        UnivariableLogistic.Params(variables=["age"], scale={"age": "per10"})  # type: ignore[dict-item]
    h.run(UnivariableLogistic, {"variables": ["age", "platelets"]}, unit_id="uni")
    with pytest.raises(InputError, match="'platelets' is on scale 'sd' here but 'unit' in unit"):
        h.run(
            MultivariableLogistic,
            {"variables": ["age", "platelets"], "univariable": "uni", "scale": {"platelets": "sd"}},
            unit_id="multi",
            upstream=("uni",),
        )


def test_scales_against_r(harness: HarnessFactory) -> None:
    expected = pd.read_csv(REFERENCE / "logistic_scale_expected.csv", dtype={"value": float})
    ref = {(r.section, r.key, r.term): r.value for r in expected.itertuples(index=False)}
    frame = pd.read_csv(REFERENCE / "clinical_units_cohort.csv", keep_default_na=False)
    frame = frame.rename(columns={"patient_id": "pid"})
    frame["response"] = frame["response"].map({"DCB": "yes", "Non-DCB": "no"})
    h = harness(frame, _variables())
    scale = {"platelets": "sd", "tumor_size_mm": "iqr", "nlr": "sd", "afp_baseline": "log2"}
    uni = h.run(UnivariableLogistic, {"variables": list(scale), "scale": scale}, unit_id="uni")
    multi = h.run(
        MultivariableLogistic,
        {
            "variables": ["platelets", "afp_baseline", "dilated_vasculature"],
            "scale": {"platelets": "sd", "afp_baseline": "log2"},
        },
        unit_id="multi",
    )
    for fit in uni.variables:
        assert fit.scale is not None
        assert fit.scale.n == ref[("factor", fit.variable, "n")]
        if fit.scale.scale in ("sd", "iqr"):
            want = ref[("factor", fit.variable, fit.scale.scale)]
            assert fit.scale.factor == pytest.approx(want, rel=1e-12)
    checks = [("univariable", v.variable, v.terms[0]) for v in uni.variables]
    checks += [("multivariable", "model", t) for v in multi.variables for t in v.terms]
    for section, key, term in checks:
        for name in ("odds_ratio", "lower", "upper", "p_value"):
            want = ref[(section, key, f"{term.term}:{name}")]
            got = getattr(term, name)
            assert got == pytest.approx(want, rel=FITTED_P if name == "p_value" else FITTED)


def test_table2_note_states_every_candidate_scale(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    h = harness(frame)
    params = {"variables": ["age", "platelets"], "scale": {"age": "sd", "platelets": "iqr"}}
    h.run(UnivariableLogistic, params, unit_id="uni")
    multi = h.run(
        MultivariableLogistic,
        {**params, "univariable": "uni"},
        unit_id="multi",
        upstream=("uni",),
    )
    assert multi.selected == ["platelets"]  # age (p = 0.5) is only in the univariable column
    sd, iqr = _sd(frame, "age"), _iqr(frame, "platelets")
    html = _html(multi, h.out)
    assert (
        f"Continuous variables are per 1 unit except Age per SD = {sig(sd, 3)} years; "
        f"Platelets per IQR = {sig(iqr, 3)} (SD and IQR"
    ) in html
    assert f"Age, per SD = {sig(sd, 3)} years" in html
    text = MultivariableLogistic().methods(multi, MultivariableLogistic.Params(**params))
    assert f"except Platelets per IQR = {iqr:.3g} (SD and IQR, type-7 quartiles" in text
    assert "per doubling" not in text
