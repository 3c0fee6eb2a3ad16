"""Intraclass correlations (Shrout & Fleiss 1979), the six forms of R ``psych::ICC``.

The mean squares come from the two-way ANOVA of a complete subjects x raters table, as
``psych::ICC(x, lmer = FALSE)``; for complete data psych's default (``lmer = TRUE``) estimates
the same variance components by REML and agrees with this up to the optimiser's tolerance
(unless a variance component is truncated at zero).
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field
from scipy.stats import f as f_dist

from remarkit.errors import StatisticsError
from remarkit.stats._base import StatResult

__all__ = ["ICC_FORMS", "IccForm", "IccResult", "icc"]

ICC_FORMS: tuple[str, ...] = ("ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k")

_FORM_DESCRIPTIONS = {
    "ICC1": "one-way random, single rater",
    "ICC2": "two-way random, absolute agreement, single rater",
    "ICC3": "two-way mixed, consistency, single rater",
    "ICC1k": "one-way random, average of k raters",
    "ICC2k": "two-way random, absolute agreement, average of k raters",
    "ICC3k": "two-way mixed, consistency, average of k raters",
}


class IccForm(StatResult):
    """One Shrout-Fleiss form: a row of ``psych::ICC(...)$results``."""

    kind: Literal["icc_form"] = Field("icc_form", description="Result type tag.")
    form: str = Field(description="psych's name: ICC1, ICC2, ICC3, ICC1k, ICC2k or ICC3k.")
    description: str = Field(description="Model, type and unit of the form in words.")
    estimate: float = Field(description="The intraclass correlation.")
    f: float = Field(description="F statistic of the test of ICC = 0.")
    df1: float = Field(description="Numerator degrees of freedom of F (n - 1).")
    df2: float = Field(description="Denominator degrees of freedom of F.")
    p_value: float = Field(description="One-sided p-value, P(F(df1, df2) > f).")
    lower: float = Field(description="Lower confidence bound (psych's formula for the form).")
    upper: float = Field(description="Upper confidence bound (psych's formula for the form).")


class IccResult(StatResult):
    """All six intraclass correlations of a subjects x raters table, one of them selected."""

    kind: Literal["icc"] = Field("icc", description="Result type tag.")
    selected: str = Field(description="Form selected by model / type / unit (e.g. ICC2).")
    estimate: float = Field(description="Intraclass correlation of the selected form.")
    f: float = Field(description="F statistic of the selected form.")
    df1: float = Field(description="Numerator degrees of freedom of the selected form's F.")
    df2: float = Field(description="Denominator degrees of freedom of the selected form's F.")
    p_value: float = Field(description="p-value of the selected form's F test of ICC = 0.")
    lower: float = Field(description="Lower confidence bound of the selected form.")
    upper: float = Field(description="Upper confidence bound of the selected form.")
    forms: tuple[IccForm, ...] = Field(description="The six forms in psych's row order.")
    n: int = Field(description="Number of subjects (rows).")
    k: int = Field(description="Number of raters (columns).")
    ms_subjects: float = Field(description="Between-subjects mean square (MSB).")
    ms_raters: float = Field(description="Between-raters mean square (MSJ).")
    ms_residual: float = Field(description="Residual mean square of the two-way ANOVA (MSE).")
    ms_within: float = Field(description="Within-subjects mean square of the one-way ANOVA (MSW).")
    level: float = Field(description="Confidence level of the intervals.")

    def form(self, name: str) -> IccForm:
        """The form called ``name`` (ICC1, ICC2, ICC3, ICC1k, ICC2k or ICC3k)."""
        for item in self.forms:
            if item.form == name:
                return item
        raise StatisticsError(f"unknown ICC form {name!r}; choose one of {', '.join(ICC_FORMS)}")

    def to_frame(self) -> pd.DataFrame:
        """The six forms as a pandas DataFrame (one row each, psych's column order)."""
        return pd.DataFrame([item.model_dump(exclude={"kind"}) for item in self.forms])


#: Largest rating magnitude: the mean squares of larger values overflow (inf/nan) in float64.
MAX_ABS = 1e50


def _as_table(ratings: Any) -> np.ndarray:
    try:
        x = np.asarray(ratings, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise StatisticsError("ratings must be numeric (subjects x raters)") from exc
    if x.ndim != 2:
        raise StatisticsError(f"ratings must be a subjects x raters table, got shape {x.shape}")
    n, k = x.shape
    if k < 2:
        raise StatisticsError(f"ratings need at least 2 raters (columns), got {k}")
    if n < 2:
        raise StatisticsError(f"ratings need at least 2 subjects (rows), got {n}")
    bad = int((~np.isfinite(x)).sum())
    if bad:
        raise StatisticsError(f"ratings contain {bad} missing or infinite value(s)")
    if np.abs(x).max() > MAX_ABS:
        raise StatisticsError(f"ratings beyond {MAX_ABS:g} in magnitude overflow the mean squares")
    return x


def _select(model: str, type: str, unit: str) -> str:
    if model not in ("oneway", "twoway"):
        raise StatisticsError(f"model must be 'oneway' or 'twoway', got {model!r}")
    if type not in ("agreement", "consistency"):
        raise StatisticsError(f"type must be 'agreement' or 'consistency', got {type!r}")
    if unit not in ("single", "average"):
        raise StatisticsError(f"unit must be 'single' or 'average', got {unit!r}")
    base = "ICC1" if model == "oneway" else ("ICC2" if type == "agreement" else "ICC3")
    return base + ("k" if unit == "average" else "")


def icc(
    ratings: Any,
    *,
    model: str = "twoway",
    type: str = "agreement",
    unit: str = "single",
    level: float = 0.95,
) -> IccResult:
    """Intraclass correlations of a complete subjects x raters table, as R ``psych::ICC``.

    All six Shrout-Fleiss forms are computed (``result.forms``, ``result.form("ICC3k")``);
    ``model`` ("oneway" | "twoway"), ``type`` ("agreement" | "consistency") and ``unit``
    ("single" | "average") select the headline form: twoway/agreement/single is ICC(2,1),
    two-way random with absolute agreement. The CIs use psych's formulas at
    ``alpha = 1 - level`` (for ICC2 the Satterthwaite-type df ``v`` of Shrout & Fleiss).
    Missing values, ratings beyond ``MAX_ABS`` (1e50) in magnitude, fewer than 2 subjects or
    raters, or no residual or between-subjects variance are errors (StatisticsError).
    """
    lev = float(level)
    if not 0.0 < lev < 1.0:
        raise StatisticsError(f"level must lie strictly between 0 and 1, got {level!r}")
    chosen = _select(model, type, unit)
    x = _as_table(ratings)
    n, k = x.shape
    grand = x.mean()
    ss_subjects = k * float(np.sum((x.mean(axis=1) - grand) ** 2))
    ss_raters = n * float(np.sum((x.mean(axis=0) - grand) ** 2))
    ss_total = float(np.sum((x - grand) ** 2))
    ss_resid = ss_total - ss_subjects - ss_raters
    df_b, df_j, df_e = n - 1, k - 1, (n - 1) * (k - 1)
    msb = ss_subjects / df_b
    msj = ss_raters / df_j
    mse = ss_resid / df_e
    msw = (ss_raters + ss_resid) / (df_j + df_e)
    if not mse > 0.0 or not msw > 0.0:
        raise StatisticsError(
            "ratings have no residual variance (every rater gives every subject the same value "
            "up to a constant): the ICC has no confidence interval"
        )
    if not msb > 0.0:
        raise StatisticsError(
            "ratings have no between-subjects variance (every subject has the same mean rating): "
            "the ICC is undefined"
        )
    alpha = 1.0 - lev
    q = 1.0 - alpha / 2.0

    icc1 = (msb - msw) / (msb + (k - 1) * msw)
    icc2 = (msb - mse) / (msb + (k - 1) * mse + k * (msj - mse) / n)
    icc3 = (msb - mse) / (msb + (k - 1) * mse)
    icc1k = (msb - msw) / msb
    icc2k = (msb - mse) / (msb + (msj - mse) / n)
    icc3k = (msb - mse) / msb

    f11, df11n, df11d = msb / msw, float(df_b), float(n * (k - 1))
    f21, df21n, df21d = msb / mse, float(df_b), float(df_e)
    p11 = float(f_dist.sf(f11, df11n, df11d))
    p21 = float(f_dist.sf(f21, df21n, df21d))

    f1l = f11 / f_dist.ppf(q, df11n, df11d)
    f1u = f11 * f_dist.ppf(q, df11d, df11n)
    f3l = f21 / f_dist.ppf(q, df21n, df21d)
    f3u = f21 * f_dist.ppf(q, df21d, df21n)

    fj = msj / mse
    vn = (k - 1) * (n - 1) * (k * icc2 * fj + n * (1 + (k - 1) * icc2) - k * icc2) ** 2
    vd = (n - 1) * k**2 * icc2**2 * fj**2 + (n * (1 + (k - 1) * icc2) - k * icc2) ** 2
    v = vn / vd
    f2u = f_dist.ppf(q, n - 1, v)
    f2l = f_dist.ppf(q, v, n - 1)
    denom = k * msj + (k * n - k - n) * mse
    l2 = n * (msb - f2u * mse) / (f2u * denom + n * msb)
    u2 = n * (f2l * msb - mse) / (denom + n * f2l * msb)

    rows = {
        "ICC1": (
            icc1,
            f11,
            df11n,
            df11d,
            p11,
            (f1l - 1) / (f1l + k - 1),
            (f1u - 1) / (f1u + k - 1),
        ),
        "ICC2": (icc2, f21, df21n, df21d, p21, l2, u2),
        "ICC3": (
            icc3,
            f21,
            df21n,
            df21d,
            p21,
            (f3l - 1) / (f3l + k - 1),
            (f3u - 1) / (f3u + k - 1),
        ),
        "ICC1k": (icc1k, f11, df11n, df11d, p11, 1 - 1 / f1l, 1 - 1 / f1u),
        "ICC2k": (
            icc2k,
            f21,
            df21n,
            df21d,
            p21,
            l2 * k / (1 + l2 * (k - 1)),
            u2 * k / (1 + u2 * (k - 1)),
        ),
        "ICC3k": (icc3k, f21, df21n, df21d, p21, 1 - 1 / f3l, 1 - 1 / f3u),
    }
    forms = tuple(
        IccForm(
            form=name,
            description=_FORM_DESCRIPTIONS[name],
            estimate=float(r[0]),
            f=float(r[1]),
            df1=float(r[2]),
            df2=float(r[3]),
            p_value=float(r[4]),
            lower=float(r[5]),
            upper=float(r[6]),
        )
        for name, r in rows.items()
    )
    pick = next(item for item in forms if item.form == chosen)
    return IccResult(
        selected=chosen,
        estimate=pick.estimate,
        f=pick.f,
        df1=pick.df1,
        df2=pick.df2,
        p_value=pick.p_value,
        lower=pick.lower,
        upper=pick.upper,
        forms=forms,
        n=int(n),
        k=int(k),
        ms_subjects=float(msb),
        ms_raters=float(msj),
        ms_residual=float(mse),
        ms_within=float(msw),
        level=lev,
    )
