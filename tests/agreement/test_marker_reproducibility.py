"""marker_reproducibility: a marker measured twice, against R (tests/reference/agreement.R)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from remarkit import InputError
from remarkit.engine.load import load_study
from remarkit.engine.validate import load_cohort
from remarkit.plugins.agreement.marker_reproducibility import MarkerReproducibility
from remarkit.report.render import ReportState, render_unit
from remarkit.report.templates import make_environment
from remarkit.stats import ICC_FORMS
from tests.clinical.conftest import Harness
from tests.stats._agreement_ref import RTOL, data, expected

SPEC = """\
[study]
title = "Agreement unit tests"
seed = 3

[cohort]
table = "cohort.csv"
id = "pid"

[cohort.split]
column = "set"

[cohort.variables.lab_a]
type = "continuous"
label = "CA 19-9 (lab A)"
unit = "U/ml"

[cohort.variables.lab_b]
type = "continuous"
label = "CA 19-9 (lab B)"
unit = "U/ml"

[cohort.variables.grade]
type = "categorical"
label = "Grade"
levels = ["1", "2", "3"]
"""


def ba_frame(dataset: str = "proportional") -> pd.DataFrame:
    """The Bland-Altman reference pairs as a cohort (missing values as 'NA'), grade and split."""
    sub = data("ba")
    sub = sub[sub.dataset == dataset].reset_index(drop=True)
    n = len(sub)
    return pd.DataFrame(
        {
            "pid": [f"P{i:03d}" for i in range(n)],
            "set": np.where(np.arange(n) % 3 == 2, "test", "train"),
            "lab_a": [repr(v) if v == v else "NA" for v in sub.a],
            "lab_b": [repr(v) if v == v else "NA" for v in sub.b],
            "grade": [str(1 + i % 3) for i in range(n)],
        }
    )


Factory = Callable[..., Harness]


@pytest.fixture
def make(tmp_path: Path) -> Factory:
    counter = iter(range(100))

    def factory(frame: pd.DataFrame | None = None) -> Harness:
        root = tmp_path / f"study{next(counter)}"
        root.mkdir()
        (ba_frame() if frame is None else frame).to_csv(root / "cohort.csv", index=False)
        (root / "study.toml").write_text(SPEC, encoding="utf-8")
        study = load_study(root / "study.toml")
        return Harness(study=study, cohort=load_cohort(study), out=root / "out")

    return factory


def _check_against_r(entry: object, scale: str, alpha: str, dataset: str) -> None:
    for row in entry.icc:  # type: ignore[attr-defined]
        exp = expected(f"icc_ba/{dataset}/{scale}/{alpha}/{row.form}")
        for key in ("estimate", "f", "df1", "df2", "p_value", "lower", "upper"):
            assert_allclose(getattr(row, key), exp[key], rtol=RTOL, err_msg=key)
    exp = expected(f"bland_altman/{dataset}/{scale}/{alpha}")
    ba = entry.bland_altman  # type: ignore[attr-defined]
    for key in type(ba).model_fields:
        assert_allclose(getattr(ba, key), exp[key], rtol=RTOL, err_msg=key)
    assert entry.n == exp["n"] and entry.n_missing == exp["n_missing"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("log", [False, True])
def test_whole_cohort_matches_r(make: Factory, log: bool) -> None:
    h = make()
    params = {"first": "lab_a", "second": "lab_b", "log": log}
    result = h.run(MarkerReproducibility, params, unit_id="repro")
    [entry] = result.sets
    assert (entry.set, entry.set_name) == ("all", "Whole cohort")
    _check_against_r(entry, "log" if log else "raw", "0.05", "proportional")
    assert [r.form for r in entry.icc] == list(ICC_FORMS)
    assert entry.headline.form == "ICC2"
    if log:
        assert entry.ratio is not None
        assert entry.ratio.bias == pytest.approx(np.exp(entry.bland_altman.bias), rel=1e-14)
        assert entry.ratio.upper_loa_upper == pytest.approx(
            np.exp(entry.bland_altman.upper_loa_upper), rel=1e-14
        )
    else:
        assert entry.ratio is None
    assert result.z == pytest.approx(1.959963984540054)
    [figure] = result.figures
    assert (h.out / figure.path).is_file()
    assert "Bland-Altman plot" in figure.caption
    html = re.sub(
        r"data:[^\"]+",
        "",
        str(
            render_unit(
                make_environment(), {"result": result.model_dump(mode="json")}, ReportState(h.out)
            )
        ),
    )
    assert "Intraclass correlation of CA 19-9 (lab A) and CA 19-9 (lab B)" in html
    assert "Bland-Altman agreement of CA 19-9 (lab A) and CA 19-9 (lab B)" in html
    assert ("Ratio" in html) == log
    text = MarkerReproducibility().methods(result, MarkerReproducibility.Params(**params))
    assert "ICC(2,1)" in text and "no patients were held out" in text and "1.960 SD" in text
    assert ("log-transformed" in text) == log


def test_sets_and_level(make: Factory) -> None:
    h = make(ba_frame("additive"))
    params = {"first": "lab_a", "second": "lab_b", "sets": ["train", "test"], "level": 0.9}
    result = h.run(MarkerReproducibility, params, unit_id="repro")
    assert [s.set for s in result.sets] == ["train", "test"]
    assert [s.n for s in result.sets] == [40, 20]
    assert len(result.figures) == 2
    all_sets = h.run(MarkerReproducibility, {**params, "sets": ["all"]}, unit_id="repro_all").sets[
        0
    ]
    _check_against_r(all_sets, "raw", "0.1", "additive")
    assert result.level == 0.9


def test_set_with_too_few_patients_is_skipped_with_a_warning(make: Factory) -> None:
    frame = ba_frame("additive")
    frame.loc[frame.set == "test", "lab_b"] = "NA"
    frame.loc[frame.index[frame.set == "test"][:2], "lab_b"] = "12.5"
    result = make(frame).run(
        MarkerReproducibility,
        {"first": "lab_a", "second": "lab_b", "sets": ["train", "test"]},
        unit_id="r",
    )
    assert [s.set for s in result.sets] == ["train"]
    assert result.warnings == ["Test set: only 2 patient(s) with both measurements; skipped"]


def test_identical_measurements_are_a_warning_not_a_crash(make: Factory) -> None:
    frame = ba_frame("additive")
    frame["lab_b"] = frame["lab_a"]
    result = make(frame).run(
        MarkerReproducibility, {"first": "lab_a", "second": "lab_b"}, unit_id="r"
    )
    assert result.sets == [] and result.figures == []
    assert len(result.warnings) == 1 and "no residual variance" in result.warnings[0]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"first": "lab_x", "second": "lab_b"}, "first", "unknown column"),
        ({"first": "lab_a", "second": "nope"}, "second", "unknown column"),
        ({"first": "grade", "second": "lab_b"}, "first", "column 'grade' is categorical"),
        ({"first": "lab_a", "second": "lab_a"}, "second", "given as both measurements"),
    ],
)
def test_errors(make: Factory, params: Mapping[str, object], field: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        make().run(MarkerReproducibility, params, unit_id="r")
    assert info.value.field == field
    assert "\n" not in str(info.value)


def test_too_few_patients_and_log_of_non_positive(make: Factory) -> None:
    frame = ba_frame("additive")
    frame.loc[2:, "lab_b"] = "NA"
    with pytest.raises(InputError, match=r"only 2 patient\(s\) have both 'lab_a' and 'lab_b'"):
        make(frame).run(MarkerReproducibility, {"first": "lab_a", "second": "lab_b"}, unit_id="r")
    frame = ba_frame("additive")
    frame.loc[5, "lab_a"] = "0"
    with pytest.raises(InputError, match=r"log = true needs positive values.*P005") as info:
        make(frame).run(
            MarkerReproducibility, {"first": "lab_a", "second": "lab_b", "log": True}, unit_id="r"
        )
    assert info.value.field == "log"


def test_params_validation() -> None:
    with pytest.raises(ValueError, match="each set once"):
        MarkerReproducibility.Params(first="a", second="b", sets=["all", "all"])
    with pytest.raises(ValueError, match="level"):
        MarkerReproducibility.Params(first="a", second="b", level=0.3)
    assert (
        MarkerReproducibility().needs(MarkerReproducibility.Params(first="a", second="b")).split
        is False
    )
