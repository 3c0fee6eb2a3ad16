"""The analysis population a unit result declares: the set(s), endpoint, patients and events.

A unit fills ``UnitResult.populations`` with one :class:`AnalysisPopulation` per analysis it ran
on a distinct set of patients (a cut-off fitted on the training set, a model evaluated in each
set, a Kaplan-Meier analysis of an endpoint). The REMARK profile lists each with its n and
events, so a training-set fit is never shown with the whole cohort's counts, nor a survival
analysis with the binary outcome's events. The counts are the unit's own: a unit builds them
from the numbers its tables show (:func:`population`), or from the patient mask it analysed
(:func:`binary_population`, :func:`survival_population`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from remarkit.engine.cohort import Cohort

SetName = Literal["train", "test", "all"]

#: The ``endpoint`` of an analysis of the binary outcome ([cohort.outcome]).
BINARY = "outcome"
#: The name plugins import from ``remarkit``.
BINARY_OUTCOME = BINARY


class AnalysisPopulation(BaseModel):
    """The patients one analysis of a unit used, and the events among them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    analysis: str = Field(
        default="",
        description="Which analysis of the unit, e.g. 'cut-off fit', 'Score A'; '' when the unit "
        "ran one",
    )
    sets: list[SetName] = Field(
        min_length=1,
        description="Data sets the patients come from: 'train', 'test' (or the external "
        "validation set), or 'all' (both splits)",
    )
    endpoint: str = Field(
        description="Whose events are counted: 'outcome' (the binary outcome), a time-to-event "
        "endpoint's name ('survival', 'pfs', ...), or '' when the analysis counts none"
    )
    n: int = Field(ge=0, description="Patients analysed")
    events: int | None = Field(
        default=None, ge=0, description="Of those, with an event of the endpoint; None without one"
    )


def population(
    sets: str | Sequence[str],
    endpoint: str,
    n: int,
    events: int | None,
    analysis: str = "",
) -> AnalysisPopulation:
    """An analysis population from counts a unit already has (its table's n and events).

    ``sets``: 'train', 'test', 'all' or a list of them (validated).
    """
    names = [sets] if isinstance(sets, str) else list(sets)
    return AnalysisPopulation.model_validate(
        {"analysis": analysis, "sets": names, "endpoint": endpoint, "n": int(n), "events": events}
    )


def _sets_of(cohort: Cohort, mask: pd.Series) -> list[SetName]:
    present = [s for s in ("train", "test") if bool((mask & (cohort.split == s)).any())]
    return ["all"] if len(present) == 2 else present or ["all"]  # type: ignore[return-value]


def binary_population(
    cohort: Cohort,
    mask: pd.Series,
    analysis: str = "",
    sets: Sequence[SetName] | None = None,
) -> AnalysisPopulation:
    """The patients of ``mask`` whose binary outcome is known, and the positives among them."""
    known = mask & cohort.outcome_known
    return AnalysisPopulation(
        analysis=analysis,
        sets=list(sets) if sets else _sets_of(cohort, mask),
        endpoint=BINARY,
        n=int(known.sum()),
        events=int(cohort.outcome[known].sum()),
    )


def survival_population(
    cohort: Cohort,
    mask: pd.Series,
    endpoint: str | None = None,
    analysis: str = "",
    sets: Sequence[SetName] | None = None,
) -> AnalysisPopulation:
    """The patients of ``mask`` with a time and an event of ``endpoint``, and the events."""
    data = cohort.endpoint(endpoint)
    used = mask & data.complete
    return AnalysisPopulation(
        analysis=analysis,
        sets=list(sets) if sets else _sets_of(cohort, mask),
        endpoint=data.name,
        n=int(used.sum()),
        events=int(data.event[used].sum()),
    )


def merged(populations: Iterable[AnalysisPopulation], prefix: str = "") -> list[AnalysisPopulation]:
    """Populations of one set and endpoint with equal counts listed once.

    A unit that reports several analyses per set (scores, candidate variables) declares each
    one's population, named by the analysis; analyses of a set and endpoint that used the same
    patients are listed once, named by their set alone when every analysis of the set agrees,
    else by the analyses they cover (the first three, then how many more). ``prefix`` names
    every merged entry (e.g. 'univariable models').
    """
    groups: dict[tuple[tuple[str, ...], str, int, int | None], list[str]] = {}
    for item in populations:
        key = (tuple(item.sets), item.endpoint, item.n, item.events)
        groups.setdefault(key, [])
        if item.analysis and item.analysis not in groups[key]:
            groups[key].append(item.analysis)
    per_set: dict[tuple[tuple[str, ...], str], int] = {}
    for sets, endpoint, _, _ in groups:
        per_set[(sets, endpoint)] = per_set.get((sets, endpoint), 0) + 1
    out = []
    for (sets, endpoint, n, events), names in groups.items():
        if per_set[(sets, endpoint)] == 1 or not names:
            name = prefix
        else:
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            name = f"{prefix}: {shown}" if prefix else shown
        out.append(population(list(sets), endpoint, n, events, name))
    return out
