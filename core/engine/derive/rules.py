"""Evaluate one derivation rule on the typed cohort frame."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from remarkit.engine.derive import expression as expr
from remarkit.engine.derive.records import (
    AnyRecord,
    CutRecord,
    ExpressionRecord,
    StandardizeRecord,
    TransformRecord,
)
from remarkit.engine.derive.spec import (
    CutSpec,
    ExpressionSpec,
    RuleSpec,
    StandardizeSpec,
    TransformSpec,
)
from remarkit.text import name_ids

MAX_SHOWN = 5


class DeriveError(Exception):
    """A bad derivation: a one-line message and the sub-field of ``cohort.derived.NAME``."""

    def __init__(self, message: str, sub: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.sub = sub


def rows_text(mask: np.ndarray) -> str:
    """``rows 2, 5 and 3 more`` (spreadsheet rows: header = row 1) of the True positions."""
    positions = [int(i) + 2 for i in np.flatnonzero(mask)]
    return f"{'row' if len(positions) == 1 else 'rows'} {name_ids(positions, MAX_SHOWN)}"


def number(value: float) -> str:
    """A break or threshold as text: 'Inf', '-Inf', or the shortest float text ('10')."""
    if np.isinf(value):
        return "Inf" if value > 0 else "-Inf"
    return f"{value:g}" if float(f"{value:g}") == value else repr(float(value))


def source(
    frame: pd.DataFrame, name: str, column: str, later: Sequence[str], want: str, sub: str
) -> pd.Series:
    """The column a rule uses; it must be declared or derived earlier, and of type ``want``."""
    if column == name:
        raise DeriveError(f"'{column}' refers to the variable being derived (a cycle)", sub)
    if column not in frame.columns:
        if column in later:
            raise DeriveError(
                f"'{column}' is derived later; derived variables are evaluated in declaration "
                "order and may use only earlier ones",
                sub,
            )
        raise DeriveError(
            f"unknown column '{column}' (neither a declared cohort variable nor an earlier "
            "derived variable)",
            sub,
        )
    series = frame[column]
    is_cat = isinstance(series.dtype, pd.CategoricalDtype)
    if want == "continuous" and is_cat:
        raise DeriveError(f"'{column}' is categorical; this rule needs a continuous variable", sub)
    if want == "categorical" and not is_cat:
        raise DeriveError(f"'{column}' is continuous; regroup needs a categorical variable", sub)
    return series


def categorical_values(
    codes: np.ndarray, labels: list[str], reference: str | None
) -> pd.Categorical:
    levels = list(labels)
    if reference is not None:
        if reference not in levels:
            raise DeriveError(
                f"reference '{reference}' is not one of the levels {levels}", "reference"
            )
        levels.remove(reference)
        levels.insert(0, reference)
    values = [labels[c] if c >= 0 else None for c in codes]
    return pd.Categorical(values, categories=levels, ordered=False)


def counts_of(name: str, values: pd.Series | pd.Categorical, warnings: list[str]) -> dict[str, Any]:
    series = pd.Series(values)
    base: dict[str, Any] = {
        "name": name,
        "n": len(series),
        "n_missing": int(series.isna().sum()),
        "warnings": warnings,
    }
    if isinstance(values, pd.Categorical):
        levels = [str(c) for c in values.categories]
        counts = series.value_counts(dropna=True)
        base.update(
            type="categorical", levels=levels, counts={lv: int(counts.get(lv, 0)) for lv in levels}
        )
    else:
        base.update(type="continuous")
    return base


def spec_fields(spec: RuleSpec) -> dict[str, Any]:
    return spec.model_dump()


def cut(
    name: str, spec: CutSpec, frame: pd.DataFrame, later: Sequence[str]
) -> tuple[pd.Series, AnyRecord]:
    """R's cut(x, breaks, labels, right, include.lowest); values outside the breaks are missing."""
    x = source(frame, name, spec.variable, later, "continuous", "variable").to_numpy(dtype=float)
    if (spec.breaks is None) == (spec.threshold is None):
        raise DeriveError("give either breaks or threshold (exactly one)", "breaks")
    if spec.threshold is not None:
        if not np.isfinite(spec.threshold):
            raise DeriveError("the threshold must be finite", "threshold")
        breaks = [-np.inf, spec.threshold, np.inf]
        t = number(spec.threshold)
        default = [f"<= {t}", f"> {t}"] if spec.right else [f"< {t}", f">= {t}"]
    else:
        assert spec.breaks is not None
        breaks = list(spec.breaks)
        if len(breaks) < 2:
            raise DeriveError("needs at least two breaks (one interval)", "breaks")
        if any(np.isnan(b) for b in breaks):
            raise DeriveError("breaks must be numbers, not nan", "breaks")
        if any(b >= c for b, c in itertools.pairwise(breaks)):
            problem = "duplicated" if len(set(breaks)) < len(breaks) else "not sorted"
            raise DeriveError(
                f"breaks {[number(b) for b in breaks]} are {problem}; give them strictly "
                "increasing",
                "breaks",
            )
        default = _r_labels(breaks, spec.right, spec.include_lowest)
    labels = spec.labels if spec.labels is not None else default
    if len(labels) != len(breaks) - 1:
        raise DeriveError(
            f"{len(labels)} label(s) for {len(breaks) - 1} interval(s) of {len(breaks)} breaks",
            "labels",
        )
    if len(set(labels)) < len(labels):
        raise DeriveError(f"labels {labels} repeat a label", "labels")
    b = np.asarray(breaks)
    k = len(labels)
    known = ~np.isnan(x)
    safe = np.where(known, x, 0.0)
    if spec.right:
        codes = np.searchsorted(b, safe, side="left") - 1
        if spec.include_lowest:
            codes[safe == b[0]] = 0
    else:
        codes = np.searchsorted(b, safe, side="right") - 1
        if spec.include_lowest:
            codes[safe == b[-1]] = k - 1
    outside = known & ((codes < 0) | (codes >= k))
    codes = np.where(known & ~outside, codes, -1)
    values = categorical_values(codes, labels, spec.reference)
    warnings = (
        [
            f"{int(outside.sum())} value(s) of {spec.variable} outside the breaks set missing "
            f"({rows_text(outside)})"
        ]
        if outside.any()
        else []
    )
    fields = spec_fields(spec) | {
        "breaks": None if spec.breaks is None else [number(v) for v in spec.breaks]
    }
    record = CutRecord(
        **fields,
        **counts_of(name, values, warnings),
        effective_breaks=[number(v) for v in breaks],
        effective_labels=list(labels),
        n_outside=int(outside.sum()),
    )
    return pd.Series(values, index=frame.index), record


def _r_labels(breaks: list[float], right: bool, include_lowest: bool) -> list[str]:
    """R's default cut() labels: '(a,b]' or '[a,b)', 3 significant digits (more if needed)."""
    for digits in range(3, 13):  # R: formatC(breaks, digits = dig, width = 1), dig 3..12
        text = [f"{b:.{digits}g}" if np.isfinite(b) else number(b) for b in breaks]
        if "-Inf" in text:  # R's formatC pads the non-finite values to one width: ' Inf'
            text = [" Inf" if t == "Inf" else t for t in text]
        if all(a != b for a, b in itertools.pairwise(text)):
            break
    k = len(breaks) - 1
    labels = []
    for i in range(k):
        if right:
            left = "[" if include_lowest and i == 0 else "("
            labels.append(f"{left}{text[i]},{text[i + 1]}]")
        else:
            closing = "]" if include_lowest and i == k - 1 else ")"
            labels.append(f"[{text[i]},{text[i + 1]}{closing}")
    return labels


_DOMAIN = {
    "log": (lambda x: x > 0, np.log, "<= 0"),
    "log2": (lambda x: x > 0, np.log2, "<= 0"),
    "log10": (lambda x: x > 0, np.log10, "<= 0"),
    "log1p": (lambda x: x > -1, np.log1p, "<= -1"),
    "sqrt": (lambda x: x >= 0, np.sqrt, "< 0"),
}


def transform(
    name: str, spec: TransformSpec, frame: pd.DataFrame, later: Sequence[str]
) -> tuple[pd.Series, AnyRecord]:
    """log/log2/log10/log1p/sqrt; values outside the domain are missing (counted) or an error."""
    x = source(frame, name, spec.variable, later, "continuous", "variable").to_numpy(dtype=float)
    ok, fn, bad_text = _DOMAIN[spec.function]
    known = ~np.isnan(x)
    with np.errstate(all="ignore"):
        invalid = known & ~ok(x)
    if invalid.any() and spec.on_invalid == "error":
        raise DeriveError(
            f"{int(invalid.sum())} value(s) of {spec.variable} {bad_text} cannot take "
            f'{spec.function} ({rows_text(invalid)}); set on_invalid = "missing" to drop them',
            "on_invalid",
        )
    with np.errstate(all="ignore"):
        y = np.where(known & ~invalid, fn(np.where(invalid | ~known, 1.0, x)), np.nan)
    warnings = (
        [
            f"{int(invalid.sum())} value(s) of {spec.variable} {bad_text} set missing by "
            f"{spec.function} ({rows_text(invalid)})"
        ]
        if invalid.any()
        else []
    )
    record = TransformRecord(
        **spec_fields(spec), **counts_of(name, pd.Series(y), warnings), n_invalid=int(invalid.sum())
    )
    return pd.Series(y, index=frame.index), record


def standardize(
    name: str,
    spec: StandardizeSpec,
    frame: pd.DataFrame,
    later: Sequence[str],
    train: pd.Series,
    frozen: StandardizeRecord | None,
) -> tuple[pd.Series, AnyRecord]:
    """(x - mean) / sd, mean and sd (n - 1) of the training set, or frozen from a training run."""
    x = source(frame, name, spec.variable, later, "continuous", "variable").astype(float)
    if frozen is not None:
        mean, sd, n_fit, fitted_on = frozen.mean, frozen.sd, frozen.n_fit, frozen.fitted_on
        if fitted_on == "training set":
            fitted_on = "training run"
    else:
        fit = x[train.to_numpy()].dropna()
        if len(fit) < 2:
            raise DeriveError(
                f"needs at least two training patients with {spec.variable} (has {len(fit)})"
                + (
                    "; an external cohort re-uses a training run's mean and SD"
                    if not train.any()
                    else ""
                ),
                "variable",
            )
        mean, sd, n_fit, fitted_on = (
            float(fit.mean()),
            float(fit.std(ddof=1)),
            len(fit),
            "training set",
        )
        if not sd > 0:
            raise DeriveError(f"{spec.variable} is constant in the training set (SD 0)", "variable")
    y = ((x - mean) / sd).to_numpy(dtype=float)
    record = StandardizeRecord(
        **spec_fields(spec),
        **counts_of(name, pd.Series(y), []),
        mean=mean,
        sd=sd,
        n_fit=n_fit,
        fitted_on=fitted_on,
    )
    return pd.Series(y, index=frame.index), record


def expression(
    name: str, spec: ExpressionSpec, frame: pd.DataFrame, later: Sequence[str]
) -> tuple[pd.Series, AnyRecord]:
    """Evaluate the safe arithmetic expression over the patients."""
    try:
        tree = expr.parse(spec.expression)
    except expr.ExpressionError as exc:
        raise DeriveError(str(exc), "expression") from exc
    used = expr.names(tree)
    columns = {
        col: source(frame, name, col, later, "continuous", "expression").to_numpy(dtype=float)
        for col in used
    }
    result = expr.evaluate(tree, columns, len(frame))
    warnings = []
    if result.division_by_zero.any():
        warnings.append(
            f"{int(result.division_by_zero.sum())} division(s) by zero set missing "
            f"({rows_text(result.division_by_zero)})"
        )
    if result.invalid.any():
        warnings.append(
            f"{int(result.invalid.sum())} value(s) outside a function's domain or overflowing "
            f"set missing ({rows_text(result.invalid)})"
        )
    record = ExpressionRecord(
        **spec_fields(spec),
        **counts_of(name, pd.Series(result.values), warnings),
        uses=used,
        n_division_by_zero=int(result.division_by_zero.sum()),
        n_invalid=int(result.invalid.sum()),
    )
    return pd.Series(result.values, index=frame.index), record
