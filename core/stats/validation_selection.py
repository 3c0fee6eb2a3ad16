"""Bootstrap optimism correction with the variable selection repeated in every replicate.

As :func:`remarkit.stats.bootstrap_optimism`, but the model's predictors are the result of a
selection rule, and the rule is run again in every bootstrap sample (Harrell, Regression
Modeling Strategies, 5.3; what ``rms::validate(..., bw = TRUE)`` does for backward elimination):
a candidate enters when any of its terms has a univariable Wald p below ``p_threshold`` (each
candidate fitted alone on the sampled patients with a value), ``force`` variables always enter.
The selected model is fitted on the sampled patients with every selected predictor and tested on
the original patients with them. The apparent model is the rule applied to the original data.
A replicate that selects no variable, or whose fit fails, is left out (counted in ``n_failed``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field
from scipy.special import expit
from scipy.stats import norm

from remarkit.errors import StatisticsError
from remarkit.stats._design import build_design
from remarkit.stats._surv_input import FloatArray, IntArray, as_binary
from remarkit.stats.validation import (
    INDEXES,
    BootstrapOptimismResult,
    _fit_logistic,
    _test_indexes,
    _train_indexes,
    optimism_tables,
)

__all__ = ["SelectedBootstrapResult", "bootstrap_optimism_selected"]


class SelectedBootstrapResult(BootstrapOptimismResult):
    """Optimism-corrected performance of a selected model, and how often each candidate entered."""

    kind: Literal["bootstrap_optimism_selected"] = Field(  # type: ignore[assignment]
        "bootstrap_optimism_selected", description="Result type tag."
    )
    selected: list[str] = Field(description="Variables the rule selects on the original data.")
    frequency: pd.DataFrame = Field(
        description="One row per candidate: variable, selected (successful replicates that "
        "selected it), share (selected / n_successful)."
    )


class _Candidate:
    """One candidate's design columns over all rows (NaN where the value is missing)."""

    def __init__(self, data: pd.DataFrame, name: str, reference: Mapping[str, Any]) -> None:
        self.name = name
        self.observed = data[name].notna().to_numpy()
        ref = {name: reference[name]} if name in reference else None
        design = build_design(data.loc[self.observed], [name], ref)
        self.x = np.full((len(data), design.x.shape[1]), np.nan)
        self.x[self.observed] = design.x
        self.terms = design.names


def _newton(y: IntArray, x1: FloatArray) -> tuple[FloatArray, FloatArray] | None:
    """Logistic maximum likelihood by Newton-Raphson (numpy; small screening designs): the
    coefficients and their covariance, or None when it does not converge or separates."""
    beta = np.zeros(x1.shape[1])
    for _ in range(50):
        p = expit(x1 @ beta)
        w = p * (1 - p)
        info = x1.T @ (x1 * w[:, None])
        try:
            step = np.linalg.solve(info, x1.T @ (y - p))
        except np.linalg.LinAlgError:
            return None
        beta = beta + step
        if not np.isfinite(beta).all() or np.abs(beta).max() > 30:
            return None
        if np.abs(step).max() < 1e-10:
            p = expit(x1 @ beta)
            info = x1.T @ (x1 * (p * (1 - p))[:, None])
            try:
                return beta, np.linalg.inv(info)
            except np.linalg.LinAlgError:
                return None
    return None


def _wald_p(y: IntArray, x: FloatArray) -> float:
    """Smallest two-sided Wald p of the non-intercept terms of ``y ~ x`` (NaN if unfittable)."""
    keep = np.ptp(x, axis=0) > 0
    if not keep.any():
        return float("nan")
    x1 = np.column_stack((np.ones(y.size), x[:, keep]))
    fitted = _newton(y.astype(float), x1)
    if fitted is None:
        return float("nan")
    beta, cov = fitted
    se = np.sqrt(np.diag(cov)[1:])
    return float(np.min(2 * norm.sf(np.abs(beta[1:] / se))))


def _select(
    y: IntArray,
    rows: np.ndarray,
    candidates: Sequence[_Candidate],
    p_threshold: float,
    force: set[str],
) -> list[_Candidate]:
    chosen: list[_Candidate] = []
    for c in candidates:
        if c.name in force:
            chosen.append(c)
            continue
        use = rows[c.observed[rows]]
        if np.unique(y[use]).size < 2:
            continue
        p = _wald_p(y[use], c.x[use])
        if p < p_threshold:
            chosen.append(c)
    return chosen


def _fit_selected(
    y: IntArray, rows: np.ndarray, chosen: Sequence[_Candidate]
) -> tuple[FloatArray, FloatArray, np.ndarray] | None:
    """The selected model's coefficients, the design of every row and who has every predictor."""
    x = np.column_stack([np.ones(y.size), *[c.x for c in chosen]])
    complete = np.all(np.isfinite(x), axis=1)
    use = rows[complete[rows]]
    if use.size == 0:
        return None
    beta = _fit_logistic(y[use], x[use])
    if beta is None:
        return None
    return beta, x, complete


def bootstrap_optimism_selected(
    data: pd.DataFrame,
    outcome: str,
    candidates: Sequence[str],
    *,
    p_threshold: float = 0.05,
    force: Sequence[str] = (),
    n_boot: int = 200,
    seed: int = 0,
    reference: Mapping[str, Any] | None = None,
) -> SelectedBootstrapResult:
    """Bootstrap optimism-corrected AUC, calibration and Brier of a model whose predictors are
    selected by univariable p < ``p_threshold`` among ``candidates`` (plus ``force``), the
    selection repeated in every bootstrap sample. Candidates may have missing values (each is
    screened on the patients with a value); the outcome may not."""
    names = list(candidates)
    if not names or len(set(names)) != len(names):
        raise StatisticsError("candidates must be distinct and not empty")
    if outcome in names:
        raise StatisticsError("the outcome cannot also be a candidate")
    unknown_force = sorted(set(force) - set(names))
    if unknown_force:
        raise StatisticsError(f"force names non-candidate(s) {', '.join(unknown_force)}")
    if isinstance(n_boot, bool) or not isinstance(n_boot, int | np.integer) or n_boot < 1:
        raise StatisticsError(f"n_boot must be a positive integer, got {n_boot!r}")
    y = as_binary(data[outcome].to_numpy(), f"outcome {outcome!r}")
    if y.min() == y.max():
        raise StatisticsError(f"outcome {outcome!r} has a single class")
    ref = dict(reference or {})
    pool = [_Candidate(data, c, ref) for c in names]
    forced = set(force)
    everyone = np.arange(y.size)
    chosen = _select(y, everyone, pool, p_threshold, forced)
    fitted = _fit_selected(y, everyone, chosen) if chosen else None
    if fitted is None:
        raise StatisticsError("no candidate is selected on the original data, or its fit fails")
    beta, x, complete = fitted
    apparent = _train_indexes(y[complete], x[complete] @ beta)
    rng = np.random.default_rng(seed)
    train = np.full((n_boot, len(INDEXES)), np.nan)
    test = np.full((n_boot, len(INDEXES)), np.nan)
    counts = dict.fromkeys(names, 0)
    for b in range(n_boot):
        idx = rng.integers(0, y.size, size=y.size)
        picked = _select(y, idx, pool, p_threshold, forced)
        refit = _fit_selected(y, idx, picked) if picked else None
        if refit is None:
            continue
        coef, xb, has = refit
        tested = _test_indexes(y[has], xb[has] @ coef)
        if tested is None:
            continue
        sample = idx[has[idx]]
        train[b] = _train_indexes(y[sample], xb[sample] @ coef)
        test[b] = tested
        for c in picked:
            counts[c.name] += 1
    failed = np.isnan(train[:, 0])
    n_ok = int((~failed).sum())
    if n_ok == 0:
        raise StatisticsError(f"no bootstrap sample of {n_boot} gave a fitted selected model")
    table, replicates = optimism_tables(apparent, train, test)
    frequency = pd.DataFrame(
        {
            "variable": names,
            "selected": [counts[n] for n in names],
            "share": [counts[n] / n_ok for n in names],
        }
    )
    return SelectedBootstrapResult(
        table=table,
        replicates=replicates,
        n=int(complete.sum()),
        events=int(y[complete].sum()),
        n_boot=int(n_boot),
        n_successful=n_ok,
        n_failed=n_boot - n_ok,
        seed=int(seed),
        terms=[t for c in chosen for t in c.terms],
        selected=[c.name for c in chosen],
        frequency=frequency,
    )
