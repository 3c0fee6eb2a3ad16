"""External validation of a frozen Cox model: developed on Rotterdam, applied to GBSG.

Royston & Altman (BMC Med Res Methodol 2013;13:33) developed a Cox model of recurrence on the
Rotterdam tumour bank and validated it on the GBSG trial. Here `remarkit run` fits a Cox model of
the marker (log PgR) adjusted for the standard variables on Rotterdam, and `remarkit apply` scores
GBSG with the frozen model (derivations re-applied, nothing refitted) and evaluates it there. The
linear predictors, predicted 5-year survival and the concordance on GBSG equal R's
(tests/reference/breast_external.R; endpoint: time to recurrence in Rotterdam, recurrence-free
survival in GBSG).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from remarkit.cli.main import main
from tests.shared_data import BREAST

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (BREAST / "rotterdam.csv").is_file(), reason="shared/data absent"),
]

VARIABLES = """
[cohort.variables.age]
type = "continuous"
unit = "years"
[cohort.variables.meno]
type = "categorical"
label = "Postmenopausal"
levels = ["0", "1"]
[cohort.variables.grade]
type = "categorical"
levels = {grades}
[cohort.variables.nodes]
type = "continuous"
[cohort.variables.pgr]
type = "continuous"
unit = "fmol/l"
[cohort.variables.er]
type = "continuous"
unit = "fmol/l"
[cohort.variables.hormon]
type = "categorical"
levels = ["0", "1"]
"""

TRAINING = """
[study]
title = "Rotterdam: Cox model of recurrence"
[cohort]
table = "rotterdam.csv"
id = "patient_id"
[cohort.split]
column = "set"
[cohort.survival]
time = "rtime"
event = "recur"
unit = "days"
[cohort.variables.size_band]
type = "categorical"
levels = ["<=20", "20-50", ">50"]
{variables}
[cohort.derived.grade_group]
rule = "regroup"
variable = "grade"
map = {{ "1" = "1-2", "2" = "1-2", "3" = "3" }}
[cohort.derived.log_pgr]
rule = "transform"
variable = "pgr"
function = "log1p"
[cohort.derived.log_er]
rule = "transform"
variable = "er"
function = "log1p"

[[unit]]
id = "cox"
use = "multivariable_cox"
population = "all"
marker = "log_pgr"
adjust = ["age", "meno", "size_band", "grade_group", "nodes", "log_er", "hormon"]
horizons = [1826]
"""

EXTERNAL = """
[study]
title = "GBSG: external validation of the Rotterdam model"
[cohort]
table = "gbsg.csv"
id = "patient_id"
[cohort.survival]
time = "rfstime"
event = "status"
unit = "days"
[cohort.variables.size_mm]
type = "continuous"
unit = "mm"
{variables}
[cohort.derived.size_band]
rule = "cut"
variable = "size_mm"
breaks = [-inf, 20, 50, inf]
labels = ["<=20", "20-50", ">50"]

[[unit]]
id = "c_index"
use = "survival_discrimination"
scores = [{{ column = "cox.lp", label = "Rotterdam model" }}]
sets = ["test"]

[[unit]]
id = "calibration"
use = "survival_calibration"
lp = "cox.lp"
survival = "cox.surv_1826"
horizon = 1826
"""


def _write(folder: Path) -> tuple[Path, Path]:
    rott = pd.read_csv(BREAST / "rotterdam.csv").rename(
        columns={"pid": "patient_id", "size": "size_band"}
    )
    rng = np.random.default_rng(2013)
    rott["set"] = np.where(rng.random(len(rott)) < 0.8, "train", "test")
    gbsg = pd.read_csv(BREAST / "gbsg.csv").rename(columns={"pid": "patient_id", "size": "size_mm"})
    train_dir, ext_dir = folder / "rotterdam", folder / "gbsg"
    train_dir.mkdir()
    ext_dir.mkdir()
    rott.to_csv(train_dir / "rotterdam.csv", index=False)
    gbsg.to_csv(ext_dir / "gbsg.csv", index=False)
    train_spec, ext_spec = train_dir / "study.toml", ext_dir / "study.toml"
    train_spec.write_text(
        TRAINING.format(variables=VARIABLES.format(grades='["1", "2", "3"]')), encoding="utf-8"
    )
    ext_spec.write_text(
        EXTERNAL.format(variables=VARIABLES.format(grades='["1", "2", "3"]')), encoding="utf-8"
    )
    return train_spec, ext_spec


def _reference(name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE / f"breast_external_{name}.csv")


def test_rotterdam_model_applied_to_gbsg_equals_r(tmp_path: Path) -> None:
    train_spec, ext_spec = _write(tmp_path)
    trained, external = tmp_path / "trained", tmp_path / "external"
    assert main(["run", str(train_spec), "--out", str(trained)]) == 0
    results = json.loads((trained / "results.json").read_text("utf-8"))
    (cox,) = [u for u in results["units"] if u["id"] == "cox"]
    fitted = {t["term"]: t for v in cox["result"]["model"]["variables"] for t in v["terms"]}
    ref_fit = _reference("fit").set_index("term")
    assert len(fitted) == len(ref_fit)
    r_names = {"meno[1]": "meno1", "hormon[1]": "hormon1", "grade_group[3]": "grade_group3"}
    for term, values in fitted.items():
        name = r_names.get(term, term.replace("size_band[", "size_band").rstrip("]"))
        assert values["coef"] == pytest.approx(float(ref_fit.loc[name, "coef"]), rel=1e-6)
        assert values["se"] == pytest.approx(float(ref_fit.loc[name, "se"]), rel=1e-6)

    assert main(["apply", str(trained), str(ext_spec), "--out", str(external)]) == 0
    scores = pd.read_csv(external / "scores.csv", dtype={"patient_id": str}).set_index("patient_id")
    ref_lp = _reference("lp").astype({"pid": str}).set_index("pid")
    lp = scores.loc[ref_lp.index, "cox.lp"].to_numpy(dtype=float)
    np.testing.assert_allclose(lp, ref_lp["lp"].to_numpy(dtype=float), rtol=1e-6, atol=1e-7)
    surv = scores.loc[ref_lp.index, "cox.surv_1826"].to_numpy(dtype=float)
    np.testing.assert_allclose(surv, ref_lp["surv_1826"].to_numpy(dtype=float), rtol=1e-6)

    applied = json.loads((external / "results.json").read_text("utf-8"))
    (c_unit,) = [u for u in applied["units"] if u["id"] == "c_index"]
    summary = _reference("summary").set_index("name")["value"]
    ((row,),) = [score["sets"] for score in c_unit["result"]["scores"]]
    assert row["n"] == 686 and row["events"] == 299
    assert row["estimate"] == pytest.approx(float(summary["c_val"]), rel=1e-6)
    assert row["se"] == pytest.approx(float(summary["c_val_se"]), rel=1e-6)

    (cal_unit,) = [u for u in applied["units"] if u["id"] == "calibration"]
    (cal,) = cal_unit["result"]["sets"]
    assert (cal["set"], cal["n"], cal["events"]) == ("test", 686, 299)
    assert cal["slope"] == pytest.approx(float(summary["slope"]), rel=1e-6)
    assert cal["slope_se"] == pytest.approx(float(summary["slope_se"]), rel=1e-6)
    ref_cal = _reference("calibration")
    assert [g["n"] for g in cal["groups"]] == list(ref_cal["n"])
    for ours, theirs in [
        ("predicted", "predicted"),
        ("observed", "observed"),
        ("observed_lower", "lower"),
        ("observed_upper", "upper"),
    ]:
        np.testing.assert_allclose([g[ours] for g in cal["groups"]], ref_cal[theirs], rtol=1e-6)
