"""Cox proportional-hazards regression, as R ``coxph(..., ties = "efron")``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field
from scipy.stats import chi2, norm

from remarkit.errors import StatisticsError
from remarkit.stats._base import StatResult
from remarkit.stats._cox_fit import concordance, fit_cox
from remarkit.stats._design import build_design, check_full_rank
from remarkit.stats._surv_input import as_name_list, as_time_event, check_columns, check_level

__all__ = ["CoxResult", "cox_regression"]


class CoxResult(StatResult):
    """Cox model estimates with Wald CIs and the whole-model tests of summary(coxph)."""

    kind: Literal["cox_regression"] = Field("cox_regression", description="Result type tag.")
    table: pd.DataFrame = Field(
        description="One row per model term: term ('variable' or 'variable[level]'), variable, "
        "level (None if numeric), reference (reference level, None if numeric), coef, hr "
        "(exp(coef)), se, lower and upper (Wald CI of the HR), z, p_value."
    )
    n: int = Field(description="Number of subjects.")
    events: int = Field(description="Number of events.")
    loglik_null: float = Field(description="Log partial likelihood at beta = 0.")
    loglik: float = Field(description="Log partial likelihood at the estimates.")
    lr_chisq: float = Field(description="Likelihood-ratio test statistic, 2 (loglik - null).")
    wald_chisq: float = Field(description="Wald test statistic of all coefficients = 0.")
    score_chisq: float = Field(description="Score (log-rank) test statistic at beta = 0.")
    df: int = Field(description="Degrees of freedom of the three tests (number of terms).")
    lr_p_value: float = Field(description="p-value of the likelihood-ratio test.")
    wald_p_value: float = Field(description="p-value of the Wald test.")
    score_p_value: float = Field(description="p-value of the score test.")
    concordance: float = Field(
        description="Harrell's C of the linear predictor, as coxph's concordance (NaN if not "
        "computed)."
    )
    level: float = Field(description="Confidence level of the HR intervals.")
    iterations: int = Field(description="Newton-Raphson iterations used.")


def cox_regression(
    data: pd.DataFrame,
    time: str,
    event: str,
    predictors: Any,
    *,
    reference: Mapping[str, Any] | None = None,
    level: float = 0.95,
    concordance_index: bool = True,
) -> CoxResult:
    """Cox regression with Efron ties, as R ``coxph(Surv(time, event) ~ predictors)``.

    ``time`` and ``event`` name columns of ``data``; ``predictors`` is a list of column names.
    Categorical predictors (pandas Categorical, strings) are dummy-coded against a reference
    level: the first category of a Categorical, else the first sorted level, or
    ``reference[variable]``. Missing values are an error (coxph would drop those rows).
    """
    names = as_name_list(predictors)
    if time in names or event in names:
        raise StatisticsError("time and event cannot also be predictors")
    check_columns(data, [time, event, *names])
    t, e = as_time_event(data[time].to_numpy(), data[event].to_numpy())
    lev = check_level(level)
    if e.sum() == 0:
        raise StatisticsError("there are no events; a Cox model needs at least one")
    design = build_design(data, names, reference)
    check_full_rank(design, "Cox model")
    fit = fit_cox(t, e, design.x)
    se = np.sqrt(np.diag(fit.var))
    z = fit.coef / se
    zq = float(norm.ppf(1.0 - (1.0 - lev) / 2.0))
    with np.errstate(over="ignore"):  # an infinite coefficient (warned about) gives an Inf bound
        hr, lower, upper = np.exp(fit.coef), np.exp(fit.coef - zq * se), np.exp(fit.coef + zq * se)
    table = pd.DataFrame(
        {
            "term": design.names,
            "variable": [tm.variable for tm in design.terms],
            "level": pd.Series([tm.level for tm in design.terms], dtype=object),
            "reference": pd.Series([tm.reference for tm in design.terms], dtype=object),
            "coef": fit.coef,
            "hr": hr,
            "se": se,
            "lower": lower,
            "upper": upper,
            "z": z,
            "p_value": 2.0 * norm.sf(np.abs(z)),
        }
    )
    k = fit.coef.size
    lr = 2.0 * (fit.loglik - fit.loglik_null)
    wald = float(fit.coef @ np.linalg.solve(fit.var, fit.coef))
    c_index = concordance(t, e, design.x @ fit.coef) if concordance_index else float("nan")
    return CoxResult(
        table=table,
        n=int(t.size),
        events=int(e.sum()),
        loglik_null=fit.loglik_null,
        loglik=fit.loglik,
        lr_chisq=lr,
        wald_chisq=wald,
        score_chisq=fit.score_chisq,
        df=k,
        lr_p_value=float(chi2.sf(lr, k)),
        wald_p_value=float(chi2.sf(wald, k)),
        score_p_value=float(chi2.sf(fit.score_chisq, k)),
        concordance=c_index,
        level=lev,
        iterations=fit.iterations,
    )
