"""multivariable_cox nomogram_horizons: the drawn nomogram is rms::nomogram of the fitted model."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from remarkit import InputError
from remarkit.plugins.survival.multivariable_cox import MultivariableCox
from remarkit.report.plots import nomogram as nomogram_plots
from remarkit.stats import NomogramResult
from tests.survival.conftest import GBSG, SurvivalHarness
from tests.survival.test_reference_r import GBSG_SPEC, GBSG_VARIABLES, REFERENCE

AXES = pd.read_csv(REFERENCE / "survival_models_nomogram_axes.csv")
POINTS = pd.read_csv(REFERENCE / "survival_models_nomogram_points.csv")


def test_gbsg_nomogram_matches_rms(
    surv_harness: SurvivalHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not GBSG.exists():
        pytest.skip(f"GBSG data absent ({GBSG})")
    drawn: list[tuple[NomogramResult, dict[str, Any]]] = []
    real = nomogram_plots.nomogram_figure

    def spy(result: NomogramResult, **kwargs: Any) -> Any:
        drawn.append((result, kwargs))
        return real(result, **kwargs)

    monkeypatch.setattr(nomogram_plots, "nomogram_figure", spy)
    frame = pd.read_csv(GBSG)
    frame["set"] = ["train" if i % 3 else "test" for i in range(len(frame))]
    h = surv_harness(frame, GBSG_VARIABLES, GBSG_SPEC)
    params = {
        "marker": "pgr",
        "adjust": ["age", "size", "grade", "nodes", "hormon"],
        "population": "all",
        "nomogram_horizons": [730, 1825],
    }
    result = h.run(MultivariableCox, params, unit_id="cox")
    assert [f.name for f in result.figures] == ["forest", "nomogram_730", "nomogram_1825"]
    assert all((h.out / f.path).exists() for f in result.figures)
    assert [kw["probability_label"] for _, kw in drawn] == [
        "730-days survival",
        "1825-days survival",
    ]
    assert drawn[0][1]["labels"]["pgr"] == "Progesterone receptor"
    exp = POINTS[POINTS.dataset == "gbsg"]
    for (scales, _), horizon in zip(drawn, [730, 1825], strict=True):
        ours = scales.points.assign(value=scales.points.value.astype(str))
        merged = ours.merge(
            exp.assign(value=exp.value.astype(str)), on=["variable", "value"], suffixes=("", "_r")
        )
        assert len(merged) == len(exp) == len(ours)
        assert_allclose(merged.points, merged.points_r, rtol=1e-6, atol=1e-7)
        total = AXES[(AXES.dataset == "gbsg") & (AXES.axis == "total")]
        assert_allclose(scales.total_points, total.points, rtol=1e-12)
        axis = AXES[(AXES.dataset == "gbsg") & (AXES.axis == f"S{horizon}")]
        assert_allclose(scales.probability.probability, axis.value.astype(float), rtol=1e-12)
        assert_allclose(scales.probability.points, axis.points, rtol=1e-6)


def test_nomogram_horizons_are_checked(surv_harness: SurvivalHarness) -> None:
    h = surv_harness()
    base = {"marker": "marker", "adjust": ["age", "stage"], "scale": {"marker": "log2"}}
    result = h.run(MultivariableCox, {**base, "nomogram_horizons": [24]}, unit_id="m")
    assert [f.name for f in result.figures] == ["forest", "nomogram_24"]
    assert h.run(MultivariableCox, base, unit_id="m").figures[1:] == []
    with pytest.raises(InputError, match="horizon 500 is beyond the last follow-up"):
        h.run(MultivariableCox, {**base, "nomogram_horizons": [500]}, unit_id="m")
    with pytest.raises(ValueError, match="nomogram_horizons must be increasing"):
        MultivariableCox.Params.model_validate({**base, "nomogram_horizons": [24, 12]})
    with pytest.raises(ValueError, match="nomogram of a stratified model"):
        MultivariableCox.Params.model_validate(
            {**base, "strata": ["sex"], "nomogram_horizons": [24]}
        )


def test_methods_mention_the_nomogram(surv_harness: SurvivalHarness) -> None:
    h = surv_harness()
    params = {"marker": "marker", "adjust": ["age"], "nomogram_horizons": [12, 24]}
    result = h.run(MultivariableCox, params, unit_id="m")
    text = MultivariableCox().methods(result, MultivariableCox.Params.model_validate(params))
    assert "Nomograms of the fitted model with predicted survival at 12, 24 months" in text
