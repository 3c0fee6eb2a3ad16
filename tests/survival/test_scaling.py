"""remarkit.modeling.scaling: the scales of continuous predictors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from remarkit import InputError
from remarkit.modeling.scaling import fit_scale


def test_factors_and_transforms() -> None:
    x = pd.Series([1.0, 2.0, 4.0, 8.0, np.nan, 16.0])
    assert fit_scale(x, "unit", variable="x", field="f").factor == 1.0
    sd = fit_scale(x, "sd", variable="x", field="f")
    assert sd.factor == pytest.approx(float(np.std([1, 2, 4, 8, 16], ddof=1)), rel=1e-15)
    assert sd.n == 5
    iqr = fit_scale(x, "iqr", variable="x", field="f")
    assert iqr.factor == 6.0  # R: diff(quantile(c(1, 2, 4, 8, 16), c(.25, .75))) = 8 - 2
    assert iqr.transform(pd.Series([12.0])).iloc[0] == 2.0
    log2 = fit_scale(x, "log2", variable="x", field="f")
    assert list(log2.transform(pd.Series([1.0, 8.0]))) == [0.0, 3.0]


def test_phrases() -> None:
    x = pd.Series([1.0, 2.0, 4.0, 8.0, 16.0])
    assert fit_scale(x, "iqr", variable="x", field="f").phrase("mm") == "per IQR = 6 mm"
    assert fit_scale(x, "log2", variable="x", field="f").phrase() == "per doubling"
    assert fit_scale(x, "unit", variable="x", field="f").phrase("mm") == "per 1 unit"


@pytest.mark.parametrize(
    ("values", "scale", "message"),
    [
        ([3.0], "sd", r"'v' has 1 value\(s\); a per-SD scale needs at least two"),
        ([3.0, 3.0, 3.0], "sd", "'v' has SD = 0; choose another scale"),
        ([1.0, 1.0, 1.0, 1.0, 9.0], "iqr", "'v' has IQR = 0; choose another scale"),
        ([0.0, 2.0], "log2", r"'v' has 1 value\(s\) <= 0; a per-doubling scale needs values > 0"),
    ],
)
def test_scales_that_cannot_be_formed(values: list[float], scale: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        fit_scale(pd.Series(values), scale, variable="v", field="scale.v")  # type: ignore[arg-type]
    assert info.value.field == "scale.v"
