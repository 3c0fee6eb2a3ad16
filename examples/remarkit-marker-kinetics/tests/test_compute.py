"""Slopes and half-lives against hand-computed values; input checks name the patients."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from remarkit import InputError

from remarkit_marker_kinetics.compute import log2_kinetics, marker_name

IDS = ["P1", "P2", "P3", "P4"]


def _series(values: list[float], name: str) -> pd.Series:
    return pd.Series(values, index=pd.Index(IDS), name=name, dtype=float)


def test_slopes_and_half_lives_by_hand() -> None:
    k = log2_kinetics(
        _series([100.0, 10.0, 8.0, 50.0], "b"),
        _series([25.0, 40.0, 8.0, math.nan], "f"),
        _series([1.0, 2.0, 1.0, 1.0], "t"),
    )
    # 100 -> 25 in 1 month: two halvings, half-life 0.5; 10 -> 40 in 2 months: +1 per month
    assert k.slope["P1"] == pytest.approx(-2.0, rel=1e-15)
    assert k.half_life["P1"] == pytest.approx(0.5, rel=1e-15)
    assert k.slope["P2"] == pytest.approx(1.0, rel=1e-15)
    assert math.isnan(k.half_life["P2"]) and math.isnan(k.half_life["P3"])
    assert k.slope["P3"] == 0.0
    assert k.missing == ["P4"] and k.floored == []


def test_detection_limit_floors_low_values() -> None:
    k = log2_kinetics(
        _series([0.2, 10.0, 0.0, 4.0], "b"),
        _series([0.1, 0.25, 2.0, 4.0], "f"),
        _series([1.0, 1.0, 1.0, 1.0], "t"),
        detection_limit=0.5,
    )
    assert k.floored == ["P1", "P2", "P3"]
    assert k.slope["P1"] == 0.0
    assert k.slope["P2"] == pytest.approx(math.log2(0.5 / 10.0), rel=1e-15)
    assert k.slope["P3"] == pytest.approx(2.0, rel=1e-15)
    assert k.baseline["P3"] == 0.5 and k.follow_up["P2"] == 0.5


def test_zero_without_detection_limit_names_patients() -> None:
    with pytest.raises(InputError, match=r"marker value 0 for patient\(s\) P2.*detection_limit"):
        log2_kinetics(
            _series([1.0, 2.0, 3.0, 4.0], "afp_baseline"),
            _series([1.0, 0.0, 3.0, 4.0], "afp_1month"),
            _series([1.0] * 4, "t"),
        )


def test_negative_value_and_bad_interval_are_errors() -> None:
    with pytest.raises(InputError, match=r"negative marker value for patient\(s\) P3"):
        log2_kinetics(
            _series([1.0, 2.0, -3.0, 4.0], "b"), _series([1.0] * 4, "f"), _series([1.0] * 4, "t")
        )
    with pytest.raises(InputError, match=r"must be positive; not so for patient\(s\) P1, P4"):
        log2_kinetics(
            _series([1.0] * 4, "b"), _series([1.0] * 4, "f"), _series([0.0, 1.0, 1.0, -1.0], "t")
        )


def test_marker_name_from_the_labels() -> None:
    assert marker_name("AFP at baseline", "AFP at one month") == "AFP"
    assert marker_name("PIVKA-II before treatment", "PIVKA-II after cycle 2") == "PIVKA-II"
    assert marker_name("Baseline AFP", "AFP at 4 weeks") == "Baseline AFP"
