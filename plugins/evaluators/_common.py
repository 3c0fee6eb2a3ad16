"""Shared pieces of the evaluator units: score parameters, complete cases, warnings, numbers.

Missing scores: a patient whose score (or any other column a unit analyses) is missing is left
out of the analyses of that score, and the unit records a named warning listing the patients
(complete-case analysis, as pROC's default ``na.rm``); nothing is imputed. Infinite values are an
error. A patient whose binary outcome is missing is left out of the units that analyse the
outcome (:func:`outcome_table`), and kept by the others (survival). Results record both as
``exclusions``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal, TypeVar

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from remarkit import (
    MISSING_OUTCOME,
    MISSING_SCORE,
    Exclusion,
    InputError,
    RemarkitWarning,
    StatisticsError,
    UnitContext,
    UnitParams,
    exclusion,
)
from remarkit.text import name_ids

Split = Literal["train", "test"]
Population = Literal["all", "train", "test"]
MAX_IDS_SHOWN = 10
#: Internal column names of the frames units build (cannot clash with cohort columns).
Y, SPLIT = "__outcome__", "__split__"

T = TypeVar("T")


class Row(BaseModel):
    """Base of the nested result rows: frozen, no extra fields, numbers as numbers."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class ScoreSpec(UnitParams):
    """A score (or predicted probability) to evaluate: a cohort or derived column."""

    column: str = Field(description="Cohort or derived column, e.g. 'clinical_afp.probability'")
    label: str = Field(default="", description="Display label (default: the column's label)")
    direction: Literal["higher", "lower"] = Field(
        default="higher",
        description="Which end predicts the outcome: 'higher' (pROC direction '<', a patient is "
        "positive if score >= threshold) or 'lower' (direction '>')",
    )

    @property
    def proc_direction(self) -> Literal["<", ">"]:
        """pROC's ``direction`` argument for this score."""
        return "<" if self.direction == "higher" else ">"

    def display(self, ctx: UnitContext) -> str:
        """The label shown in tables and figures."""
        return self.label or ctx.cohort.label(self.column)


def unique_columns(specs: Sequence[ScoreSpec], what: str) -> None:
    """Reject a list of scores that names a column twice."""
    seen: set[str] = set()
    for spec in specs:
        if spec.column in seen:
            raise ValueError(f"{what} lists column '{spec.column}' more than once")
        seen.add(spec.column)


class Proportion(Row):
    """A proportion with its Clopper-Pearson CI (None where undefined)."""

    estimate: float | None = Field(description="successes / total; None if total is 0")
    lower: float | None = Field(description="Lower exact bound (binom.test)")
    upper: float | None = Field(description="Upper exact bound (binom.test)")
    successes: int = Field(description="Numerator")
    total: int = Field(description="Denominator")


def finite(value: Any) -> float | None:
    """A float, or None for NaN/inf/None (results.json has no NaN)."""
    if value is None:
        return None
    x = float(value)
    return x if math.isfinite(x) else None


def finite_list(values: Any) -> list[float | None]:
    """Elementwise :func:`finite`."""
    return [finite(v) for v in np.asarray(values, dtype=float)]


def join_labels(labels: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    items = list(labels)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def add_warning(sink: list[str], message: str) -> None:
    """Append a warning once."""
    if message not in sink:
        sink.append(message)


@contextmanager
def captured(sink: list[str], prefix: str) -> Iterator[None]:
    """Turn remarkit's statistical warnings into named result warnings; prefix errors too.

    Other warnings (numpy, statsmodels) are re-emitted unchanged.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        except StatisticsError as exc:
            raise StatisticsError(f"{prefix}: {exc}") from exc
    for item in caught:
        if issubclass(item.category, RemarkitWarning):
            add_warning(sink, f"{prefix}: {item.message}")
        else:
            warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)


def stat(sink: list[str], prefix: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a statistics function under :func:`captured`."""
    with captured(sink, prefix):
        return fn(*args, **kwargs)


def numeric_column(ctx: UnitContext, column: str) -> pd.Series:
    """A continuous cohort or derived column; a missing or categorical one is an InputError."""
    data = ctx.cohort.data
    if column not in data.columns:
        raise InputError(
            f"column '{column}' is not in the cohort (nor derived by an upstream unit)"
        )
    series = data[column]
    if not pd.api.types.is_numeric_dtype(series):
        raise InputError(f"column '{column}' is categorical; a score must be a continuous column")
    values = series.astype(float)
    infinite = values.index[np.isinf(values.to_numpy())]
    if len(infinite):
        raise InputError(
            f"column '{column}' has infinite value(s) for patient(s) {name_ids(list(infinite))}"
        )
    return values


def categorical_column(ctx: UnitContext, column: str) -> pd.Series:
    """A categorical cohort or derived column (a Categorical series), else an InputError."""
    data = ctx.cohort.data
    if column not in data.columns:
        raise InputError(
            f"column '{column}' is not in the cohort (nor derived by an upstream unit)"
        )
    series = data[column]
    if not isinstance(series.dtype, pd.CategoricalDtype):
        raise InputError(f"column '{column}' is continuous; a grouping column must be categorical")
    return series


def drop_missing(
    frame: pd.DataFrame, labels: dict[str, str], sink: list[str], where: str = ""
) -> pd.DataFrame:
    """Rows of ``frame`` with no missing value in ``labels``' columns; one warning per column."""
    keep = pd.Series(True, index=frame.index)
    for column, label in labels.items():
        missing = frame[column].isna()
        if missing.any():
            ids = [str(i) for i in frame.index[missing]]
            scope = f" {where}" if where else ""
            add_warning(
                sink,
                f"{label}: {len(ids)} patient(s){scope} with a missing '{column}' left out "
                f"({name_ids(ids)})",
            )
            keep &= ~missing
    return frame.loc[keep]


def score_table(ctx: UnitContext, specs: Sequence[ScoreSpec]) -> pd.DataFrame:
    """Columns ``Y`` (0/1 outcome), ``SPLIT`` and one column per score (NaN kept), by patient."""
    cohort = ctx.cohort
    frame = pd.DataFrame({Y: cohort.outcome.astype(float), SPLIT: cohort.split})
    for spec in specs:
        frame[spec.column] = numeric_column(ctx, spec.column)
    return frame


def outcome_table(
    ctx: UnitContext,
    specs: Sequence[ScoreSpec],
    sink: list[str],
    within: pd.Series | None = None,
) -> tuple[pd.DataFrame, list[Exclusion]]:
    """:func:`score_table` of the patients with a known outcome, and who was left out.

    A patient whose binary outcome is missing cannot enter an analysis of the outcome: they are
    left out here (a named warning and a 'missing outcome' exclusion), and only here.
    ``within``: a boolean mask of the population analysed (default: every patient).
    """
    frame = score_table(ctx, specs)
    if within is not None:
        frame = frame[within.reindex(frame.index, fill_value=False).astype(bool)]
    unknown = frame[Y].isna()
    ids = [str(i) for i in frame.index[unknown.to_numpy()]]
    if ids:
        add_warning(
            sink,
            f"{len(ids)} patient(s) with a missing outcome left out of every analysis of the "
            f"outcome ({name_ids(ids)})",
        )
    return frame.loc[~unknown], exclusion(MISSING_OUTCOME, ids)


def score_exclusions(frame: pd.DataFrame, kept: pd.DataFrame, label: str) -> list[Exclusion]:
    """The patients of ``frame`` missing from ``kept`` (a score's complete cases), as one entry."""
    return exclusion(MISSING_SCORE, frame.index.difference(kept.index, sort=False), scope=label)


def require_classes(y: np.ndarray, what: str) -> None:
    """Both outcome classes must occur, else a StatisticsError naming ``what``."""
    cases = int(np.sum(y == 1))
    if cases == 0 or cases == y.size:
        missing = "with the outcome" if cases == 0 else "without the outcome"
        raise StatisticsError(f"{what}: no patients {missing} ({y.size} patients analysed)")


def population_mask(ctx: UnitContext, population: str) -> pd.Series:
    """Boolean mask of the patients in ``population`` ('all', 'train' or 'test')."""
    if population == "all":
        return pd.Series(True, index=ctx.cohort.data.index)
    return ctx.cohort.split == population


def non_empty(values: Sequence[T], what: str) -> Sequence[T]:
    """Pydantic helper: a list must not be empty."""
    if not values:
        raise ValueError(f"{what} must list at least one entry")
    return values


class ScoresParams(UnitParams):
    """Parameters shared by units that evaluate a list of scores."""

    scores: list[ScoreSpec] = Field(description="Scores or models to evaluate, in display order")

    @field_validator("scores")
    @classmethod
    def _scores(cls, value: list[ScoreSpec]) -> list[ScoreSpec]:
        unique_columns(non_empty(value, "scores"), "scores")
        return value
