"""Kaplan-Meier, median (follow-up) and log-rank against R's survival (tests/reference/*.R)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from remarkit.errors import StatisticsError
from remarkit.stats._surv_input import fix_ties
from remarkit.stats.survival import kaplan_meier, logrank_test, median_follow_up, survival_at

REF = Path(__file__).resolve().parent.parent / "reference"
CLOSED_FORM = 1e-9
AT_TIMES = [0, 0.5, 1, 6, 12.5, 24, 36, 60]


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / name, float_precision="round_trip")


SURV = _csv("survival_data.csv")
SMALL = _csv("survival_small.csv")
DATASETS = {
    "all": SURV,
    "group_A": SURV[SURV.group == "A"],
    "group_B": SURV[SURV.group == "B"],
    "group_C": SURV[SURV.group == "C"],
    "flat_half": SMALL[SMALL.dataset == "flat_half"],
    "flat_end": SMALL[SMALL.dataset == "flat_end"],
}
_MEDIANS = _csv("survival_km_medians.csv")
CASES = list(
    zip(
        _MEDIANS.dataset.astype(str),
        _MEDIANS.conf_type.astype(str),
        _MEDIANS.level.astype(float),
        strict=True,
    )
)


def _close(actual: object, expected: object, rtol: float = CLOSED_FORM) -> None:
    """assert_allclose that also requires NaN and Inf in the same places."""
    a = np.asarray(actual, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    assert_array_equal(np.isnan(a), np.isnan(e))
    assert_allclose(a, e, rtol=rtol, atol=0, equal_nan=True)


def _select(frame: pd.DataFrame, ds: str, ct: str, lev: float) -> pd.DataFrame:
    keep = (frame.dataset == ds) & (frame.conf_type == ct) & np.isclose(frame.level, lev)
    return frame[keep].reset_index(drop=True)


@pytest.mark.parametrize(("ds", "conf_type", "level"), CASES)
def test_kaplan_meier_curve_matches_survfit(ds: str, conf_type: str, level: float) -> None:
    d = DATASETS[ds]
    km = kaplan_meier(d.time, d.event, conf_type=conf_type, level=level)
    exp = _select(_csv("survival_km_curves.csv"), ds, conf_type, level)
    t = km.table
    for col in ("time", "n_risk", "n_event", "n_censor"):
        assert_array_equal(t[col].to_numpy(), exp[col].to_numpy())
    for col in ("surv", "std_err", "lower", "upper"):
        _close(t[col], exp[col])
    assert km.n == len(d)
    assert km.events == int(d.event.sum())


@pytest.mark.parametrize(("ds", "conf_type", "level"), CASES)
def test_median_matches_quantile_survfit(ds: str, conf_type: str, level: float) -> None:
    d = DATASETS[ds]
    km = kaplan_meier(d.time, d.event, conf_type=conf_type, level=level)
    exp = _select(_csv("survival_km_medians.csv"), ds, conf_type, level).iloc[0]
    _close([km.median, km.median_lower, km.median_upper], [exp["median"], exp.lower, exp.upper])


def test_median_special_cases() -> None:
    # never below 0.5: NaN; flat stretch at exactly 0.5: midpoint; ends at 0.5: (t + last) / 2
    c = DATASETS["group_C"]
    assert np.isnan(kaplan_meier(c.time, c.event).median)
    assert kaplan_meier(c.time, c.event, conf_type="log-log").median_lower == 28.0
    flat = DATASETS["flat_half"]
    assert kaplan_meier(flat.time, flat.event).median == 6.0
    end = DATASETS["flat_end"]
    assert kaplan_meier(end.time, end.event).median == 3.0


@pytest.mark.parametrize(("ds", "conf_type", "level"), CASES)
def test_survival_at_matches_summary_times(ds: str, conf_type: str, level: float) -> None:
    d = DATASETS[ds]
    km = kaplan_meier(d.time, d.event, conf_type=conf_type, level=level)
    at = survival_at(km, AT_TIMES[::-1]).table  # unsorted input is sorted
    exp = _select(_csv("survival_km_at.csv"), ds, conf_type, level)
    for col in ("time", "n_risk", "n_event", "n_censor"):
        assert_array_equal(at[col].to_numpy(), exp[col].to_numpy())
    for col in ("surv", "lower", "upper"):
        _close(at[col], exp[col])
    with np.errstate(invalid="ignore"):  # R reports std.err x surv: 0 x Inf is NaN
        _close(at["std_err"] * at["surv"], exp["std_err_surv"])


def test_survival_at_rejects_bad_times() -> None:
    km = kaplan_meier([1, 2, 3], [1, 0, 1])
    with pytest.raises(StatisticsError, match="times"):
        survival_at(km, [1.0, -1.0])
    with pytest.raises(StatisticsError, match="times"):
        survival_at(km, [np.nan])


@pytest.mark.parametrize("ds", ["all", "group_B", "flat_half"])
@pytest.mark.parametrize("level", [0.95, 0.9])
def test_median_follow_up_matches_reverse_km(ds: str, level: float) -> None:
    d = DATASETS[ds]
    fu = median_follow_up(d.time, d.event, level=level)
    ref = _csv("survival_followup.csv")
    exp = ref[(ref.dataset == ds) & np.isclose(ref.level, level)].iloc[0]
    _close([fu.median, fu.lower, fu.upper], [exp["median"], exp.lower, exp.upper])
    assert fu.censored == int((1 - d.event).sum())


LOGRANK = {
    "three_groups": (SURV, "group"),
    "A_vs_B": (SURV[SURV.group != "C"], "group"),
    "stage": (SURV, "stage"),
}


@pytest.mark.parametrize("name", list(LOGRANK))
def test_logrank_matches_survdiff(name: str) -> None:
    d, col = LOGRANK[name]
    res = logrank_test(d.time, d.event, d[col])
    ref = _csv("survival_logrank.csv")
    exp = ref[ref.comparison == name].reset_index(drop=True)
    _close(res.chisq, exp.chisq.iloc[0])
    _close(res.p_value, exp.p.iloc[0])
    assert res.df == int(exp.df.iloc[0])
    assert list(res.table.group) == list(exp.group)
    assert_array_equal(res.table.n, exp.n)
    for col in ("observed", "expected", "variance"):
        _close(res.table[col], exp[col])


def test_logrank_group_order_follows_categorical() -> None:
    d = SURV
    cat = pd.Categorical(d.group, categories=["C", "B", "A"])
    res = logrank_test(d.time, d.event, pd.Series(cat))
    plain = logrank_test(d.time, d.event, d.group)
    assert list(res.table.group) == ["C", "B", "A"]
    _close(res.chisq, plain.chisq)


def test_near_equal_times_are_tied_as_aeqsurv() -> None:
    t = np.array([1.0, 1.0 + 1e-12, 2.0, 3.0])
    assert_array_equal(fix_ties(t), [1.0, 1.0, 2.0, 3.0])
    km = kaplan_meier(t, [1, 1, 0, 1])
    assert km.table.n_event.iloc[0] == 2


def test_kaplan_meier_without_events_is_flat() -> None:
    km = kaplan_meier([1, 2, 3], [0, 0, 0])
    assert_array_equal(km.table.surv, [1.0, 1.0, 1.0])
    assert np.isnan(km.median)


def test_time_zero_is_allowed_as_in_r_survival() -> None:
    # R 4.2.2, survival 3.5.3: summary(survfit(Surv(c(0, 1, 3), c(1, 0, 1)) ~ 1))
    # time 0: n.risk 3, n.event 1, surv 0.6667; time 3: n.risk 1, n.event 1, surv 0
    km = kaplan_meier([0, 1, 3], [1, 0, 1])
    events = km.table[km.table.n_event > 0]
    assert_allclose(events.time, [0.0, 3.0])
    assert_allclose(events.surv, [2 / 3, 0.0], rtol=1e-12)


@pytest.mark.parametrize(
    ("time", "event", "message"),
    [
        ([1, np.nan, 3], [1, 0, 1], "time contains 1 missing"),
        ([1, -2, 3], [1, 0, 1], "time must be >= 0"),
        ([1, np.inf, 3], [1, 0, 1], "infinite"),
        ([1, 2, 3], [1, 2, 0], "event must contain only 0 and 1"),
        ([1, 2, 3], [1, np.nan, 0], "event contains 1 missing"),
        ([1, 2, 3], [1, 0], "event has length 2"),
        ([], [], "time is empty"),
        (["a", "b"], [1, 0], "time must be numeric"),
    ],
)
def test_bad_survival_input(time: list[object], event: list[object], message: str) -> None:
    with pytest.raises(StatisticsError, match=message):
        kaplan_meier(time, event)
    with pytest.raises(StatisticsError, match=message):
        median_follow_up(time, event)


def test_bad_options() -> None:
    with pytest.raises(StatisticsError, match="conf_type"):
        kaplan_meier([1, 2], [1, 0], conf_type="logit")
    with pytest.raises(StatisticsError, match="level"):
        kaplan_meier([1, 2], [1, 0], level=1.0)


@pytest.mark.parametrize(
    ("group", "message"),
    [
        (["a", "a", "a", "a"], "only one level"),
        (["a", None, "b", "b"], "group contains 1 missing"),
        (["a", "b"], "group has length 2"),
    ],
)
def test_bad_logrank_group(group: list[object], message: str) -> None:
    with pytest.raises(StatisticsError, match=message):
        logrank_test([1, 2, 3, 4], [1, 0, 1, 1], group)


def test_logrank_needs_events() -> None:
    with pytest.raises(StatisticsError, match="no events"):
        logrank_test([1, 2, 3, 4], [0, 0, 0, 0], ["a", "b", "a", "b"])
