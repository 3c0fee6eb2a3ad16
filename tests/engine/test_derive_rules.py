"""Derivation rules on small frames: R's cut() semantics, regrouping, transforms, expressions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from remarkit.engine.derive import expression as expr
from remarkit.engine.derive import rules
from remarkit.engine.derive.records import CutRecord, ExpressionRecord, RegroupRecord
from remarkit.engine.derive.regroup import regroup
from remarkit.engine.derive.spec import CutSpec, ExpressionSpec, RegroupSpec, TransformSpec

X = pd.DataFrame({"x": [0.0, 10.0, 20.0, 30.0, np.nan, 5.0]})


def _cut(**kwargs: object) -> tuple[list[object], CutRecord]:
    spec = CutSpec.model_validate({"rule": "cut", "variable": "x", **kwargs})
    series, record = rules.cut("c", spec, X, [])
    assert isinstance(record, CutRecord)
    return [None if pd.isna(v) else v for v in series], record


def test_cut_closed_right_like_r() -> None:
    # R: cut(c(0, 10, 20, 30, NA, 5), c(0, 10, 20, 30))
    values, record = _cut(breaks=[0, 10, 20, 30])
    assert values == [None, "(0,10]", "(10,20]", "(20,30]", None, "(0,10]"]
    assert record.n_outside == 1 and record.n_missing == 2
    values, _ = _cut(breaks=[0, 10, 20, 30], include_lowest=True)
    assert values == ["[0,10]", "[0,10]", "(10,20]", "(20,30]", None, "[0,10]"]


def test_cut_closed_left_like_r() -> None:
    # R: cut(x, c(0, 10, 20, 30), right = FALSE[, include.lowest = TRUE])
    values, _ = _cut(breaks=[0, 10, 20, 30], right=False)
    assert values == ["[0,10)", "[10,20)", "[20,30)", None, None, "[0,10)"]
    values, _ = _cut(breaks=[0, 10, 20, 30], right=False, include_lowest=True)
    assert values == ["[0,10)", "[10,20)", "[20,30]", "[20,30]", None, "[0,10)"]


def test_cut_threshold_shorthand_and_reference() -> None:
    values, record = _cut(threshold=10, right=False, reference=">= 10")
    assert values == ["< 10", ">= 10", ">= 10", ">= 10", None, "< 10"]
    assert record.levels == [">= 10", "< 10"]
    assert record.counts == {">= 10": 3, "< 10": 2}
    assert record.effective_breaks == ["-Inf", "10", "Inf"]
    values, _ = _cut(threshold=10)
    assert values[:2] == ["<= 10", "<= 10"]


def test_r_default_labels_widen_digits() -> None:
    # R 4.2: levels(cut(1, BREAKS)) for each BREAKS
    assert rules._r_labels([1000, 1001, 1002], True, False) == ["(1000,1001]", "(1001,1002]"]
    assert rules._r_labels([-np.inf, 0.5, np.inf], True, False) == ["(-Inf,0.5]", "(0.5, Inf]"]
    assert rules._r_labels([0, 3, 9, np.inf], True, False) == ["(0,3]", "(3,9]", "(9,Inf]"]
    assert rules._r_labels([0, 1 / 3, 2 / 3, 1e6], True, False) == [
        "(0,0.333]",
        "(0.333,0.667]",
        "(0.667,1e+06]",
    ]


STAGE = pd.DataFrame(
    {
        "stage": pd.Categorical(
            ["Stage I", "Stage IIIA", "Stage IIIB", "Stage IV", None, "Stage X", "Stage II"],
            categories=["Stage I", "Stage II", "Stage IIIA", "Stage IIIB", "Stage IV", "Stage X"],
        )
    }
)


def test_regroup_by_patterns_with_unmapped_missing() -> None:
    spec = RegroupSpec.model_validate(
        {
            "rule": "regroup",
            "variable": "stage",
            "patterns": {"I-II": "Stage I{1,2}", "III-IV": ["Stage III[AB]", "Stage IV"]},
            "unmapped": "missing",
        }
    )
    series, record = regroup("g", spec, STAGE, [])
    assert isinstance(record, RegroupRecord)
    assert [None if pd.isna(v) else v for v in series] == [
        "I-II", "III-IV", "III-IV", "III-IV", None, None, "I-II"
    ]  # fmt: skip
    assert record.unmapped_values == ["Stage X"] and record.n_unmapped == 1
    assert record.n_missing == 2 and record.counts == {"I-II": 2, "III-IV": 3}
    assert record.warnings and "Stage X" in record.warnings[0]


def test_regroup_map_order_and_reference() -> None:
    spec = RegroupSpec.model_validate(
        {
            "rule": "regroup",
            "variable": "stage",
            "map": {"Stage I": "early", "Stage II": "early", "Stage X": "other"},
            "patterns": {"late": "Stage (III[AB]|IV)"},
            "order": ["early", "late", "other"],
            "reference": "late",
        }
    )
    series, record = regroup("g", spec, STAGE, [])
    assert record.levels == ["late", "early", "other"]
    assert list(series.cat.categories) == ["late", "early", "other"]
    assert record.counts == {"late": 3, "early": 2, "other": 1}


def test_transform_domain_counted() -> None:
    frame = pd.DataFrame({"v": [1.0, 0.0, -2.0, np.nan, 8.0]})
    for function, expected, invalid in (
        ("log2", [0.0, np.nan, np.nan, np.nan, 3.0], 2),
        ("log1p", [np.log1p(1.0), 0.0, np.nan, np.nan, np.log1p(8.0)], 1),
        ("sqrt", [1.0, 0.0, np.nan, np.nan, np.sqrt(8.0)], 1),
    ):
        spec = TransformSpec.model_validate(
            {"rule": "transform", "variable": "v", "function": function}
        )
        series, record = rules.transform("t", spec, frame, [])
        np.testing.assert_allclose(series.to_numpy(float), expected, rtol=1e-15)
        assert record.n_invalid == invalid  # type: ignore[union-attr]
        assert record.n_missing == invalid + 1


def test_expression_arithmetic_and_functions() -> None:
    frame = pd.DataFrame(
        {
            "weight": [70.0, 80.0, np.nan, 60.0],
            "height": [175.0, 0.0, 160.0, 150.0],
            "n": [4.0, 2.0, 3.0, 0.0],
            "l": [2.0, 0.0, 1.0, 0.0],
        }
    )
    cases = {
        "weight / (height / 100) ** 2": frame.weight / (frame.height / 100) ** 2,
        "n / l": [2.0, np.nan, 3.0, np.nan],
        "-log(n) + exp(l) - sqrt(abs(-n))": -np.log(frame.n) + np.exp(frame.l) - np.sqrt(frame.n),
        "max(n, l, 1) - min(n, l)": [2.0, 2.0, 2.0, 1.0],
        "100 * (weight - 60) / 60": 100 * (frame.weight - 60) / 60,
        "log10(n) + log2(l) + log1p(n)": np.log10(frame.n) + np.log2(frame.l) + np.log1p(frame.n),
    }
    for text, wanted in cases.items():
        spec = ExpressionSpec.model_validate({"rule": "expression", "expression": text})
        series, record = rules.expression("e", spec, frame, [])
        want = np.array(wanted, dtype=float)
        want[~np.isfinite(want)] = np.nan
        np.testing.assert_allclose(series.to_numpy(float), want, rtol=1e-15, err_msg=text)
        assert isinstance(record, ExpressionRecord)
    spec = ExpressionSpec.model_validate({"rule": "expression", "expression": "n / l + log(l)"})
    _, record = rules.expression("e", spec, frame, [])
    assert isinstance(record, ExpressionRecord)
    # rows 2 and 4 divide by zero; log(0) there is not counted again; the missing weight is absent
    assert (record.n_division_by_zero, record.n_invalid, record.n_missing) == (2, 0, 2)
    spec = ExpressionSpec.model_validate({"rule": "expression", "expression": "log(l - 1)"})
    _, record = rules.expression("e", spec, frame, [])
    assert (record.n_division_by_zero, record.n_invalid) == (0, 3)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os')",
        "open('f')",
        "age.real",
        "age[0]",
        "[age]",
        "age if age else 1",
        "age > 1",
        "age and 1",
        "age @ age",
        "age // 2",
        "age % 2",
        "~age",
        "not age",
        "f'{age}'",
        "True + age",
        "log(x=age)",
        "max(*age)",
        "max(age)",
        "(lambda: 1)()",
        "age := 2",
        "1j * age",
    ],
)
def test_expression_whitelist_rejects(text: str) -> None:
    with pytest.raises(expr.ExpressionError) as info:
        expr.parse(text)
    assert "\n" not in str(info.value)


def test_expression_names() -> None:
    assert expr.names(expr.parse("a / b + log(a) * 2 - max(c, 1)")) == ["a", "b", "c"]
