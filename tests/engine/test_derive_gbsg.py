"""Derived variables end to end on the public GBSG data against R (tests/reference/derive_gbsg.R).

One study.toml cuts pgr (>= 10 vs < 10, closed on the left) and nodes, regroups grade (1-2 vs 3),
log-transforms size and pgr, divides pgr by er and standardises age on the training set; it runs
through `remarkit run` with baseline_table and uni-/multivariable logistic units. The derived
counts, values and the models' coefficients equal R's on the same derivations.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from remarkit.cli.main import main
from remarkit.engine.api import prepare
from tests.shared_data import BREAST

DATA = BREAST / "gbsg.csv"
REF = Path(__file__).resolve().parents[1] / "reference"
SEED = 20260313

pytestmark = pytest.mark.skipif(not DATA.is_file(), reason=f"public GBSG data absent ({DATA})")

SPEC = """\
[study]
title = "GBSG: derived variables"

[cohort]
table = "gbsg.csv"
id = "pid"

[cohort.split]
column = "set"

[cohort.outcome]
column = "status"
positive = "1"

[cohort.variables.age]
type = "continuous"
unit = "years"
range = [18, 100]

[cohort.variables.size]
type = "continuous"
unit = "mm"

[cohort.variables.nodes]
type = "continuous"
label = "Positive nodes"

[cohort.variables.pgr]
type = "continuous"
label = "PgR"
unit = "fmol/l"

[cohort.variables.er]
type = "continuous"
label = "ER"
unit = "fmol/l"

[cohort.variables.grade]
type = "categorical"

[cohort.derived.pgr_pos]
rule = "cut"
variable = "pgr"
threshold = 10
right = false
label = "PgR >= 10 fmol/l"
rationale = "pre-specified"

[cohort.derived.nodes_cat]
rule = "cut"
variable = "nodes"
breaks = [0, 3, 9, inf]
labels = ["1-3", "4-9", ">= 10"]

[cohort.derived.grade_grp]
rule = "regroup"
variable = "grade"
map = { "1" = "1-2", "2" = "1-2", "3" = "3" }

[cohort.derived.nodes_low]
rule = "cut"
variable = "nodes"
breaks = [1, 3, 9, 51]
include_lowest = true

[cohort.derived.pgr_left]
rule = "cut"
variable = "pgr"
breaks = [0, 10, 100, 2380]
right = false
include_lowest = true

[cohort.derived.size_open]
rule = "cut"
variable = "size"
breaks = [3, 20, 50, 100]

[cohort.derived.log_size]
rule = "transform"
variable = "size"
function = "log"

[cohort.derived.log_pgr]
rule = "transform"
variable = "pgr"
function = "log"

[cohort.derived.pgr_er]
rule = "expression"
expression = "pgr / er"
label = "PgR/ER ratio"

[cohort.derived.age_z]
rule = "standardize"
variable = "age"

[[unit]]
id = "table1"
use = "baseline_table"
variables = ["age", "pgr_pos", "nodes_cat", "grade_grp", "log_size", "pgr_er"]

[[unit]]
id = "uni"
use = "univariable_logistic"
variables = ["log_pgr"]

[[unit]]
id = "multi"
use = "multivariable_logistic"
variables = ["pgr_pos", "nodes_cat", "grade_grp", "log_size", "age_z"]
"""


def seeded_split(pids: pd.Series) -> pd.DataFrame:
    """The train/test split R reads from derive_gbsg_split.csv (about two thirds train)."""
    rng = np.random.default_rng(SEED)
    return pd.DataFrame(
        {"pid": pids, "set": np.where(rng.random(len(pids)) < 2 / 3, "train", "test")}
    )


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("gbsg")
    data = pd.read_csv(DATA)
    split = seeded_split(data["pid"])
    committed = pd.read_csv(REF / "derive_gbsg_split.csv")
    pd.testing.assert_frame_equal(split, committed)
    data["set"] = split["set"]
    data.to_csv(folder / "gbsg.csv", index=False)
    (folder / "study.toml").write_text(SPEC, encoding="utf-8")
    before = (folder / "gbsg.csv").read_bytes()
    code = main(["run", str(folder / "study.toml"), "--out", str(folder / "out"), "--no-cache"])
    assert code == 0
    assert (folder / "gbsg.csv").read_bytes() == before  # the input is never modified
    results = json.loads((folder / "out" / "results.json").read_text(encoding="utf-8"))
    return {"results": results, "folder": folder}


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    return pd.read_csv(REF / "derive_gbsg_expected.csv", keep_default_na=False)


def _ref(expected: pd.DataFrame, section: str, key: str, term: str) -> float:
    row = expected[(expected.section == section) & (expected.key == key) & (expected.term == term)]
    assert len(row) == 1, (section, key, term)
    return float(row.value.iloc[0])


def _derived(run: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["name"]: d for d in run["results"]["cohort"]["derived"]}


def test_categorical_counts_and_labels_equal_r(run: dict[str, Any], expected: pd.DataFrame) -> None:
    derived = _derived(run)
    for name in ("pgr_pos", "nodes_cat", "grade_grp", "nodes_low", "pgr_left", "size_open"):
        rows = expected[(expected.section == "count") & (expected.key == name)]
        # R's default labels ('[1,3]', '[100,2.38e+03]', ...) and its counts, in R's order
        assert derived[name]["counts"] == {
            t: int(float(v)) for t, v in zip(rows.term, rows.value, strict=True)
        }
        assert derived[name]["n_missing"] == _ref(expected, "missing", name, "")
    assert derived["size_open"]["n_outside"] == 2
    assert derived["pgr_pos"]["levels"] == ["< 10", ">= 10"]
    assert derived["grade_grp"]["assigned"] == {"1": "1-2", "2": "1-2", "3": "3"}


def test_continuous_values_equal_r(run: dict[str, Any], expected: pd.DataFrame) -> None:
    derived = _derived(run)
    assert derived["log_pgr"]["n_invalid"] == _ref(expected, "missing", "log_pgr", "") == 88
    assert derived["pgr_er"]["n_division_by_zero"] == _ref(expected, "missing", "pgr_er", "") == 82
    z = derived["age_z"]
    assert z["mean"] == pytest.approx(_ref(expected, "standardize", "age_z", "mean"), rel=1e-12)
    assert z["sd"] == pytest.approx(_ref(expected, "standardize", "age_z", "sd"), rel=1e-12)
    assert z["n_fit"] == _ref(expected, "standardize", "age_z", "n_fit")
    cohort = prepare(run["folder"] / "study.toml").cohort
    for name in ("log_size", "log_pgr", "pgr_er", "age_z"):
        rows = expected[(expected.section == "value") & (expected.key == name)]
        assert list(cohort.data.index) == [str(p) for p in rows.term]
        np.testing.assert_allclose(
            cohort.data[name].to_numpy(float), rows.value.astype(float).to_numpy(), rtol=1e-9
        )  # NaN where R has NA: log(0), x / 0


def _terms(run: dict[str, Any], unit_id: str) -> dict[str, tuple[float, float, int]]:
    unit = next(u for u in run["results"]["units"] if u["id"] == unit_id)
    assert unit["status"] == "ok", unit["error"]
    return {
        t["term"]: (t["coef"], t["se"], t["n"])
        for v in unit["result"]["variables"]
        for t in v["terms"]
    }


def test_multivariable_odds_ratios_equal_r(run: dict[str, Any], expected: pd.DataFrame) -> None:
    terms = _terms(run, "multi")
    r_names = {
        "pgr_pos[>= 10]": "pgr_pos>= 10",
        "nodes_cat[4-9]": "nodes_cat4-9",
        "nodes_cat[>= 10]": "nodes_cat>= 10",
        "grade_grp[3]": "grade_grp3",
        "log_size": "log_size",
        "age_z": "age_z",
    }
    assert set(terms) == set(r_names)
    for ours, theirs in r_names.items():
        coef, se, _ = terms[ours]
        r_coef = _ref(expected, "glm", "multi", f"{theirs}:coef")
        assert math.exp(coef) == pytest.approx(math.exp(r_coef), rel=1e-6)
        assert coef == pytest.approx(r_coef, rel=1e-6)
        assert se == pytest.approx(_ref(expected, "glm", "multi", f"{theirs}:se"), rel=1e-6)
    unit = next(u for u in run["results"]["units"] if u["id"] == "multi")
    assert unit["result"]["n"] == _ref(expected, "glm", "multi", "n")


def test_univariable_on_log_transform_equals_r(run: dict[str, Any], expected: pd.DataFrame) -> None:
    coef, se, n = _terms(run, "uni")["log_pgr"]
    assert coef == pytest.approx(_ref(expected, "glm", "log_pgr", "log_pgr:coef"), rel=1e-6)
    assert se == pytest.approx(_ref(expected, "glm", "log_pgr", "log_pgr:se"), rel=1e-6)
    assert n == _ref(expected, "glm", "log_pgr", "n")


def test_methods_paragraph_and_table1(run: dict[str, Any]) -> None:
    cohort = run["results"]["cohort"]
    text = cohort["derived_methods"]
    assert "PgR was dichotomised at 10 fmol/l (< 10 vs >= 10)" in text
    assert "(pre-specified)" in text
    assert "mean (53.21) and SD (10.05, n - 1; n = " in text
    html = (run["folder"] / "out" / "report.html").read_text(encoding="utf-8")
    assert "PgR was dichotomised at 10 fmol/l" in html
    table1 = next(u for u in run["results"]["units"] if u["id"] == "table1")
    assert table1["status"] == "ok"
    assert "PgR &gt;= 10 fmol/l" in html or "PgR >= 10 fmol/l" in json.dumps(table1["result"])
