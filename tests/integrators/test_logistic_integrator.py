"""logistic_integrator: the fit equals remarkit.stats on the training frame; export; threshold."""

from __future__ import annotations

import hashlib
import json
import warnings

import numpy as np
import pandas as pd
import pytest

from remarkit import RemarkitWarning
from remarkit.modeling.frozen import linear_predictor
from remarkit.plugins.integrators.export import FORMAT, FORMAT_VERSION
from remarkit.stats import logistic_regression, vif, youden_threshold
from remarkit.stats.nomogram import NomogramPredictor, nomogram
from remarkit.testing.runs import UnitRun

PREDICTORS = ["clin.linear_predictor", "afp.response", "platelets"]


def _train_frame(trained: UnitRun) -> pd.DataFrame:
    cohort = trained.cohort
    clin = next(u for u in trained.results.units if u.id == "clin").result
    afp = next(u for u in trained.results.units if u.id == "afp").result
    assert clin is not None and afp is not None
    frame = pd.DataFrame(index=cohort.data.index)
    for unit, result in (("clin", clin), ("afp", afp)):
        for col in result["columns"]:
            series = pd.Series(col["values"], index=col["ids"]).reindex(frame.index)
            if col["kind"] == "categorical":
                series = pd.Categorical(series, categories=col["levels"])
            frame[f"{unit}.{col['name']}"] = series
    frame["platelets"] = cohort.data["platelets"]
    frame["y"] = cohort.outcome.astype(float)
    frame = frame[cohort.train]
    # cross-fitted (the default): training rows carry the clinical model's out-of-fold scores
    frame["clin.linear_predictor"] = frame["clin.linear_predictor_oof"]
    frame = frame.dropna(subset=PREDICTORS)
    frame["afp.response"] = frame["afp.response"].cat.remove_unused_categories()
    return frame


def test_coefficients_and_vif_equal_remarkit_stats(trained: UnitRun) -> None:
    result = trained.result
    frame = _train_frame(trained)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RemarkitWarning)
        ref = logistic_regression(frame, "y", PREDICTORS)
    table = ref.table.set_index("term")
    assert result.n == len(frame) and result.events == int(frame["y"].sum())
    for coef in result.coefficients:
        assert coef.coef == pytest.approx(float(table.loc[coef.term, "coef"]), rel=1e-10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RemarkitWarning)
        gvif = vif(frame, "y", PREDICTORS).table.set_index("variable")
    for row in result.vif:
        assert row.gvif == pytest.approx(float(gvif.loc[row.variable, "gvif"]), rel=1e-10)
    assert [r.variable for r in result.vif] == PREDICTORS


def test_probability_column_is_the_frozen_model(trained: UnitRun) -> None:
    result = trained.result
    data = trained.cohort.data.copy()
    lp = trained.column("linear_predictor")
    p = trained.column("probability")
    assert np.allclose(p.dropna(), 1 / (1 + np.exp(-lp.dropna())), rtol=1e-12)
    # recompute one patient's linear predictor by hand from the coefficients
    clin = next(u for u in trained.results.units if u.id == "clin").result
    assert clin is not None
    clin_lp = dict(zip(clin["columns"][1]["ids"], clin["columns"][1]["values"], strict=True))
    afp = next(u for u in trained.results.units if u.id == "afp").result
    assert afp is not None
    response = dict(zip(afp["columns"][0]["ids"], afp["columns"][0]["values"], strict=True))
    pid = str(lp.dropna().index[0])
    terms = {c.term: c.coef for c in result.coefficients}
    expected = terms["(Intercept)"] + terms["clin.linear_predictor"] * clin_lp[pid]
    expected += terms["platelets"] * float(data.loc[pid, "platelets"])
    expected += terms.get(f"afp.response[{response[pid]}]", 0.0)
    assert lp[pid] == pytest.approx(expected, rel=1e-12)


def test_threshold_is_the_training_youden_optimum(trained: UnitRun) -> None:
    """Fixed on the probabilities the model was fitted on (cross-fitted training scores)."""
    result = trained.result
    frame = _train_frame(trained)
    p = 1.0 / (1.0 + np.exp(-linear_predictor(frame, result.coefficients, result.levels)))
    best = youden_threshold(frame["y"], p, direction="<")
    assert result.threshold.value == best.threshold
    assert result.threshold.youden == pytest.approx(best.youden)
    unit = trained.plugins.units().units["logistic_integrator"]()
    assert unit.fixed_thresholds("integ", result) == {"integ.probability": best.threshold}


def test_nomogram_scales_equal_remarkit_stats(trained: UnitRun) -> None:
    result = trained.result
    frame = _train_frame(trained)
    terms = {c.term: c.coef for c in result.coefficients}
    levels = {lv: terms.get(f"afp.response[{lv}]", 0.0) for lv in result.levels["afp.response"]}
    predictors = [
        NomogramPredictor(
            name="clin.linear_predictor",
            kind="continuous",
            coefficient=terms["clin.linear_predictor"],
            minimum=float(frame["clin.linear_predictor"].min()),
            maximum=float(frame["clin.linear_predictor"].max()),
        ),
        NomogramPredictor(name="afp.response", kind="categorical", levels=levels),
        NomogramPredictor(
            name="platelets",
            kind="continuous",
            coefficient=terms["platelets"],
            minimum=float(frame["platelets"].min()),
            maximum=float(frame["platelets"].max()),
        ),
    ]
    lp = trained.column("linear_predictor")[frame.index]
    ref = nomogram(predictors, terms["(Intercept)"], lp.to_numpy())
    axes = result.nomogram
    assert axes is not None
    assert [t.points for t in axes.ticks] == pytest.approx(list(ref.points["points"]), abs=1e-12)
    assert axes.total_points == ref.total_points
    assert max(t.points for t in axes.ticks) == pytest.approx(100.0)
    assert any(f.name == "nomogram" for f in result.figures)


def test_model_file_is_versioned_hashed_and_complete(trained: UnitRun) -> None:
    result = trained.result
    path = trained.out_dir / result.model_file
    assert hashlib.sha256(path.read_bytes()).hexdigest() == result.model_sha256
    doc = json.loads(path.read_text())
    assert doc["format"] == FORMAT and doc["format_version"] == FORMAT_VERSION
    assert doc["predictors"] == PREDICTORS
    assert doc["threshold"]["value"] == result.threshold.value
    assert doc["upstream"] == {"clin": "logistic_model", "afp": "marker_response"}
    assert {"numpy", "statsmodels"} <= set(doc["libraries"])
    record = trained.record
    assert any(
        f.path == result.model_file and f.sha256 == result.model_sha256 for f in record.files
    )
