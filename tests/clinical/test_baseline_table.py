"""baseline_table: summaries, the normality rule, tests per row (equal to remarkit.stats)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError
from scipy.stats import shapiro

from remarkit import InputError
from remarkit.plugins.clinical.baseline_models import BaselineRow, BaselineTableResult
from remarkit.plugins.clinical.baseline_table import BaselineTable
from remarkit.plugins.marker_response.unit import MarkerResponse
from remarkit.report.render import ReportState, render_unit
from remarkit.report.templates import make_environment
from remarkit.stats.group_tests import chi_square, fisher_exact, mann_whitney, t_test
from tests.clinical.conftest import VARIABLES, HarnessFactory, clinical_frame

VARS = ["age", "bmi", "afp0", "platelets", "stage", "vessel", "sex"]


def _row(result: BaselineTableResult, variable: str) -> BaselineRow:
    return next(r for r in result.rows if r.variable == variable)


def test_continuous_rows_equal_stats(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    result = harness(frame).run(BaselineTable, {"variables": VARS}, unit_id="t1")
    assert [g.label for g in result.groups] == ["Train set", "Test set"]
    assert [g.n for g in result.groups] == [120, 40]
    group = pd.Categorical(frame["set"], categories=["train", "test"])
    # bmi: the spec fixes mean ± SD -> Welch t-test
    bmi = _row(result, "bmi")
    assert (bmi.summary, bmi.summary_source, bmi.test) == ("mean", "spec", "welch_t")
    expected = t_test(frame["bmi"], group)
    assert bmi.p_value == pytest.approx(expected.p_value, rel=1e-12)
    assert bmi.statistic == pytest.approx(expected.statistic, rel=1e-12)
    train = frame.loc[group == "train", "bmi"]
    assert bmi.groups[0].mean == pytest.approx(train.mean(), rel=1e-12)
    assert bmi.groups[0].sd == pytest.approx(train.std(ddof=1), rel=1e-12)
    # afp0 is log-normal: Shapiro-Wilk rejects -> median [IQR] and Mann-Whitney
    afp = _row(result, "afp0")
    assert (afp.summary, afp.summary_source, afp.test) == ("median", "auto", "mann_whitney")
    train_afp = frame.loc[group == "train", "afp0"]
    assert afp.groups[0].normality_p == pytest.approx(shapiro(train_afp).pvalue, rel=1e-12)
    assert afp.p_value == pytest.approx(mann_whitney(frame["afp0"], group).p_value, rel=1e-12)
    q1, med, q3 = np.quantile(frame.loc[group == "test", "afp0"], [0.25, 0.5, 0.75])
    assert (afp.groups[1].q1, afp.groups[1].median, afp.groups[1].q3) == pytest.approx(
        (q1, med, q3)
    )
    # age: the auto rule follows Shapiro-Wilk in both groups
    age = _row(result, "age")
    normal = all(shapiro(frame.loc[group == k, "age"]).pvalue >= 0.05 for k in ("train", "test"))
    assert age.summary == ("mean" if normal else "median")


def test_categorical_rows_choose_chi_square_or_fisher(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    result = harness(frame).run(BaselineTable, {"variables": VARS}, unit_id="t1")
    for variable in ("stage", "vessel", "sex"):
        row = _row(result, variable)
        table = pd.crosstab(frame[variable], frame["set"])
        assert row.groups[0].counts == table["train"].reindex(row.levels).tolist()
        assert row.groups[1].counts == table["test"].reindex(row.levels).tolist()
        expected = table.sum(1).to_numpy()[:, None] * table.sum(0).to_numpy() / table.sum().sum()
        assert row.min_expected == pytest.approx(expected.min())
        if expected.min() < 5:
            assert row.test == "fisher"
            p = fisher_exact(frame[variable], frame["set"]).p_value
        else:
            assert row.test == "chi_square"
            p = chi_square(frame[variable], frame["set"]).p_value
        assert row.p_value == pytest.approx(p, rel=1e-12)


def test_rare_level_forces_fisher(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    frame["sex"] = np.where(np.arange(len(frame)) % 40 == 0, "F", "M")
    result = harness(frame).run(BaselineTable, {"variables": ["sex"]}, unit_id="t1")
    row = _row(result, "sex")
    assert row.test == "fisher" and row.min_expected < 5
    assert row.p_value == pytest.approx(fisher_exact(frame["sex"], frame["set"]).p_value)


def test_missing_values_are_counted(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    frame["bmi"] = frame["bmi"].astype(object)
    frame.loc[[0, 3, 7], "bmi"] = "NA"  # rows 0 (train), 3 and 7 (test)
    frame["stage"] = frame["stage"].astype(object)
    frame.loc[[1], "stage"] = "NA"
    h = harness(frame)
    result = h.run(BaselineTable, {"variables": ["bmi", "stage"]}, unit_id="t1")
    bmi, stage = _row(result, "bmi"), _row(result, "stage")
    assert [g.missing for g in bmi.groups] == [1, 2] and bmi.total.missing == 3
    assert [g.n for g in bmi.groups] == [119, 38]
    assert [g.missing for g in stage.groups] == [1, 0]
    html = render_unit(
        make_environment(), {"result": result.model_dump(mode="json")}, ReportState(h.out)
    )
    assert html.count(">Missing<") == 2


def test_derived_marker_category_and_no_outcome_row(harness: HarnessFactory) -> None:
    h = harness()
    h.run(
        MarkerResponse,
        {"baseline": "afp0", "follow_up": "afp1", "marker": "AFP", "bootstrap": 200},
        unit_id="afp",
    )
    result = h.run(
        BaselineTable, {"variables": ["afp.response", "stage"]}, unit_id="t1", upstream=("afp",)
    )
    row = _row(result, "afp.response")
    assert row.label == "AFP response"
    assert row.levels == ["non-responder", "normal baseline", "responder"]
    assert sum(row.total.counts) + row.total.missing == 160
    # a baseline table never shows the outcome (its counts per set are in the cohort table)
    assert [r.variable for r in result.rows] == ["afp.response", "stage"]


def test_by_outcome_within_train(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    params = {"variables": ["bmi", "vessel"], "by": "outcome", "subset": "train"}
    result = harness(frame).run(BaselineTable, params, unit_id="t1")
    train = frame[frame["set"] == "train"]
    assert [(g.label, g.n) for g in result.groups] == [
        ("Response", int((train["response"] == "yes").sum())),
        ("No response", int((train["response"] == "no").sum())),
    ]
    assert result.n == 120 and len(result.rows) == 2  # no outcome row when grouping by it
    p = t_test(train["bmi"], train["response"]).p_value
    assert _row(result, "bmi").p_value == pytest.approx(p, rel=1e-12)


def test_single_level_variable_is_a_named_warning(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    frame["sex"] = "M"
    result = harness(frame).run(BaselineTable, {"variables": ["sex", "bmi"]}, unit_id="t1")
    row = _row(result, "sex")
    assert row.test is None and row.p_value is None
    assert row.groups[0].counts == [0, 120]
    assert "Sex: no test, a single level (M) among the included patients" in result.warnings


def test_bad_params_and_columns(harness: HarnessFactory) -> None:
    with pytest.raises(ValidationError, match="needs subset = 'all'"):
        BaselineTable.Params.model_validate({"variables": ["age"], "subset": "train"})
    with pytest.raises(ValidationError, match="not in the table"):
        BaselineTable.Params.model_validate({"variables": ["age"], "summary": {"bmi": "mean"}})
    with pytest.raises(InputError, match=r"unknown column\(s\) \['nope'\]"):
        harness().run(BaselineTable, {"variables": ["age", "nope"]}, unit_id="t1")
    with pytest.raises(ValidationError, match="outcome_row: a baseline table never shows"):
        BaselineTable.Params.model_validate({"variables": ["age"], "outcome_row": True})


def test_an_outcome_column_is_never_a_row(harness: HarnessFactory) -> None:
    variables = {**VARIABLES, "response": 'type = "categorical"\nlevels = ["no", "yes"]'}
    h = harness(variables=variables)
    with pytest.raises(InputError, match="'response' \\(the binary outcome\\) cannot be a row"):
        h.run(BaselineTable, {"variables": ["age", "response"]}, unit_id="t1")
    with pytest.raises(InputError) as caught:
        h.run(BaselineTable, {"variables": ["response"], "by": "stage"}, unit_id="t2")
    assert caught.value.field == "variables"


def test_fragment_renders_table1_layout(harness: HarnessFactory) -> None:
    h = harness()
    result = h.run(BaselineTable, {"variables": VARS}, unit_id="t1")
    html = str(
        render_unit(
            make_environment(), {"result": result.model_dump(mode="json")}, ReportState(h.out)
        )
    )
    assert "Train set<br>N = 120" in html and "Test set<br>N = 40" in html
    assert "BMI, mean ± SD" in html and "median [IQR]" in html
    assert html.count('class="level"') == 3 + 2 + 2  # stage, vessel, sex levels
