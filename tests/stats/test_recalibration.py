"""The recalibration fit converges on over-confident predictions (step-halving), as R's glm."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from scipy.special import logit

from remarkit.stats import calibration
from remarkit.stats._recalibration import recalibration_fit

REFERENCE = Path(__file__).parents[1] / "reference"


def _data() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "recalibration_overconfident_data.csv")


def _expected() -> dict[str, float]:
    table = pd.read_csv(REFERENCE / "recalibration_overconfident_expected.csv")
    return dict(zip(table["term"], table["value"].astype(float), strict=True))


def test_overconfident_predictions_give_rs_intercept_and_slope() -> None:
    data = _data()
    intercept, slope = recalibration_fit(data["y"].to_numpy(), logit(data["p"].to_numpy()))
    expected = _expected()
    assert intercept == pytest.approx(expected["intercept"], rel=1e-9)
    assert slope == pytest.approx(expected["slope"], rel=1e-9)


def test_calibration_of_overconfident_predictions_has_the_slope() -> None:
    data = _data()
    result = calibration(data["y"].to_numpy(), data["p"].to_numpy())
    assert result.slope == pytest.approx(_expected()["slope"], rel=1e-9)
