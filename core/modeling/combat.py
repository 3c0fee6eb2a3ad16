"""ComBat harmonisation of features across batches (centres, scanners), fitted then frozen.

Parametric empirical-Bayes ComBat (Johnson, Li & Rabinovic, Biostatistics 2007) as R's
``sva::ComBat(dat, batch, mod, par.prior = TRUE, mean.only = FALSE)`` computes it, split into a
fit on the training samples (:func:`fit_combat`) and a frozen application (:func:`apply_combat`)
to any samples of the training batches, so nothing is re-estimated on test or external data.

Per feature, a linear model of batch indicators and the covariates to preserve gives the grand
mean (batch coefficients weighted by batch size), the covariate effects and the pooled variance
(mean squared residual). On the standardised data, each batch's location (gamma) and scale
(delta) are shrunk towards priors estimated across features (normal for gamma, inverse gamma for
delta) by sva's iteration (relative change below ``conv``). A sample of batch b becomes
``m + (z - gamma*_b) / sqrt(delta*_b) * sqrt(v)`` with ``m`` its standardising mean, ``v`` the
pooled variance and ``z = (x - m) / sqrt(v)``.

A feature with a single value within a training batch cannot be scaled for that batch; as sva
does, such features are left out of the fit and of the priors and pass through unchanged (listed
in ``ComBatModel.unadjusted`` and in a :class:`RemarkitWarning`). Every training batch needs two
samples (sva falls back to a location-only model otherwise; this module does not).
"""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from remarkit import InputError, RemarkitWarning, StatisticsError
from remarkit.modeling.combat_design import CovariateCoding, code_covariates, covariate_matrix
from remarkit.text import name_ids

#: sva's convergence criterion of the empirical-Bayes iteration (``it.sol(conv = 1e-4)``).
CONVERGENCE = 1e-4
MAX_ITERATIONS = 10_000
Prior = Literal["parametric", "nonparametric"]


class ComBatModel(BaseModel):
    """A fitted ComBat harmonisation: everything :func:`apply_combat` needs (JSON-serialisable).

    Per-feature lists follow ``adjusted``; per-batch lists follow ``batches``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    batch_column: str = Field(description="Name of the batch column")
    batches: list[str] = Field(description="Training batches")
    batch_sizes: list[int] = Field(description="Training samples per batch")
    features: list[str] = Field(description="Every feature the model was fitted on, in order")
    adjusted: list[str] = Field(description="Features harmonised")
    unadjusted: list[str] = Field(
        description="Features with a single value within a training batch: passed through"
    )
    covariates: list[CovariateCoding] = Field(description="Covariates preserved, as coded")
    grand_mean: list[float] = Field(description="Grand mean per adjusted feature")
    pooled_variance: list[float] = Field(description="Pooled residual variance per feature")
    covariate_coefficients: list[list[float]] = Field(
        description="Covariate effects: one row per design term, one value per adjusted feature"
    )
    gamma_star: list[list[float]] = Field(description="Shrunk batch locations (batch x feature)")
    delta_star: list[list[float]] = Field(description="Shrunk batch scales (batch x feature)")
    prior: Prior = Field(description="Empirical-Bayes prior: 'parametric' or 'nonparametric'")
    iterations: list[int] = Field(
        description="Parametric empirical-Bayes iterations per batch (0 for the nonparametric)"
    )

    @property
    def terms(self) -> list[str]:
        """Covariate design terms, in the order of ``covariate_coefficients``."""
        return [t for c in self.covariates for t in c.terms]


def _batch_labels(batch: pd.Series, column: str, n: int) -> pd.Series:
    if len(batch) != n:
        raise InputError(f"{len(batch)} batch values for {n} samples", column=column)
    absent = batch.isna()
    if absent.any():
        rows = ", ".join(str(i) for i in batch.index[absent][:5])
        raise InputError(f"missing batch value(s) (rows {rows})", column=column)
    return batch.astype(str)


def _batch_order(batch: pd.Series, labels: pd.Series) -> list[str]:
    present = set(labels)
    if isinstance(batch.dtype, pd.CategoricalDtype):
        return [str(c) for c in batch.cat.categories if str(c) in present]
    return sorted(present)


def _constant_within(x: np.ndarray, groups: list[np.ndarray]) -> np.ndarray:
    """Columns with a single value within any group (sva's ``var(x) == 0`` rows)."""
    out = np.zeros(x.shape[1], dtype=bool)
    for rows in groups:
        out |= np.ptp(x[rows], axis=0) == 0
    return out


def _finite(features: pd.DataFrame) -> np.ndarray:
    x = features.to_numpy(dtype=float)
    bad = ~np.isfinite(x)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise InputError(
            f"{int(bad.sum())} non-finite value(s) (first: row {features.index[row]}); ComBat is "
            "fitted on complete features",
            column=str(features.columns[col]),
        )
    return x


def _solve_eb(
    z: np.ndarray, gamma_hat: float | np.ndarray, delta_hat: np.ndarray, priors: tuple[float, ...]
) -> tuple[np.ndarray, np.ndarray, int]:
    """sva's ``it.sol``: posterior gamma and delta of one batch, iterated to convergence."""
    g_bar, t2, a, b = priors
    n = z.shape[0]
    g_old = np.asarray(gamma_hat, dtype=float)
    d_old = np.asarray(delta_hat, dtype=float)
    for count in range(1, MAX_ITERATIONS + 1):
        g_new = (t2 * n * gamma_hat + d_old * g_bar) / (t2 * n + d_old)
        sum2 = ((z - g_new) ** 2).sum(axis=0)
        d_new = (0.5 * sum2 + b) / (n / 2 + a - 1)
        # sva divides by the signed old value (a negative ratio never stops the loop)
        change = max(np.max(np.abs(g_new - g_old) / g_old), np.max(np.abs(d_new - d_old) / d_old))
        g_old, d_old = g_new, d_new
        if not change > CONVERGENCE:
            if np.isnan(change):
                raise StatisticsError("ComBat's empirical-Bayes iteration gave NaN")
            return g_new, d_new, count
    raise StatisticsError(f"ComBat's empirical-Bayes iteration did not converge in {count} steps")


def _nonparametric(
    z: np.ndarray, gamma_hat: np.ndarray, delta_hat: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """sva's ``int.eprior``: per feature, the other features' (gamma, delta) weighted by the
    normal likelihood of this feature's standardised values (computed on the log scale, so
    that many samples do not underflow it; R's ratio is the same where it does not)."""
    n = z.shape[0]
    p = z.shape[1]
    g_star, d_star = np.empty(p), np.empty(p)
    for i in range(p):
        g, d = np.delete(gamma_hat, i), np.delete(delta_hat, i)
        sum2 = ((z[:, i][None, :] - g[:, None]) ** 2).sum(axis=1)
        log_lh = -n / 2 * np.log(2 * np.pi * d) - sum2 / (2 * d)
        log_lh[~np.isfinite(log_lh)] = -np.inf
        weight = np.exp(log_lh - log_lh.max())
        g_star[i] = (g * weight).sum() / weight.sum()
        d_star[i] = (d * weight).sum() / weight.sum()
    return g_star, d_star


def fit_combat(
    features: pd.DataFrame,
    batch: pd.Series,
    covariates: pd.DataFrame | None = None,
    *,
    prior: Prior = "parametric",
) -> ComBatModel:
    """Fit ComBat on training ``features`` (samples x features) with their ``batch`` labels.

    ``prior`` is sva's ``par.prior``: "parametric" (TRUE, the default) or "nonparametric"
    (FALSE: each feature's batch location and scale are likelihood-weighted averages of the
    other features' estimates).

    ``covariates`` (same rows) are effects to preserve (sva's ``mod`` without its intercept):
    continuous columns as they are, categorical ones treatment-coded. The batch column is named
    by ``batch.name``. Bad input (missing or non-finite values, a batch with fewer than two
    samples, covariates confounded with batch) is a one-line :class:`InputError`.
    """
    column = str(batch.name) if batch.name is not None else "batch"
    x_all = _finite(features)
    labels = _batch_labels(batch, column, len(features))
    batches = _batch_order(batch, labels)
    if len(batches) < 2:
        raise InputError(f"one batch ({batches[0]}) among the training samples", column=column)
    groups = [np.flatnonzero(labels.to_numpy() == b) for b in batches]
    small = [f"{b} ({len(g)})" for b, g in zip(batches, groups, strict=True) if len(g) < 2]
    if small:
        raise InputError(
            f"batch(es) {', '.join(small)} have fewer than 2 training samples; ComBat estimates "
            "each batch's scale from at least two",
            column=column,
        )
    if covariates is not None and len(covariates) != len(features):
        raise InputError(f"{len(covariates)} covariate rows for {len(features)} samples")
    codings = code_covariates(covariates) if covariates is not None else []
    covariate_x = covariate_matrix(covariates, codings, len(features))
    names = [str(c) for c in features.columns]
    constant = _constant_within(x_all, groups)
    unadjusted = [n for n, c in zip(names, constant, strict=True) if c]
    if unadjusted:
        warnings.warn(
            RemarkitWarning(
                f"ComBat: {len(unadjusted)} feature(s) with a single value within a training "
                f"batch are not harmonised: {', '.join(unadjusted[:10])}"
                + (" ..." if len(unadjusted) > 10 else "")
            ),
            stacklevel=2,
        )
    x = x_all[:, ~constant]
    if x.shape[1] < 2:
        raise StatisticsError(
            f"ComBat needs at least two features that vary within every batch ({x.shape[1]})"
        )
    n = len(x)
    indicator = np.column_stack([(labels.to_numpy() == b).astype(float) for b in batches])
    design = np.hstack([indicator, covariate_x])
    if np.linalg.matrix_rank(design) < design.shape[1]:
        raise InputError(
            f"the covariates {[c.column for c in codings]} are confounded with the batch or "
            "with each other; ComBat cannot separate them",
            column=column,
        )
    k = len(batches)
    sizes = np.array([len(g) for g in groups], dtype=float)
    beta = np.linalg.solve(design.T @ design, design.T @ x)
    grand = (sizes / n) @ beta[:k]
    pooled = ((x - design @ beta) ** 2).mean(axis=0)
    stand = grand + covariate_x @ beta[k:]
    z = (x - stand) / np.sqrt(pooled)
    gamma_hat = np.vstack([z[g].mean(axis=0) for g in groups])
    delta_hat = np.vstack([z[g].var(axis=0, ddof=1) for g in groups])
    gamma_star, delta_star, counts = [], [], []
    for i, g in enumerate(groups):
        if prior == "nonparametric":
            g_star, d_star = _nonparametric(z[g], gamma_hat[i], delta_hat[i])
            gamma_star.append(g_star.tolist())
            delta_star.append(d_star.tolist())
            counts.append(0)
            continue
        m, s2 = delta_hat[i].mean(), delta_hat[i].var(ddof=1)
        priors = (
            float(gamma_hat[i].mean()),
            float(gamma_hat[i].var(ddof=1)),
            float((2 * s2 + m**2) / s2),
            float((m * s2 + m**3) / s2),
        )
        g_star, d_star, count = _solve_eb(z[g], gamma_hat[i], delta_hat[i], priors)
        gamma_star.append(g_star.tolist())
        delta_star.append(d_star.tolist())
        counts.append(count)
    return ComBatModel(
        batch_column=column,
        batches=batches,
        batch_sizes=[len(g) for g in groups],
        features=names,
        adjusted=[n for n, c in zip(names, constant, strict=True) if not c],
        unadjusted=unadjusted,
        covariates=codings,
        prior=prior,
        grand_mean=grand.tolist(),
        pooled_variance=pooled.tolist(),
        covariate_coefficients=beta[k:].tolist(),
        gamma_star=gamma_star,
        delta_star=delta_star,
        iterations=counts,
    )


def apply_combat(
    model: ComBatModel,
    features: pd.DataFrame,
    batch: pd.Series,
    covariates: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """``features`` harmonised with the frozen ``model`` (columns: ``model.features``).

    Any samples of the training batches (the training samples themselves, a test set, an
    external cohort); non-finite values stay non-finite. A batch the model was not fitted on,
    a missing feature or covariate, or an unseen covariate level is a one-line
    :class:`InputError`.
    """
    column = model.batch_column
    missing = [f for f in model.features if f not in features.columns]
    if missing:
        raise InputError(
            f"the ComBat model needs feature(s) {name_ids(missing, 5)}",
            column=missing[0],
        )
    labels = _batch_labels(batch, column, len(features))
    unseen = sorted(set(labels) - set(model.batches))
    if unseen:
        raise InputError(
            f"batch '{unseen[0]}' was not among the training batches "
            f"({', '.join(model.batches)}); ComBat cannot harmonise a batch it was not fitted on",
            column=column,
        )
    covariate_x = covariate_matrix(covariates, model.covariates, len(features))
    out = features[model.features].astype(float).copy()
    x = out[model.adjusted].to_numpy(dtype=float)
    root = np.sqrt(np.asarray(model.pooled_variance))
    stand = np.asarray(model.grand_mean) + covariate_x @ np.asarray(
        model.covariate_coefficients, dtype=float
    ).reshape(covariate_x.shape[1], len(model.adjusted))
    z = (x - stand) / root
    index = {b: i for i, b in enumerate(model.batches)}
    rows = np.array([index[b] for b in labels], dtype=int)
    gamma = np.asarray(model.gamma_star)[rows]
    delta = np.asarray(model.delta_star)[rows]
    out[model.adjusted] = (z - gamma) / np.sqrt(delta) * root + stand
    return out
