"""cox_nomogram against rms::nomogram of a cph fit (tests/reference/survival_models.R)."""

from __future__ import annotations

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from remarkit.errors import StatisticsError
from remarkit.stats import cox_nomogram, cox_regression
from tests.stats._models_ref import FITTED, dataset, ref

POINTS = ref("nomogram_points")
AXES = ref("nomogram_axes")
INFO = ref("nomogram_info")
SETS = {
    "synthetic": ("time", ["x1", "x2", "grp"], [5.0, 10.0]),
    "gbsg": ("rfstime", ["age", "size", "grade", "nodes", "pgr", "hormon"], [730.0, 1825.0]),
}


@pytest.mark.parametrize("ds", list(SETS))
def test_points_and_axes_match_rms(ds: str) -> None:
    data = dataset(ds)
    time_col, predictors, horizons = SETS[ds]
    model = cox_regression(data, time_col, "status", predictors)
    res = cox_nomogram(model, data, horizons)
    info = INFO[INFO.dataset == ds].iloc[0]
    assert_allclose(
        [res.nomogram.scale, res.nomogram.intercept, res.center],
        [info.sc, info.intercept, info.center],
        rtol=FITTED,
    )
    exp = POINTS[POINTS.dataset == ds].reset_index(drop=True)
    ours = res.nomogram.points
    assert list(ours.variable) == list(exp.variable)
    assert [str(v) for v in ours.value] == [str(v) for v in exp.value.astype(str)]
    assert_allclose(ours.xbeta, exp.xbeta, rtol=FITTED, atol=1e-9)
    assert_allclose(ours.points, exp.points, rtol=FITTED, atol=1e-7)
    total = AXES[(AXES.dataset == ds) & (AXES.axis == "total")]
    assert_allclose(res.nomogram.total_points, total.points, rtol=1e-12)
    for h in horizons:
        axis = AXES[(AXES.dataset == ds) & (AXES.axis == f"S{h:g}")]
        mine = res.survival[res.survival.horizon == h]
        assert_allclose(mine.survival, axis.value.astype(float), rtol=1e-12)
        assert_allclose(mine.points, axis.points, rtol=FITTED)


def test_refuses_strata_and_other_data() -> None:
    data = dataset("synthetic")
    strat = cox_regression(data, "time", "status", ["x1"], strata=["centre"])
    with pytest.raises(StatisticsError, match="stratified"):
        cox_nomogram(strat, data, [5.0])
    model = cox_regression(data, "time", "status", ["x1"])
    with pytest.raises(StatisticsError, match="pass the fitting data"):
        cox_nomogram(model, data.iloc[:100], [5.0])
    with pytest.raises(StatisticsError, match="horizons must be finite and > 0"):
        cox_nomogram(model, data, [0.0])
    assert isinstance(cox_nomogram(model, data, 5.0).survival, pd.DataFrame)
