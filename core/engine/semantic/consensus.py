"""The consensus of a semantic feature's readers, by its declared rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from remarkit.engine.semantic.spec import SemanticSpec
from remarkit.text import name_ids

MAX_NAMED = 5


@dataclass(frozen=True)
class Consensus:
    """Consensus levels (None: no reader scored the patient) and how they were reached.

    ``unresolved``: positions of patients the rule cannot settle (an error listing them).
    """

    values: list[str | None]
    disagree: list[bool]
    adjudicated: list[bool]
    unresolved: list[int]


def _present(row: tuple[Any, ...]) -> list[str]:
    return [str(v) for v in row if v is not None and not pd.isna(v)]


def _text(v: Any) -> str | None:
    return None if v is None or pd.isna(v) else str(v)


def consensus(spec: SemanticSpec, frame: pd.DataFrame) -> Consensus:
    """Apply ``spec.consensus`` to ``frame`` (the feature's columns as text, one row a patient).

    A patient whose readers all gave no level has no consensus (missing), whatever the rule,
    unless the rule is 'column' (the adjudicated column is taken as it is).
    """
    values: list[str | None] = []
    disagree: list[bool] = []
    adjudicated: list[bool] = []
    unresolved: list[int] = []
    k = len(spec.readers)
    # the columns as Python lists once (indexing the frame per patient copies it: O(n^2))
    rows = list(zip(*(frame[c].tolist() for c in spec.readers), strict=True))
    named = {c: frame[c].tolist() for c in (spec.column, spec.reader, spec.adjudicator) if c}
    for i in range(len(frame)):
        given = _present(rows[i])
        differ = len(set(given)) > 1
        disagree.append(differ)
        chosen: str | None = None
        from_adjudicator = False
        if spec.consensus == "column":
            assert spec.column is not None
            chosen = _text(named[spec.column][i])
            from_adjudicator = differ
        elif spec.consensus == "reader":
            assert spec.reader is not None
            chosen = _text(named[spec.reader][i])
        elif given and spec.consensus == "adjudicator":
            assert spec.adjudicator is not None
            if differ:
                chosen, from_adjudicator = _text(named[spec.adjudicator][i]), True
            else:
                chosen = given[0]
        elif given:  # majority: more than half of the declared readers
            top = max(sorted(set(given)), key=given.count)
            if given.count(top) * 2 > k:
                chosen = top
            elif spec.adjudicator is not None:
                chosen, from_adjudicator = _text(named[spec.adjudicator][i]), True
        if given and chosen is None and spec.consensus in ("adjudicator", "majority"):
            unresolved.append(i)
        values.append(chosen)
        adjudicated.append(from_adjudicator and chosen is not None)
    return Consensus(values, disagree, adjudicated, unresolved)


def unresolved_message(spec: SemanticSpec, ids: list[str]) -> str:
    """The one-line error for patients the rule could not settle, naming them."""
    shown = name_ids(ids, MAX_NAMED)
    if spec.consensus == "adjudicator":
        why = f"the readers disagree and the adjudicator column '{spec.adjudicator}' is empty"
    elif spec.adjudicator is not None:
        why = (
            f"no level has a majority of the {len(spec.readers)} readers and the adjudicator "
            f"column '{spec.adjudicator}' is empty"
        )
    else:
        why = (
            f"no level has a majority of the {len(spec.readers)} readers; give an `adjudicator` "
            "column"
        )
    return f"{why} for {len(ids)} patient(s): {shown}"
