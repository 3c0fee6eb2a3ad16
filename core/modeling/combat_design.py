"""Covariate design of a ComBat fit: covariates preserved by the harmonisation, coded and frozen.

A continuous covariate enters as itself; a categorical one (pandas categorical, text or boolean)
as treatment-coded indicators of every level but the first, as R's ``model.matrix(~ x)`` codes a
factor. The levels are the training set's (a categorical column's category order, else sorted)
and are frozen: new data with a level the training set did not have cannot be coded.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from remarkit import InputError


class CovariateCoding(BaseModel):
    """How one covariate column enters the ComBat design."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    column: str = Field(description="Covariate column")
    levels: list[str] | None = Field(
        description="Training levels of a categorical covariate (first = reference); None for a "
        "continuous one"
    )

    @property
    def terms(self) -> list[str]:
        """Design column names: the column, or 'column[level]' per non-reference level."""
        if self.levels is None:
            return [self.column]
        return [f"{self.column}[{level}]" for level in self.levels[1:]]


def _categorical(series: pd.Series) -> bool:
    return (
        isinstance(series.dtype, pd.CategoricalDtype)
        or not pd.api.types.is_numeric_dtype(series)
        or pd.api.types.is_bool_dtype(series)
    )


def _missing(series: pd.Series, column: str) -> None:
    absent = series.isna()
    if absent.any():
        rows = [str(i) for i in series.index[absent]][:5]
        raise InputError(
            f"{int(absent.sum())} missing value(s) (rows {', '.join(rows)}); ComBat covariates "
            "must be complete",
            column=column,
        )


def code_covariates(covariates: pd.DataFrame) -> list[CovariateCoding]:
    """The coding of every column of ``covariates`` (the training rows), levels frozen."""
    codings: list[CovariateCoding] = []
    for column in covariates.columns:
        series = covariates[column]
        _missing(series, str(column))
        if not _categorical(series):
            codings.append(CovariateCoding(column=str(column), levels=None))
            continue
        if isinstance(series.dtype, pd.CategoricalDtype):
            present = set(series.astype(str))
            levels = [str(c) for c in series.cat.categories if str(c) in present]
        else:
            levels = sorted({str(v) for v in series})
        if len(levels) < 2:
            raise InputError(
                f"the covariate has one level ({levels[0]}) among the training rows",
                column=str(column),
            )
        codings.append(CovariateCoding(column=str(column), levels=levels))
    return codings


def covariate_matrix(
    covariates: pd.DataFrame | None, codings: list[CovariateCoding], n: int
) -> np.ndarray:
    """The design columns of ``codings`` for the ``n`` rows of ``covariates`` (n x terms)."""
    if not codings:
        return np.zeros((n, 0))
    if covariates is not None and len(covariates) != n:
        raise InputError(f"{len(covariates)} covariate rows for {n} samples")
    if covariates is None:
        raise InputError(f"ComBat needs covariate column(s) {[c.column for c in codings]}")
    blocks: list[np.ndarray] = []
    for coding in codings:
        if coding.column not in covariates.columns:
            raise InputError("the ComBat model needs this covariate column", column=coding.column)
        series = covariates[coding.column]
        _missing(series, coding.column)
        if coding.levels is None:
            if _categorical(series):
                raise InputError(
                    "the covariate was continuous when ComBat was fitted", column=coding.column
                )
            blocks.append(series.to_numpy(dtype=float)[:, None])
            continue
        values = series.astype(str)
        unseen = sorted(set(values) - set(coding.levels))
        if unseen:
            raise InputError(
                f"level(s) {unseen} were not among the training levels {coding.levels} the "
                "ComBat model was fitted with",
                column=coding.column,
            )
        blocks.append(
            np.column_stack(
                [(values == level).to_numpy(dtype=float) for level in coding.levels[1:]]
            )
        )
    return np.hstack(blocks)
