"""pretty() and nomogram points against R (tests/reference/nomogram.R)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from remarkit.errors import StatisticsError
from remarkit.stats.nomogram import NomogramPredictor, nomogram
from remarkit.stats.pretty import pretty

REF = Path(__file__).resolve().parents[1] / "reference"


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / name, float_precision="round_trip", keep_default_na=False)


def test_pretty_matches_r() -> None:
    data = _csv("nomogram_pretty.csv")
    for (_, n), group in data.groupby(["case", "n"]):
        ticks = pretty([group["lo"].iloc[0], group["hi"].iloc[0]], int(n))
        np.testing.assert_allclose(ticks, group["tick"].to_numpy(float), rtol=1e-12, atol=0)


def _model() -> tuple[list[NomogramPredictor], float, np.ndarray]:
    d = _csv("nomogram_data.csv")
    b = _csv("nomogram_scale.csv").set_index("name")["value"].astype(float)
    predictors = [
        NomogramPredictor(
            name="x1",
            kind="continuous",
            coefficient=b["x1"],
            minimum=d.x1.min(),
            maximum=d.x1.max(),
        ),
        NomogramPredictor(
            name="x2", kind="categorical", levels={"a": 0.0, "b": b["x2=b"], "c": b["x2=c"]}
        ),
        NomogramPredictor(
            name="x3",
            kind="continuous",
            coefficient=b["x3"],
            minimum=d.x3.min(),
            maximum=d.x3.max(),
        ),
    ]
    design = np.column_stack([np.ones(len(d)), d.x1, d.x2 == "b", d.x2 == "c", d.x3]).astype(float)
    lp = design @ np.array([b["Intercept"], b["x1"], b["x2=b"], b["x2=c"], b["x3"]])
    return predictors, float(b["Intercept"]), lp


def test_points_scale_and_axes_match_rms() -> None:
    predictors, intercept, lp = _model()
    result = nomogram(predictors, intercept, lp)
    scale = _csv("nomogram_scale.csv").set_index("name")["value"].astype(float)
    assert result.scale == pytest.approx(scale["nomogram_sc"], rel=1e-12)
    assert result.intercept == pytest.approx(scale["nomogram_intercept"], rel=1e-12)
    ref = _csv("nomogram_points.csv")
    assert list(result.points["value"]) == [str(v) for v in ref["value"]]
    np.testing.assert_allclose(
        result.points["points"], ref["points"].astype(float), rtol=1e-9, atol=1e-12
    )
    np.testing.assert_allclose(
        result.points["xbeta"], ref["xbeta"].astype(float), rtol=1e-9, atol=1e-12
    )
    np.testing.assert_allclose(
        result.total_points, _csv("nomogram_total_axis.csv")["total_points"].astype(float)
    )
    risk = _csv("nomogram_risk_axis.csv")
    np.testing.assert_allclose(
        result.probability["probability"], risk["risk"].astype(float), rtol=1e-12
    )
    np.testing.assert_allclose(
        result.probability["points"], risk["points"].astype(float), rtol=1e-9
    )
    widest = result.points.groupby("variable")["points"].agg(lambda p: p.max() - p.min()).max()
    assert widest == pytest.approx(100.0)


def test_total_points_map_back_to_linear_predictor() -> None:
    predictors, intercept, _ = _model()
    result = nomogram(predictors, intercept, [-2.0, 1.0])
    total = result.predict_points({"x1": 50.0, "x2": "b", "x3": 0.5})
    b = {p.name: p for p in predictors}
    lp = intercept + b["x1"].coefficient * 50 + b["x2"].levels["b"] + b["x3"].coefficient * 0.5
    assert result.intercept + total / result.scale == pytest.approx(lp, rel=1e-12)
    with pytest.raises(StatisticsError, match="outside the nomogram's axis"):
        result.predict_points({"x1": 500.0, "x2": "b", "x3": 0.5})


def test_bad_predictors() -> None:
    with pytest.raises(StatisticsError, match="at least one predictor"):
        nomogram([], 0.0, [0.0, 1.0])
    with pytest.raises(StatisticsError, match="two or more levels"):
        nomogram([NomogramPredictor(name="g", kind="categorical", levels={"a": 0.0})], 0.0, [0.0])
    zero = NomogramPredictor(name="z", kind="continuous", coefficient=0.0, minimum=0, maximum=1)
    with pytest.raises(StatisticsError, match="zero effect"):
        nomogram([zero], 0.0, [0.0, 1.0])
