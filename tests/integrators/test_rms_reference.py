"""The integrator end to end against R: lrm coefficients and rms::nomogram points.

The data, coefficients and nomogram are tests/reference/nomogram.R's (a logistic model of y on a
continuous x1, a three-level factor x2 and a continuous x3, 200 patients). Here all 200 are the
training set; six copies with new ids form a test set (the integrator fits on train only).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from remarkit.testing.runs import UnitRun, run_unit

REFERENCE = Path(__file__).parents[1] / "reference"

SPEC = """[study]
title = "Integrator against rms"
seed = 1

[cohort]
table = "cohort.csv"
id = "id"

[cohort.split]
column = "set"

[cohort.outcome]
column = "y"
positive = "1"

[cohort.variables.x1]
type = "continuous"

[cohort.variables.x2]
type = "categorical"
levels = ["a", "b", "c"]

[cohort.variables.x3]
type = "continuous"

[[unit]]
id = "model"
use = "logistic_integrator"
variables = ["x1", "x2", "x3"]
"""


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory) -> UnitRun:
    root = tmp_path_factory.mktemp("rms")
    data = pd.read_csv(REFERENCE / "nomogram_data.csv")
    data.insert(0, "id", [f"P{i:03d}" for i in range(len(data))])
    data["set"] = "train"
    test = pd.concat([data[data.y == 1].head(3), data[data.y == 0].head(3)]).copy()
    test["id"] = [f"T{i}" for i in range(len(test))]
    test["set"] = "test"
    pd.concat([data, test]).to_csv(root / "cohort.csv", index=False)
    (root / "study.toml").write_text(SPEC, encoding="utf-8")
    return run_unit(root / "study.toml", "model", out_dir=root / "out")


def test_coefficients_equal_lrm(fitted: UnitRun) -> None:
    ref = pd.read_csv(REFERENCE / "nomogram_scale.csv").set_index("name")["value"]
    terms = {c.term: c.coef for c in fitted.result.coefficients}
    names = {"(Intercept)": "Intercept", "x1": "x1", "x2[b]": "x2=b", "x2[c]": "x2=c", "x3": "x3"}
    assert set(terms) == set(names)
    for term, name in names.items():
        assert terms[term] == pytest.approx(float(ref[name]), rel=1e-8)


def test_nomogram_points_equal_rms(fitted: UnitRun) -> None:
    axes = fitted.result.nomogram
    ref = pd.read_csv(REFERENCE / "nomogram_points.csv")
    ours = pd.DataFrame([t.model_dump() for t in axes.ticks])
    assert list(ours["variable"]) == list(ref["variable"])
    assert list(ours["value"]) == [str(v) for v in ref["value"]]
    assert ours["points"].to_numpy() == pytest.approx(ref["points"].to_numpy(), abs=1e-7)
    scale = pd.read_csv(REFERENCE / "nomogram_scale.csv").set_index("name")["value"]
    assert axes.scale == pytest.approx(float(scale["nomogram_sc"]), rel=1e-8)
    total = pd.read_csv(REFERENCE / "nomogram_total_axis.csv")["total_points"]
    assert axes.total_points == pytest.approx(list(total.astype(float)))
    risk = pd.read_csv(REFERENCE / "nomogram_risk_axis.csv")
    assert axes.probability == pytest.approx(list(risk["risk"].astype(float)))
    assert axes.probability_points == pytest.approx(list(risk["points"].astype(float)), abs=1e-7)
