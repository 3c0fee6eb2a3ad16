"""Logistic regression as R ``glm(family = binomial)``, and GVIF as ``car::vif``."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field
from scipy.stats import norm

from remarkit.errors import RemarkitWarning, StatisticsError
from remarkit.stats._base import StatResult
from remarkit.stats._group_input import check_level
from remarkit.stats._logistic_fit import Fit, Prepared, fit_logit, prepare
from remarkit.stats._profile_ci import profile_limits
from remarkit.stats._separation import Separation, detect_separation

__all__ = ["LogisticResult", "VifResult", "logistic_regression", "vif"]

INTERCEPT = "(Intercept)"
MIN_EVENTS_PER_VARIABLE = 10


class LogisticResult(StatResult):
    """Logistic-regression estimates, odds ratios with Wald or profile-likelihood CIs."""

    kind: Literal["logistic_regression"] = Field(
        "logistic_regression", description="Result type tag."
    )
    table: pd.DataFrame = Field(
        description="One row per coefficient, intercept first: term ('(Intercept)', 'variable' "
        "or 'variable[level]'), variable, level (None if numeric), reference (reference level, "
        "None if numeric), coef (log odds), se, odds_ratio (exp(coef)), lower and upper (CI of "
        "the odds ratio), z (Wald), p_value (two-sided Wald)."
    )
    ci_method: Literal["wald", "profile"] = Field(
        description="'wald' (coef +- z se, as confint.default) or 'profile' (exact "
        "profile-likelihood roots; R's confint(glm) interpolates and differs by ~1e-3)."
    )
    level: float = Field(description="Confidence level of the intervals.")
    outcome: str = Field(description="Outcome column (1 = event).")
    n: int = Field(description="Complete cases used.")
    events: int = Field(description="Complete cases with outcome 1.")
    n_missing: int = Field(description="Rows dropped for a missing outcome or predictor.")
    events_per_variable: float = Field(
        description="min(events, non-events) / number of coefficients besides the intercept."
    )
    separation: Literal["none", "quasi-complete", "complete"] = Field(
        description="Separation of the outcome by the predictors (linear-programming check)."
    )
    deviance: float = Field(description="Residual deviance, -2 log L.")
    null_deviance: float = Field(description="Deviance of the intercept-only model.")
    aic: float = Field(description="AIC = deviance + 2 * number of coefficients.")
    converged: bool = Field(description="True if IRLS met its tolerance (1e-13 relative).")
    iterations: int = Field(description="IRLS iterations used.")
    covariance: pd.DataFrame = Field(description="Covariance matrix of the coefficients.")
    warnings: list[str] = Field(
        description="Problems found (separation, few events per variable, non-convergence, "
        "unbounded profile limits); each was also emitted as a RemarkitWarning."
    )


class VifResult(StatResult):
    """Generalised variance-inflation factors of a logistic model, as ``car::vif``."""

    kind: Literal["vif"] = Field("vif", description="Result type tag.")
    table: pd.DataFrame = Field(
        description="One row per predictor: variable, gvif, df (number of coefficients: "
        "levels - 1 for a factor), gvif_adj (GVIF^(1/(2 df)), comparable across df)."
    )
    n: int = Field(description="Complete cases used by the fit.")
    warnings: list[str] = Field(description="Problems found while fitting the model.")


def _warn(messages: list[str], message: str) -> None:
    messages.append(message)
    warnings.warn(message, RemarkitWarning, stacklevel=3)


def _fit_checked(prep: Prepared, messages: list[str]) -> tuple[Fit, Separation, float]:
    """Fit, then check convergence, separation and events per variable."""
    fit = fit_logit(prep.x, prep.y)
    terms = prep.design.terms
    sep = detect_separation(prep.x, prep.y)
    if sep.kind != "none":
        involved = sorted({terms[j - 1].variable for j in sep.columns}) or ["the intercept"]
        _warn(
            messages,
            f"{sep.kind} separation: the outcome is perfectly predicted along "
            f"{', '.join(involved)}; maximum-likelihood estimates do not exist (coefficients and "
            "standard errors diverge)",
        )
    elif not fit.converged:
        _warn(messages, f"the IRLS fit did not converge in {fit.iterations} iterations")
    events = float(prep.y.sum())
    epv = min(events, prep.y.size - events) / len(terms)
    if epv < MIN_EVENTS_PER_VARIABLE:
        _warn(
            messages,
            f"only {epv:.3g} events per variable (min(events, non-events) = "
            f"{min(events, prep.y.size - events):.0f} for {len(terms)} coefficients); fewer than "
            f"{MIN_EVENTS_PER_VARIABLE} makes estimates unreliable",
        )
    return fit, sep, epv


def _null_deviance(y: np.ndarray) -> float:
    p = float(y.mean())
    return float(-2.0 * (y.sum() * np.log(p) + (y.size - y.sum()) * np.log1p(-p)))


def logistic_regression(
    data: pd.DataFrame,
    outcome: str,
    predictors: Any,
    *,
    ci: Literal["wald", "profile"] = "wald",
    level: float = 0.95,
    reference: Mapping[str, Any] | None = None,
) -> LogisticResult:
    """Logistic regression of 0/1 ``outcome`` on ``predictors``, as R ``glm(family=binomial)``.

    Categorical predictors (pandas Categorical, strings) are dummy-coded against a reference
    level: the first category of a Categorical, else the first sorted level, or
    ``reference[variable]``. Rows with a missing outcome or predictor are dropped (counted in
    ``n_missing``). ``ci="wald"`` gives ``confint.default`` intervals; ``ci="profile"`` gives
    profile-likelihood limits found by exact root finding (R's ``confint(glm)`` interpolates a
    spline through the profile and differs by ~3e-4, up to ~1e-3, on the log-odds scale).
    Separation, fewer than 10 events per variable and non-convergence raise a RemarkitWarning and
    are listed in ``warnings``.
    """
    if ci not in ("wald", "profile"):
        raise StatisticsError(f"ci must be 'wald' or 'profile', got {ci!r}")
    lev = check_level(level)
    prep = prepare(data, outcome, predictors, reference)
    messages: list[str] = []
    fit, separation, epv = _fit_checked(prep, messages)
    se = np.sqrt(np.diag(fit.cov))
    z = fit.coef / se
    if ci == "wald":
        half = float(norm.ppf(1.0 - (1.0 - lev) / 2.0)) * se
        limits = np.column_stack([fit.coef - half, fit.coef + half])
    else:
        limits = profile_limits(prep.x, prep.y, fit, lev, separation.unbounded)
    terms = prep.design.terms
    names = [INTERCEPT, *prep.design.names]
    if ci == "profile":
        for name, (low, high) in zip(names, limits, strict=True):
            if not (np.isfinite(low) and np.isfinite(high)):
                _warn(messages, f"the profile-likelihood interval of {name} is unbounded")
    with np.errstate(over="ignore"):
        odds, lower, upper = np.exp(fit.coef), np.exp(limits[:, 0]), np.exp(limits[:, 1])
    table = pd.DataFrame(
        {
            "term": names,
            "variable": [INTERCEPT, *[t.variable for t in terms]],
            "level": pd.Series([None, *[t.level for t in terms]], dtype=object),
            "reference": pd.Series([None, *[t.reference for t in terms]], dtype=object),
            "coef": fit.coef,
            "se": se,
            "odds_ratio": odds,
            "lower": lower,
            "upper": upper,
            "z": z,
            "p_value": 2.0 * norm.sf(np.abs(z)),
        }
    )
    return LogisticResult(
        table=table,
        ci_method=ci,
        level=lev,
        outcome=outcome,
        n=int(prep.y.size),
        events=int(prep.y.sum()),
        n_missing=prep.n_missing,
        events_per_variable=epv,
        separation=separation.kind,
        deviance=fit.deviance,
        null_deviance=_null_deviance(prep.y),
        aic=fit.deviance + 2.0 * fit.coef.size,
        converged=fit.converged,
        iterations=fit.iterations,
        covariance=pd.DataFrame(fit.cov, index=names, columns=names),
        warnings=messages,
    )


def vif(
    data: pd.DataFrame,
    outcome: str,
    predictors: Any,
    *,
    reference: Mapping[str, Any] | None = None,
) -> VifResult:
    """Generalised VIF per predictor of the logistic fit, as R ``car::vif(glm(...))``.

    From the coefficient correlation matrix R (intercept removed):
    GVIF = det(R[S, S]) det(R[-S, -S]) / det(R) for the columns S of each predictor, with
    Df = |S| and GVIF^(1/(2 Df)). Needs at least two predictors.
    """
    prep = prepare(data, outcome, predictors, reference)
    variables = list(dict.fromkeys(t.variable for t in prep.design.terms))
    if len(variables) < 2:
        raise StatisticsError("vif needs at least 2 predictors (car::vif: fewer than 2 terms)")
    messages: list[str] = []
    fit, _, _ = _fit_checked(prep, messages)
    cov = fit.cov[1:, 1:]
    sd = np.sqrt(np.diag(cov))
    corr = cov / np.outer(sd, sd)
    det_all = float(np.linalg.det(corr))
    owner = np.array([t.variable for t in prep.design.terms])
    rows = []
    for var in variables:
        inside = owner == var
        g = (
            float(np.linalg.det(corr[np.ix_(inside, inside)]))
            * float(np.linalg.det(corr[np.ix_(~inside, ~inside)]))
            / det_all
        )
        df = int(inside.sum())
        rows.append({"variable": var, "gvif": g, "df": df, "gvif_adj": g ** (1.0 / (2 * df))})
    return VifResult(table=pd.DataFrame(rows), n=int(prep.y.size), warnings=messages)
