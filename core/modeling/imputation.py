"""Multiple imputation by chained equations (MICE), seeded, on one data frame.

The algorithm (van Buuren & Groothuis-Oudshoorn 2011, as R ``mice`` with its default methods;
the random draws differ from mice's):

1. Every incomplete column is first filled with values drawn at random (with replacement) from
   its observed values.
2. One iteration visits the incomplete columns left to right. For column ``j``, the design
   matrix is an intercept, every other column (continuous ones centred and scaled by their
   current mean and SD, categorical ones as indicators of their non-first levels) with their
   current values, so the outcome, given as a complete column, is in every imputation model.
   Only the rows where ``j`` is observed fit the model; the rows where it is missing get new
   draws:

   * continuous, ``pmm``: predictive mean matching as mice's ``pmm`` (type-1 matching): a
     Bayesian linear-regression draw (ridge 1e-5 as mice; ``sigma* = sqrt(RSS / chi2(n - p))``,
     ``beta* = beta_hat + sigma* L z``); predicted means ``X_obs beta_hat`` of the observed rows
     and ``X_mis beta*`` of the missing rows; each missing row takes the observed value of one
     of its ``donors`` (5) nearest observed rows, chosen at random;
   * categorical, ``logreg`` (two levels) or ``polyreg`` (three or more): a logistic
     (multinomial) regression fitted by Newton-Raphson with a ridge of 1e-2 on the
     non-intercept coefficients (separation cannot make it diverge), a draw
     ``beta* ~ N(beta_hat, V)`` as mice's ``logreg`` (mice's ``polyreg`` skips this parameter
     draw), then each missing row's level is drawn from its probabilities under ``beta*``.
     A level no observed row has is never imputed.

3. After ``iterations`` iterations the chain's data set is one completed data set; ``m``
   independent chains give ``m`` data sets. Every draw comes from the one ``rng`` in a fixed
   order, so a seed fixes the result.

Observed values are never changed. Fitting the imputation models uses only the rows passed in:
callers pass the training patients only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

import numpy as np
import pandas as pd

from remarkit.errors import StatisticsError

Method = Literal["pmm", "logreg", "polyreg"]
PMM_RIDGE = 1e-5
LOGIT_RIDGE = 1e-2


@dataclass(frozen=True)
class Imputation:
    """``m`` completed copies of a data frame and how each incomplete column was imputed."""

    datasets: list[pd.DataFrame]
    methods: dict[str, Method]
    n_missing: dict[str, int]
    iterations: int

    @property
    def m(self) -> int:
        """Number of completed data sets."""
        return len(self.datasets)


def imputation_method(series: pd.Series) -> Method:
    """``pmm`` for a numeric column, ``logreg`` for two levels, ``polyreg`` for more."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return "logreg" if len(series.cat.categories) == 2 else "polyreg"
    return "pmm"


def _from_codes(codes: np.ndarray, like: pd.Series) -> pd.Categorical:
    """A Categorical with ``like``'s levels from integer codes."""
    dtype = cast(pd.CategoricalDtype, like.dtype)
    return pd.Categorical.from_codes(np.asarray(codes, dtype=int).tolist(), dtype=dtype)


def _design(data: pd.DataFrame, exclude: str) -> np.ndarray:
    """Intercept, scaled numeric columns and level indicators of every column but ``exclude``."""
    parts = [np.ones((len(data), 1))]
    for name in data.columns:
        if name == exclude:
            continue
        col = data[name]
        if isinstance(col.dtype, pd.CategoricalDtype):
            codes = col.cat.codes.to_numpy()
            for k in range(1, len(col.cat.categories)):
                ind = (codes == k).astype(float)
                if 0 < ind.sum() < ind.size:
                    parts.append(ind[:, None])
        else:
            x = col.to_numpy(dtype=float)
            sd = float(x.std())
            if sd > 0:
                parts.append(((x - x.mean()) / sd)[:, None])
    return np.hstack(parts)


def _pmm(
    y: np.ndarray, x_obs: np.ndarray, x_mis: np.ndarray, rng: np.random.Generator, donors: int
) -> np.ndarray:
    xtx = x_obs.T @ x_obs
    v = np.linalg.inv(xtx + np.diag(PMM_RIDGE * np.diag(xtx)))
    coef = v @ x_obs.T @ y
    resid = y - x_obs @ coef
    df = max(len(y) - x_obs.shape[1], 1)
    sigma = float(np.sqrt(resid @ resid / rng.chisquare(df)))
    chol = np.linalg.cholesky((v + v.T) / 2.0)
    beta = coef + sigma * (chol @ rng.standard_normal(len(coef)))
    yhat_obs = x_obs @ coef
    yhat_mis = x_mis @ beta
    k = min(donors, len(y))
    # a tiny random jitter breaks ties between equal predicted means at random
    scale = float(np.ptp(yhat_obs)) or 1.0
    yhat_obs = yhat_obs + rng.uniform(0.0, 1e-9 * scale, len(y))
    order = np.argsort(yhat_obs)
    ranked = yhat_obs[order]
    # the k nearest of a sorted vector lie within k places either side of the insertion point
    pos = np.searchsorted(ranked, yhat_mis)
    window = np.clip(pos[:, None] + np.arange(-k, k)[None, :], 0, len(y) - 1)
    dist = np.abs(ranked[window] - yhat_mis[:, None])
    dist[:, 1:][window[:, 1:] == window[:, :-1]] = np.inf  # clipped duplicates count once
    nearest = np.take_along_axis(window, np.argsort(dist, axis=1, kind="stable")[:, :k], axis=1)
    chosen = nearest[np.arange(len(yhat_mis)), rng.integers(0, k, len(yhat_mis))]
    return y[order[chosen]]


def _multinomial_fit(codes: np.ndarray, x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Ridge-penalised multinomial logistic MLE against level 0, and its covariance.

    Returns the (k - 1) x p coefficients flattened row-wise and the inverse penalised Hessian;
    the intercepts are not penalised. Two levels give ordinary logistic regression.
    """
    n, p = x.shape
    onehot = np.zeros((n, k))
    onehot[np.arange(n), codes] = 1.0
    pen = np.tile(np.r_[0.0, np.full(p - 1, LOGIT_RIDGE)], k - 1)
    beta = np.zeros((k - 1) * p)

    def probs(b: np.ndarray) -> np.ndarray:
        eta = np.hstack([np.zeros((n, 1)), x @ b.reshape(k - 1, p).T])
        eta -= eta.max(axis=1, keepdims=True)
        e = np.exp(eta)
        return np.asarray(e / e.sum(axis=1, keepdims=True))

    def hessian(prob: np.ndarray) -> np.ndarray:
        h = np.empty(((k - 1) * p, (k - 1) * p))
        for a in range(1, k):
            for c in range(1, k):
                w = prob[:, a] * ((a == c) - prob[:, c])
                h[(a - 1) * p : a * p, (c - 1) * p : c * p] = (x * w[:, None]).T @ x
        return np.asarray(h + np.diag(pen) + 1e-10 * np.eye(len(pen)))

    for _ in range(100):
        prob = probs(beta)
        grad = (x.T @ (onehot[:, 1:] - prob[:, 1:])).T.ravel() - pen * beta
        step = np.linalg.solve(hessian(prob), grad)
        beta = beta + step
        if np.max(np.abs(step)) < 1e-8:
            break
    return beta, np.linalg.inv(hessian(probs(beta)))


def _categorical(
    codes: np.ndarray, x_obs: np.ndarray, x_mis: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Draw levels: multinomial logistic fit, ``beta* ~ N(beta_hat, V)``, then a level draw."""
    levels = np.unique(codes)  # levels no observed row has cannot be imputed
    if len(levels) == 1:
        return np.full(len(x_mis), int(levels[0]))
    k = len(levels)
    beta, cov = _multinomial_fit(np.searchsorted(levels, codes), x_obs, k)
    chol = np.linalg.cholesky((cov + cov.T) / 2.0)
    draw = (beta + chol @ rng.standard_normal(len(beta))).reshape(k - 1, x_obs.shape[1])
    eta = np.hstack([np.zeros((len(x_mis), 1)), x_mis @ draw.T])
    eta -= eta.max(axis=1, keepdims=True)
    prob = np.exp(eta)
    cum = np.cumsum(prob / prob.sum(axis=1, keepdims=True), axis=1)
    u = rng.uniform(size=len(x_mis))[:, None]
    pick = np.minimum((u > cum).sum(axis=1), k - 1)
    return np.asarray(levels[pick], dtype=int)


def _draw(
    current: pd.DataFrame,
    name: str,
    observed: np.ndarray,
    method: Method,
    rng: np.random.Generator,
    donors: int,
) -> None:
    x = _design(current, name)
    x_obs, x_mis = x[observed], x[~observed]
    col = current[name]
    if method == "pmm":
        y = col.to_numpy(dtype=float, copy=True)
        values = _pmm(y[observed], x_obs, x_mis, rng, donors)
        y[~observed] = values
        current[name] = y
        return
    codes = col.cat.codes.to_numpy()
    obs_codes = codes[observed]
    drawn = _categorical(obs_codes, x_obs, x_mis, rng)
    codes = codes.copy()
    codes[~observed] = drawn
    current[name] = _from_codes(codes, col)


def impute_chained(
    data: pd.DataFrame,
    *,
    m: int,
    iterations: int,
    rng: np.random.Generator,
    donors: int = 5,
) -> Imputation:
    """``m`` completed copies of ``data`` by chained equations (see the module docstring).

    Columns are float (imputed by ``pmm``) or pandas Categorical (``logreg`` / ``polyreg``);
    every column is a predictor of every other, so pass the outcome as a complete column.
    """
    if m < 1 or iterations < 1:
        raise StatisticsError(f"m and iterations must be at least 1, got {m} and {iterations}")
    work = data.copy()
    for name in work.columns:
        if not isinstance(work[name].dtype, pd.CategoricalDtype):
            work[name] = pd.to_numeric(work[name], errors="raise").astype(float)
    missing = {str(c): work[c].isna().to_numpy() for c in work.columns}
    incomplete = [c for c in work.columns if missing[str(c)].any()]
    for name in incomplete:
        if missing[str(name)].all():
            raise StatisticsError(f"'{name}' has no observed value to impute from")
    methods: dict[str, Method] = {str(c): imputation_method(work[c]) for c in incomplete}
    datasets: list[pd.DataFrame] = []
    for _ in range(m):
        current = work.copy()
        for name in incomplete:
            miss = missing[str(name)]
            col = current[name]
            categorical = isinstance(col.dtype, pd.CategoricalDtype)
            values = col.cat.codes.to_numpy().copy() if categorical else col.to_numpy(copy=True)
            pool = values[~miss]
            values[miss] = pool[rng.integers(0, len(pool), int(miss.sum()))]
            if categorical:
                current[name] = _from_codes(values, col)
            else:
                current[name] = values
        for _ in range(iterations):
            for name in incomplete:
                observed = ~missing[str(name)]
                _draw(current, str(name), observed, methods[str(name)], rng, donors)
        datasets.append(current)
    return Imputation(
        datasets=datasets,
        methods=methods,
        n_missing={str(c): int(missing[str(c)].sum()) for c in incomplete},
        iterations=iterations,
    )
