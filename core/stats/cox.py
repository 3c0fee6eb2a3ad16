"""Cox proportional-hazards regression, as R ``coxph`` (Efron or Breslow ties, strata)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field
from scipy.stats import chi2, norm

from remarkit.errors import StatisticsError
from remarkit.stats._base import StatResult
from remarkit.stats._concordance import harrell_c, pair_counts
from remarkit.stats._cox_baseline import baseline_hazard
from remarkit.stats._cox_fit import Ties, fit_cox
from remarkit.stats._cox_inputs import cox_inputs
from remarkit.stats._surv_input import check_level

__all__ = ["CoxLrTestResult", "CoxResult", "cox_lr_test", "cox_regression"]


class CoxResult(StatResult):
    """Cox model estimates with Wald CIs, the whole-model tests of summary(coxph), and what a
    frozen model needs to predict (coefficients, centring means, baseline hazard)."""

    kind: Literal["cox_regression"] = Field("cox_regression", description="Result type tag.")
    table: pd.DataFrame = Field(
        description="One row per model term: term ('variable' or 'variable[level]'), variable, "
        "level (None if numeric), reference (reference level, None if numeric), coef, hr "
        "(exp(coef)), se, lower and upper (Wald CI of the HR), z, p_value, mean (mean of the "
        "design column over the fitted rows: coxph's centring, fit$means)."
    )
    covariance: pd.DataFrame = Field(
        description="Covariance matrix of the coefficients (inverse information, coxph's var), "
        "rows and columns named by term."
    )
    baseline: pd.DataFrame = Field(
        description="Baseline cumulative hazard at the centring means, one row per distinct "
        "event time per stratum, as basehaz(fit, centered=TRUE) / survfit.coxph (Efron or "
        "Breslow increments): stratum (label, '' if unstratified), time, n_risk, n_event, "
        "cumhaz."
    )
    predictors: list[str] = Field(description="Predictor columns, in model order.")
    strata: list[str] = Field(description="Stratifying columns (empty if unstratified).")
    stratum_levels: list[str] = Field(
        description="Stratum labels 'column=value, ...' (sorted), [''] if unstratified."
    )
    ties: Ties = Field(description="Tie handling: 'efron' or 'breslow'.")
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
        description="Harrell's C of the linear predictor, as coxph's concordance (within strata "
        "when stratified; NaN if not computed)."
    )
    level: float = Field(description="Confidence level of the HR intervals.")
    iterations: int = Field(description="Newton-Raphson iterations used.")


class CoxLrTestResult(StatResult):
    """Likelihood-ratio test of two nested Cox fits, as anova(reduced, full)."""

    kind: Literal["cox_lr_test"] = Field("cox_lr_test", description="Result type tag.")
    chisq: float = Field(description="2 (loglik_full - loglik_reduced).")
    df: int = Field(description="Difference in the number of coefficients.")
    p_value: float = Field(description="Upper-tail chi-square p-value.")
    loglik_full: float = Field(description="Log partial likelihood of the full model.")
    loglik_reduced: float = Field(description="Log partial likelihood of the reduced model.")
    added_terms: list[str] = Field(description="Terms of the full model not in the reduced one.")


def _stratified_c(t: np.ndarray, e: np.ndarray, score: np.ndarray, codes: np.ndarray) -> float:
    """coxph's concordance: pairs are compared within strata only (higher lp fails earlier)."""
    conc = disc = tied = 0
    for s in np.unique(codes):
        m = codes == s
        if e[m].sum() == 0:
            continue
        pc = pair_counts(t[m], e[m], -score[m])
        conc += pc.total_concordant
        disc += pc.total_discordant
        tied += pc.total_tied_x
    total = conc + disc + tied
    return float("nan") if total == 0 else (conc + tied / 2.0) / total


def cox_regression(
    data: pd.DataFrame,
    time: str,
    event: str,
    predictors: Any,
    *,
    reference: Mapping[str, Any] | None = None,
    level: float = 0.95,
    concordance_index: bool = True,
    ties: str = "efron",
    strata: Any = None,
) -> CoxResult:
    """Cox regression, as R ``coxph(Surv(time, event) ~ predictors + strata(...), ties=...)``.

    ``time`` and ``event`` name columns of ``data``; ``predictors`` is a list of column names;
    ``strata`` a list of columns whose combinations get separate baseline hazards.
    Categorical predictors (pandas Categorical, strings) are dummy-coded against a reference
    level: the first category of a Categorical, else the first sorted level, or
    ``reference[variable]``. Missing values are an error (coxph would drop those rows).
    """
    inp = cox_inputs(data, time, event, predictors, reference=reference, ties=ties, strata=strata)
    lev = check_level(level)
    t, e, design, codes, labels = inp.time, inp.event, inp.design, inp.codes, inp.labels
    tie_rule = inp.ties
    fit = fit_cox(t, e, design.x, ties=tie_rule, strata=codes)
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
            "mean": fit.means,
        }
    )
    k = fit.coef.size
    lr = 2.0 * (fit.loglik - fit.loglik_null)
    wald = float(fit.coef @ np.linalg.solve(fit.var, fit.coef))
    lp = (design.x - fit.means) @ fit.coef
    if not concordance_index:
        c_index = float("nan")
    elif len(labels) == 1:
        c_index = harrell_c(t, e, -lp)
    else:
        c_index = _stratified_c(t, e, lp, codes)
    base = baseline_hazard(t, e, lp, fit.risk_sets, tie_rule)
    base.insert(0, "stratum", [labels[i] for i in base.pop("stratum_code")])
    return CoxResult(
        table=table,
        covariance=pd.DataFrame(fit.var, index=design.names, columns=design.names),
        baseline=base,
        predictors=inp.predictors,
        strata=inp.strata,
        stratum_levels=labels,
        ties=tie_rule,
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


def cox_lr_test(full: CoxResult, reduced: CoxResult) -> CoxLrTestResult:
    """Likelihood-ratio test that the terms ``full`` adds to ``reduced`` are all zero.

    Both fits must be on the same subjects (same n and events), with the same strata and tie
    rule, and every term of ``reduced`` must be in ``full``.
    """
    if full.n != reduced.n or full.events != reduced.events:
        raise StatisticsError(
            f"nested Cox models must be fitted on the same subjects: full has n={full.n} "
            f"({full.events} events), reduced n={reduced.n} ({reduced.events} events)"
        )
    if full.strata != reduced.strata or full.ties != reduced.ties:
        raise StatisticsError("nested Cox models must have the same strata and ties")
    full_terms = list(full.table.term)
    missing = [tm for tm in reduced.table.term if tm not in full_terms]
    if missing:
        raise StatisticsError(
            f"the reduced model is not nested in the full one: {', '.join(missing)} not in full"
        )
    df = full.df - reduced.df
    if df <= 0:
        raise StatisticsError("the full model must have more terms than the reduced one")
    chisq = 2.0 * (full.loglik - reduced.loglik)
    return CoxLrTestResult(
        chisq=chisq,
        df=df,
        p_value=float(chi2.sf(chisq, df)),
        loglik_full=full.loglik,
        loglik_reduced=reduced.loglik,
        added_terms=[tm for tm in full_terms if tm not in set(reduced.table.term)],
    )
