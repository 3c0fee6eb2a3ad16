"""icc() against psych::ICC(x, lmer = FALSE) (tests/reference/agreement.R)."""

from __future__ import annotations

import numpy as np
import pytest

from remarkit.errors import StatisticsError
from remarkit.stats import ICC_FORMS, icc
from tests.stats._agreement_ref import cases, check, data, expected

ICC_DATA = data("icc")


def _table(name: str) -> np.ndarray:
    sub = ICC_DATA[ICC_DATA.dataset == name][["r1", "r2", "r3", "r4"]]
    return sub.dropna(axis=1, how="all").to_numpy(dtype=float)


@pytest.mark.parametrize("case", sorted({c.rsplit("/", 1)[0] for c in cases("icc/")}))
def test_all_forms_match_psych(case: str) -> None:
    _, name, alpha = case.split("/")
    res = icc(_table(name), level=1.0 - float(alpha))
    assert [f.form for f in res.forms] == list(ICC_FORMS)
    for form in ICC_FORMS:
        check(res.form(form), expected(f"{case}/{form}"))
    frame = res.to_frame()
    assert list(frame.form) == list(ICC_FORMS)
    assert frame.estimate.tolist() == [f.estimate for f in res.forms]


@pytest.mark.parametrize(
    ("model", "type_", "unit", "form"),
    [
        ("twoway", "agreement", "single", "ICC2"),
        ("twoway", "consistency", "single", "ICC3"),
        ("oneway", "agreement", "single", "ICC1"),
        ("twoway", "agreement", "average", "ICC2k"),
        ("twoway", "consistency", "average", "ICC3k"),
        ("oneway", "consistency", "average", "ICC1k"),
    ],
)
def test_model_type_unit_select_the_headline(model: str, type_: str, unit: str, form: str) -> None:
    res = icc(_table("main"), model=model, type=type_, unit=unit)
    assert res.selected == form
    check(res, expected(f"icc/main/0.05/{form}"))
    assert (res.n, res.k) == (30, 3)


def test_default_is_icc21_and_dataframe_input() -> None:
    sub = ICC_DATA[ICC_DATA.dataset == "four"][["r1", "r2", "r3", "r4"]]
    res = icc(sub)
    assert res.selected == "ICC2"
    check(res, expected("icc/four/0.05/ICC2"))


def test_mean_squares_are_the_anova_ones() -> None:
    x = _table("small")
    res = icc(x)
    n, k = x.shape
    grand = x.mean()
    assert res.ms_subjects == pytest.approx(k * np.sum((x.mean(1) - grand) ** 2) / (n - 1))
    assert res.ms_raters == pytest.approx(n * np.sum((x.mean(0) - grand) ** 2) / (k - 1))
    # F of ICC1 is MSB / MSW and of ICC2/3 MSB / MSE
    assert res.form("ICC1").f == pytest.approx(res.ms_subjects / res.ms_within)
    assert res.form("ICC3").f == pytest.approx(res.ms_subjects / res.ms_residual)


@pytest.mark.parametrize(
    ("ratings", "message"),
    [
        ([[1.0, 2.0], [np.nan, 3.0], [2.0, 2.5]], "missing"),
        ([[1.0], [2.0], [3.0]], "at least 2 raters"),
        ([[1.0, 2.0, 3.0]], "at least 2 subjects"),
        ([1.0, 2.0, 3.0], "subjects x raters"),
        ([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]], "no residual variance"),
        ([["a", "b"], ["c", "d"]], "numeric"),
    ],
)
def test_bad_input(ratings: object, message: str) -> None:
    with pytest.raises(StatisticsError, match=message):
        icc(ratings)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"model": "mixed"}, "model"),
        ({"type": "absolute"}, "type"),
        ({"unit": "k"}, "unit"),
        ({"level": 1.0}, "level"),
    ],
)
def test_bad_options(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(StatisticsError, match=message):
        icc(_table("main"), **kwargs)  # type: ignore[arg-type]


def test_unknown_form_name() -> None:
    with pytest.raises(StatisticsError, match="unknown ICC form"):
        icc(_table("main")).form("ICC4")
