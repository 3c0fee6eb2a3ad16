"""Multiple imputation in the univariable / multivariable logistic units."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from remarkit import InputError, RemarkitWarning
from remarkit.modeling.imputation import impute_chained
from remarkit.plugins.clinical.multivariable_logistic import MultivariableLogistic
from remarkit.plugins.clinical.univariable_logistic import UnivariableLogistic
from remarkit.report.render import ReportState, render_unit
from remarkit.report.templates import make_environment
from remarkit.stats import logistic_regression, pool_rubin
from tests.clinical.conftest import Harness, HarnessFactory, clinical_frame
from tests.shared_data import BREAST

VARIABLES = ["age", "platelets", "stage", "vessel"]
MI = {"missing": "multiple_imputation", "imputations": 5, "iterations": 4}


def _frame_with_missing(seed: int = 3) -> pd.DataFrame:
    """The clinical frame with values missing (depending on the outcome) in three variables."""
    frame = clinical_frame()
    rng = np.random.default_rng(seed)
    yes = (frame["response"] == "yes").to_numpy()
    frame.loc[rng.random(len(frame)) < np.where(yes, 0.3, 0.1), "platelets"] = np.nan
    frame.loc[rng.random(len(frame)) < 0.12, "stage"] = np.nan
    frame.loc[rng.random(len(frame)) < np.where(yes, 0.15, 0.05), "vessel"] = np.nan
    return frame


def _expected(h: Harness, unit_id: str, predictors: list[str]) -> pd.DataFrame:
    """The imputation and Rubin pooling recomputed from the public functions, same seed."""
    cohort = h.cohort
    data = cohort.data.loc[cohort.train, VARIABLES].copy()
    data["__outcome__"] = cohort.outcome[data.index].astype(float)
    rng = np.random.default_rng([h.study.study.seed, *unit_id.encode()])
    imp = impute_chained(data, m=MI["imputations"], iterations=MI["iterations"], rng=rng)
    coefs, variances = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RemarkitWarning)
        for done in imp.datasets:
            table = logistic_regression(done, "__outcome__", predictors).table
            coefs.append(pd.Series(table["coef"].to_numpy(), index=table["term"]))
            variances.append(pd.Series(table["se"].to_numpy() ** 2, index=table["term"]))
    dfcom = len(data) - len(coefs[0])
    return pool_rubin(pd.DataFrame(coefs), pd.DataFrame(variances), df_complete=dfcom).table


def test_univariable_pools_imputed_fits(harness: HarnessFactory) -> None:
    frame = _frame_with_missing()
    h = harness(frame)
    result = h.run(UnivariableLogistic, {"variables": VARIABLES, **MI}, unit_id="uni")
    train = frame[frame["set"] == "train"]
    md = result.missing_data
    assert (md.method, md.m, md.iterations, md.n) == ("multiple_imputation", 5, 4, len(train))
    assert [(v.variable, v.method, v.n_missing) for v in md.imputed] == [
        ("platelets", "pmm", int(train["platelets"].isna().sum())),
        ("stage", "polyreg", int(train["stage"].isna().sum())),
        ("vessel", "logreg", int(train["vessel"].isna().sum())),
    ]
    assert all(v.n_missing > 0 for v in md.imputed)
    for fit in result.variables:
        assert fit.n == len(train)
        expected = _expected(h, "uni", [fit.variable]).set_index("term")
        for t in fit.terms:
            row = expected.loc[t.term]
            assert t.coef == pytest.approx(row["estimate"], rel=1e-12)
            assert t.se == pytest.approx(row["se"], rel=1e-12)
            assert t.fmi == pytest.approx(row["fmi"], rel=1e-12)
            assert t.df == pytest.approx(row["df"], rel=1e-12)
            assert t.p_value == pytest.approx(row["p_value"], rel=1e-9)
            assert t.lower == pytest.approx(np.exp(row["lower"]), rel=1e-12)
            assert t.upper == pytest.approx(np.exp(row["upper"]), rel=1e-12)
            assert 0 <= t.fmi < 1
    # counts per level are of observed values
    stage = next(v for v in result.variables if v.variable == "stage")
    assert stage.reference_n == int((train["stage"] == "I").sum())
    assert stage.terms[0].n == int((train["stage"] == "II").sum())
    age = next(v for v in result.variables if v.variable == "age")
    assert age.terms[0].fmi is not None  # a complete variable still varies across imputations


def test_imputation_is_seeded_and_uses_training_patients_only(harness: HarnessFactory) -> None:
    frame = _frame_with_missing()
    a = harness(frame).run(UnivariableLogistic, {"variables": VARIABLES, **MI}, unit_id="uni")
    b = harness(frame).run(UnivariableLogistic, {"variables": VARIABLES, **MI}, unit_id="uni")
    assert a.model_dump() == b.model_dump()
    changed = frame.copy()
    test = changed["set"] == "test"
    changed.loc[test, "platelets"] = np.nan
    changed.loc[test, "stage"] = "III"
    changed.loc[test, "response"] = changed.loc[test, "response"].iloc[::-1].to_numpy()
    c = harness(changed).run(UnivariableLogistic, {"variables": VARIABLES, **MI}, unit_id="uni")
    assert [v.model_dump() for v in c.variables] == [v.model_dump() for v in a.variables]
    other = harness(frame).run(UnivariableLogistic, {"variables": VARIABLES, **MI}, unit_id="u2")
    assert other.variables[1].terms[0].coef != a.variables[1].terms[0].coef


def test_multivariable_pools_model_and_reports(harness: HarnessFactory) -> None:
    frame = _frame_with_missing()
    h = harness(frame)
    uni = h.run(UnivariableLogistic, {"variables": VARIABLES, **MI}, unit_id="uni")
    multi = h.run(
        MultivariableLogistic,
        {"variables": VARIABLES, **MI},
        unit_id="multi",
        upstream=("uni",),
    )
    train = frame[frame["set"] == "train"]
    assert multi.n == len(train) and multi.missing_data.method == "multiple_imputation"
    expected = _expected(h, "multi", VARIABLES).set_index("term")
    assert multi.intercept == pytest.approx(expected.loc["(Intercept)", "estimate"], rel=1e-12)
    terms = [t for v in multi.variables for t in v.terms]
    assert [t.term for t in terms] == list(expected.index[1:])
    for t in terms:
        assert t.coef == pytest.approx(expected.loc[t.term, "estimate"], rel=1e-12)
        assert t.fmi == pytest.approx(expected.loc[t.term, "fmi"], rel=1e-12)
    assert len(multi.vif) == len(VARIABLES)
    text = MultivariableLogistic().methods(multi, MultivariableLogistic.Params(variables=["age"]))
    assert "multiply imputed by chained equations (m = 5 data sets, 4 iterations" in text
    assert "Rubin's rules" in text and "Platelets " in text
    html = str(
        render_unit(
            make_environment(), {"result": multi.model_dump(mode="json")}, ReportState(h.out)
        )
    )
    assert "<th>FMI</th>" in html and "multiple imputation by chained equations" in html
    assert "t-based confidence interval of the estimate pooled by Rubin" in html
    assert "Wald" not in html and "pooled t-based 95% CI" in multi.figures[0].caption
    assert "(pmm)" in html and "(polyreg)" in html and "(logreg)" in html
    html_uni = str(
        render_unit(make_environment(), {"result": uni.model_dump(mode="json")}, ReportState(h.out))
    )
    assert html_uni.count("<th>FMI</th>") == 1
    row = html_uni.split("Platelets")[1].split("</tr>")[0]
    assert row.count("<td>") == 4  # OR, CI, p, FMI


def test_complete_case_stays_the_default(harness: HarnessFactory) -> None:
    frame = _frame_with_missing()
    h = harness(frame)
    result = h.run(UnivariableLogistic, {"variables": VARIABLES}, unit_id="uni")
    assert result.missing_data.method == "complete_case" and result.missing_data.m is None
    assert all(t.fmi is None and t.df is None for v in result.variables for t in v.terms)
    html = str(
        render_unit(
            make_environment(), {"result": result.model_dump(mode="json")}, ReportState(h.out)
        )
    )
    assert "FMI" not in html and "Missing data: complete cases." in html
    assert "Wald confidence interval" in html and "Wald 95% CI" in result.figures[0].caption
    text = UnivariableLogistic().methods(result, UnivariableLogistic.Params(variables=["age"]))
    assert "complete cases per variable" in text and "imputed" not in text


def test_bad_imputation_settings(harness: HarnessFactory) -> None:
    with pytest.raises(ValidationError, match="ci = 'profile' cannot be pooled"):
        UnivariableLogistic.Params.model_validate({"variables": ["age"], "ci": "profile", **MI})
    with pytest.raises(ValidationError, match="imputations"):
        MultivariableLogistic.Params.model_validate(
            {"variables": ["age"], "missing": "multiple_imputation", "imputations": 1}
        )
    with pytest.raises(ValidationError, match="missing"):
        UnivariableLogistic.Params.model_validate({"variables": ["age"], "missing": "mean"})
    frame = clinical_frame()
    frame.loc[frame["set"] == "train", "platelets"] = np.nan
    h = harness(frame)
    with pytest.raises(InputError, match="multiple imputation: 'platelets' has no observed value"):
        h.run(UnivariableLogistic, {"variables": VARIABLES, **MI}, unit_id="uni")


GBSG = BREAST / "gbsg.csv"
GBSG_VARIABLES = {
    "age": 'type = "continuous"\nlabel = "Age"\nunit = "years"',
    "size": 'type = "continuous"\nlabel = "Tumour size"\nunit = "mm"',
    "nodes": 'type = "continuous"\nlabel = "Positive nodes"',
    "grade": 'type = "categorical"\nlabel = "Grade"\nlevels = ["1", "2", "3"]',
    "hormon": 'type = "categorical"\nlabel = "Hormonal therapy"\nlevels = ["0", "1"]',
}


@pytest.mark.skipif(not GBSG.exists(), reason=f"public GBSG data not available at {GBSG}")
def test_gbsg_imputed_model_close_to_full_data_fit(harness: HarnessFactory) -> None:
    """GBSG (686 patients), recurrence as the outcome, MAR gaps made in size and grade."""
    raw = pd.read_csv(GBSG)
    frame = pd.DataFrame(
        {
            "pid": raw["pid"].astype(str),
            "set": np.where(np.arange(len(raw)) % 3 == 2, "test", "train"),
            "response": np.where(raw["status"] == 1, "yes", "no"),
            "age": raw["age"].astype(float),
            "size": raw["size"].astype(float),
            "nodes": raw["nodes"].astype(float),
            "grade": raw["grade"].astype(str),
            "hormon": raw["hormon"].astype(str),
        }
    )
    full = harness(frame, GBSG_VARIABLES)
    names = list(GBSG_VARIABLES)
    complete = full.run(MultivariableLogistic, {"variables": names}, unit_id="multi")
    rng = np.random.default_rng(7)
    older = (frame["age"] > frame["age"].median()).to_numpy()
    gapped = frame.copy()
    gapped.loc[rng.random(len(frame)) < np.where(older, 0.35, 0.1), "size"] = np.nan
    gapped.loc[rng.random(len(frame)) < np.where(older, 0.1, 0.25), "grade"] = np.nan
    h = harness(gapped, GBSG_VARIABLES)
    mi = h.run(
        MultivariableLogistic,
        {"variables": names, "missing": "multiple_imputation", "imputations": 10},
        unit_id="multi",
    )
    train = gapped[gapped["set"] == "train"]
    assert mi.n == complete.n == len(train)
    counts = {v.variable: v.n_missing for v in mi.missing_data.imputed}
    assert counts == {c: int(train[c].isna().sum()) for c in ("size", "grade")}
    assert min(counts.values()) > 20
    truth = {t.term: t for v in complete.variables for t in v.terms}
    for t in (t for v in mi.variables for t in v.terms):
        assert abs(t.coef - truth[t.term].coef) < 2 * t.se, t.term
        assert t.fmi is not None and 0 <= t.fmi < 1
    size = next(t for v in mi.variables for t in v.terms if t.term == "size")
    assert size.fmi is not None and size.fmi > 0.05 and size.se > truth["size"].se
