"""multivariable_cox's frozen model: model.json, the linear predictor (R predict) and apply."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from remarkit import InputError, UnitContext
from remarkit.engine.executor import SerialExecutor
from remarkit.engine.load import load_study
from remarkit.engine.validate import load_cohort
from remarkit.plugins.survival.multivariable_cox import MultivariableCox, MultivariableCoxParams
from remarkit.testing import folder_state
from tests.clinical.conftest import Harness
from tests.survival.conftest import GBSG, SurvivalHarness, survival_frame
from tests.survival.test_reference_r import ADJUST, GBSG_SPEC, GBSG_VARIABLES

REFERENCE = Path(__file__).parents[1] / "reference"
PARAMS = {
    "marker": "marker",
    "adjust": ["age", "stage"],
    "scale": {"marker": "log2"},
    "endpoint": "pfs",
}


@pytest.fixture(scope="module")
def r_lp() -> pd.DataFrame:
    expected = pd.read_csv(REFERENCE / "survival_units_expected.csv", keep_default_na=False)
    return expected[expected.key == "lp"]


def _lp(result) -> pd.Series:  # type: ignore[no-untyped-def]
    column = next(c for c in result.columns if c.name == "lp")
    return pd.Series(column.values, index=column.ids, dtype=float)


def _apply(h: Harness, fitted, params: dict, cohort=None):  # type: ignore[no-untyped-def]
    ctx = UnitContext(
        unit_id="m",
        study=h.study,
        cohort=cohort if cohort is not None else load_cohort(h.study, external=True),
        upstream={},
        seed=1,
        executor=SerialExecutor(),
        out_root=h.out.parent / "applied",
    )
    validated = MultivariableCoxParams.model_validate(params)
    return MultivariableCox().apply(ctx, validated, folder_state(h.out / "units" / "m", fitted))


def test_linear_predictor_matches_r_predict(surv_harness: SurvivalHarness, r_lp) -> None:  # type: ignore[no-untyped-def]
    h = surv_harness()
    result = h.run(MultivariableCox, PARAMS, unit_id="m")
    lp = _lp(result)
    expected = r_lp[r_lp.section == "synthetic"].set_index("term")["value"].astype(float)
    assert sorted(lp.dropna().index) == sorted(expected.index)
    assert lp[expected.index].to_numpy() == pytest.approx(expected.to_numpy(), rel=1e-6, abs=1e-9)
    assert result.unscored == ["S004", "S017", "S033"]  # marker missing, test set included
    document = json.loads((h.out / result.model_file).read_text())
    assert document["format"] == "remarkit.cox_model"
    assert document["scales"]["marker"]["scale"] == "log2"
    assert document["levels"] == {"stage": ["I", "II", "III"]}


def test_apply_scores_a_new_cohort_without_refitting(surv_harness: SurvivalHarness) -> None:
    h = surv_harness()
    fitted = h.run(MultivariableCox, PARAMS, unit_id="m")
    frame = survival_frame(n=60, seed=99)
    frame.loc[0, "age"] = 200.0
    new = surv_harness(frame)
    applied = _apply(h, fitted, PARAMS, load_cohort(new.study, external=True))
    assert applied.n == 60 and applied.scored == 60 - len(applied.unscored)
    assert applied.unscored == ["S004", "S017", "S033"]
    assert any("age: 1 patient(s) outside the training range" in w for w in applied.warnings)
    # the same patients scored at training and by apply get the same linear predictor
    same = _apply(h, fitted, PARAMS)
    assert _lp(same).equals(_lp(fitted))


def test_apply_refuses_a_modified_model(surv_harness: SurvivalHarness) -> None:
    h = surv_harness()
    fitted = h.run(MultivariableCox, PARAMS, unit_id="m")
    path = h.out / fitted.model_file
    path.write_text(path.read_text().replace('"log2"', '"unit"'))
    with pytest.raises(InputError, match=r"saved model differs from the training run.s \(sha256\)"):
        _apply(h, fitted, PARAMS)


def test_apply_refuses_unseen_levels(surv_harness: SurvivalHarness, tmp_path: Path) -> None:
    h = surv_harness()
    fitted = h.run(MultivariableCox, PARAMS, unit_id="m")
    frame = survival_frame(n=40, seed=4)
    frame.loc[2, "stage"] = "IV"
    root = tmp_path / "ext"
    root.mkdir()
    frame.to_csv(root / "cohort.csv", index=False)
    text = (
        (h.out.parent / "study.toml")
        .read_text()
        .replace('"I", "II", "III"', '"I", "II", "III", "IV"')
    )
    (root / "study.toml").write_text(text)
    study = load_study(root / "study.toml")
    with pytest.raises(InputError, match=r"level\(s\) \['IV'\] of 'stage' were not seen"):
        _apply(h, fitted, PARAMS, load_cohort(study, external=True))


def test_gbsg_linear_predictor_matches_r(surv_harness: SurvivalHarness, r_lp) -> None:  # type: ignore[no-untyped-def]
    if not GBSG.exists():
        pytest.skip(f"GBSG data absent ({GBSG})")
    frame = pd.read_csv(GBSG)
    frame["set"] = ["train" if i % 3 else "test" for i in range(len(frame))]
    h = surv_harness(frame, GBSG_VARIABLES, GBSG_SPEC)
    params = {"marker": "pgr", "adjust": ADJUST, "population": "all", "scale": {"pgr": "iqr"}}
    result = h.run(MultivariableCox, params, unit_id="m")
    expected = r_lp[r_lp.section == "gbsg"].set_index("term")["value"].astype(float)
    lp = _lp(result)
    assert lp[expected.index].to_numpy() == pytest.approx(expected.to_numpy(), rel=1e-6, abs=1e-9)


def test_gbsg_survival_at_horizons_matches_r(surv_harness: SurvivalHarness) -> None:
    if not GBSG.exists():
        pytest.skip(f"GBSG data absent ({GBSG})")
    expected = pd.read_csv(REFERENCE / "survival_units_expected.csv", keep_default_na=False)
    frame = pd.read_csv(GBSG)
    frame["set"] = ["train" if i % 3 else "test" for i in range(len(frame))]
    h = surv_harness(frame, GBSG_VARIABLES, GBSG_SPEC)
    params = {
        "marker": "pgr",
        "adjust": ADJUST,
        "population": "all",
        "scale": {"pgr": "iqr"},
        "horizons": [1095, 1825],
    }
    result = h.run(MultivariableCox, params, unit_id="m")
    assert [c.name for c in result.columns] == ["lp", "surv_1095", "surv_1825"]
    for column in result.columns[1:]:
        got = pd.Series(column.values, index=column.ids, dtype=float)
        r = expected[(expected.section == "gbsg") & (expected.key == column.name)]
        want = r.set_index("term")["value"].astype(float)
        assert got[want.index].to_numpy() == pytest.approx(want.to_numpy(), rel=1e-6)


def test_horizon_beyond_follow_up_is_an_input_error(surv_harness: SurvivalHarness) -> None:
    h = surv_harness()
    with pytest.raises(InputError, match="horizon 500 is beyond the last follow-up time"):
        h.run(MultivariableCox, {**PARAMS, "horizons": [12, 500]}, unit_id="m")
    with pytest.raises(ValueError, match="horizons need one baseline hazard"):
        MultivariableCoxParams.model_validate({**PARAMS, "horizons": [12], "strata": ["sex"]})


def test_apply_predicts_survival_at_the_horizons(surv_harness: SurvivalHarness) -> None:
    h = surv_harness()
    params = {**PARAMS, "horizons": [6, 12]}
    fitted = h.run(MultivariableCox, params, unit_id="m")
    assert len(fitted.baseline_survival) == 2
    assert 0 < fitted.baseline_survival[1] < fitted.baseline_survival[0] < 1
    applied = _apply(h, fitted, params)
    names = [c.name for c in applied.columns]
    assert names == ["lp", "surv_6", "surv_12"]
    for a, b in zip(applied.columns, fitted.columns, strict=True):
        assert a.values == b.values
