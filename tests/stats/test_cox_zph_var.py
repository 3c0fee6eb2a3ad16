"""cox_zph's ``var`` (cox.zph's $var, the basis of plot.cox.zph's bands) against R.

Reference: tests/reference/survival_evaluation_units.R (diagonal of $var per term).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from remarkit.stats import cox_zph

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
GBSG = Path("/work/shared/data/breast/gbsg.csv")


def _var(case: str) -> pd.Series:
    ref = pd.read_csv(REFERENCE / "survival_evaluation_units_expected.csv", keep_default_na=False)
    rows = ref[(ref.case == case) & (ref.key == "var")]
    return rows.set_index("term")["value"].astype(float)


def test_var_matches_r_synthetic_categorical_term() -> None:
    data = pd.read_csv(REFERENCE / "survival_units_cohort.csv")
    data = data[data.set == "train"].dropna(subset=["marker", "age", "stage", "os", "death"])
    data = data.assign(stage=pd.Categorical(data.stage, ["I", "II", "III"]))
    res = cox_zph(data, "os", "death", ["marker", "age", "stage"])
    want = _var("syn_km")
    assert list(res.var.index) == list(res.var.columns) == ["marker", "age", "stage"]
    for term, value in want.items():
        assert res.var.loc[term, term] == pytest.approx(value, rel=1e-6)
    assert res.var.to_numpy() == pytest.approx(res.var.to_numpy().T, rel=1e-12)


def test_var_matches_r_gbsg_stratified() -> None:
    if not GBSG.exists():
        pytest.skip(f"GBSG data absent ({GBSG})")
    data = pd.read_csv(GBSG)
    data = data[[i % 3 != 0 for i in range(len(data))]]
    for column in ("meno", "hormon"):
        data[column] = pd.Categorical(data[column].astype(str), ["0", "1"])
    variables = ["pgr", "age", "meno", "size", "nodes", "hormon"]
    res = cox_zph(data, "rfstime", "status", variables, transform="rank", strata="grade")
    for term, value in _var("gbsg_strat_rank").items():
        assert res.var.loc[term, term] == pytest.approx(value, rel=1e-6)
