"""Helpers shared by the clinical units: column labels and types, reference levels, warnings."""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

import pandas as pd

from remarkit import InputError, RemarkitWarning, UnitContext


def column_label(ctx: UnitContext, column: str, overrides: Mapping[str, str]) -> tuple[str, str]:
    """(label, unit) of a cohort or derived column; ``overrides`` (unit params) win.

    A derived column ``<unit id>.<name>`` takes the label its upstream unit gave it.
    """
    unit = ""
    spec = ctx.cohort.variable(column)
    if spec is not None:
        unit = spec.unit
    if column in overrides:
        return overrides[column], unit
    if spec is not None:
        return (spec.label or column), unit
    prefix, _, name = column.partition(".")
    upstream = ctx.upstream.get(prefix)
    if upstream is not None:
        for derived in upstream.columns:
            if derived.name == name and derived.label:
                return derived.label, unit
    return column, unit


def is_categorical(series: pd.Series) -> bool:
    """True for a categorical cohort or derived column."""
    return isinstance(series.dtype, pd.CategoricalDtype)


def check_columns(ctx: UnitContext, columns: Sequence[str], field: str) -> None:
    """Every column must be in the cohort (declared or derived by an upstream unit)."""
    missing = [c for c in columns if c not in ctx.cohort.data.columns]
    if missing:
        raise InputError(f"unknown column(s) {missing}", field=field)
    doubles = sorted({c for c in columns if list(columns).count(c) > 1})
    if doubles:
        raise InputError(f"column(s) {doubles} listed more than once", field=field)


def with_references(
    data: pd.DataFrame, references: Mapping[str, str], field: str = "reference"
) -> pd.DataFrame:
    """A copy of ``data`` whose categorical columns put the requested reference level first.

    A reference for a column that is not categorical, or a level the column does not have, is
    a one-line :class:`InputError`.
    """
    out = data.copy()
    for column, level in references.items():
        if column not in out.columns:
            raise InputError(f"reference given for '{column}', which is not analysed", field=field)
        series = out[column]
        if not is_categorical(series):
            raise InputError(
                f"reference given for '{column}', which is continuous", field=f"{field}.{column}"
            )
        levels = [str(c) for c in series.cat.categories]
        if level not in levels:
            raise InputError(
                f"reference level '{level}' does not exist for '{column}' (levels: {levels})",
                field=f"{field}.{column}",
            )
        order = [level, *[c for c in levels if c != level]]
        out[column] = series.cat.reorder_categories(order)
    return out


@contextmanager
def collect_warnings(sink: list[str], prefix: str = "") -> Iterator[None]:
    """Record every RemarkitWarning raised inside the block into ``sink`` as text."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RemarkitWarning)
        yield
    for w in caught:
        if issubclass(w.category, RemarkitWarning):
            text = f"{prefix}{w.message}"
            if text not in sink:
                sink.append(text)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
