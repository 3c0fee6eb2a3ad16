"""The survival units through the engine: run a study, then apply the frozen Cox model to a new
cohort and evaluate its linear predictor there (remarkit apply)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from remarkit.engine.api import prepare, prepare_apply, run_prepared
from tests.survival.conftest import SPEC, VARIABLES, spec_text, survival_frame

UNITS = """
[[unit]]
id = "pgr_adjusted"
use = "multivariable_cox"
endpoint = "survival"
marker = "marker"
adjust = ["age", "stage"]
scale = { marker = "log2" }
horizons = [12, 24]

[[unit]]
id = "c"
use = "survival_discrimination"
scores = [{ column = "pgr_adjusted.lp" }, { column = "pgr_adjusted.surv_24", direction = "lower" }]
"""


def _study(root: Path, frame: pd.DataFrame, head: str, units: str) -> Path:
    root.mkdir(parents=True)
    frame.to_csv(root / "cohort.csv", index=False)
    (root / "study.toml").write_text(spec_text(VARIABLES, head) + units, encoding="utf-8")
    return root / "study.toml"


def _column(unit: dict, name: str) -> pd.Series:  # type: ignore[type-arg]
    col = next(c for c in unit["result"]["columns"] if c["name"] == name)
    return pd.Series(col["values"], index=col["ids"], dtype=float)


@pytest.mark.slow
def test_run_then_apply_to_a_new_cohort(tmp_path: Path) -> None:
    spec = _study(tmp_path / "train", survival_frame(), SPEC, UNITS)
    trained = run_prepared(prepare(spec), tmp_path / "trained", use_cache=False)
    units = {u.id: u.model_dump(mode="json") for u in trained.units}
    assert all(u["status"] == "ok" for u in units.values()), units
    scores = units["c"]["result"]["scores"]
    assert [r["set"] for r in scores[0]["sets"]] == ["train", "test"]
    # the new cohort: no split, every patient in one external validation set
    head = SPEC.replace('[cohort.split]\ncolumn = "set"\n\n', "")
    external_units = UNITS[UNITS.index('[[unit]]\nid = "c"') :]
    new = _study(tmp_path / "new", survival_frame(n=90, seed=21), head, external_units)
    results = run_prepared(
        prepare_apply(tmp_path / "trained", new), tmp_path / "applied", use_cache=False
    )
    applied = {u.id: u.model_dump(mode="json") for u in results.units}
    assert applied["pgr_adjusted"]["result"]["kind"] == "applied"
    assert applied["pgr_adjusted"]["result"]["scored"] == 87  # three markers missing
    lp = _column(applied["pgr_adjusted"], "lp")
    surv = _column(applied["pgr_adjusted"], "surv_24")
    assert ((surv.dropna() > 0) & (surv.dropna() < 1)).all()
    assert lp.corr(surv, method="spearman") == pytest.approx(-1.0)
    rows = applied["c"]["result"]["scores"][0]["sets"]
    assert [(r["set"], r["name"], r["n"]) for r in rows] == [
        ("test", "External validation set", 87)
    ]
    assert 0.5 < rows[0]["estimate"] < 1.0
    # the predicted 24-month survival ranks the patients exactly as the linear predictor
    lp_c, surv_c = (s["sets"][0]["estimate"] for s in applied["c"]["result"]["scores"])
    assert surv_c == pytest.approx(lp_c, rel=1e-12)
