"""Read and check a cohort table's reader columns and build the consensus variables.

Called while the cohort table is validated (:mod:`remarkit.engine.validate`): each problem is a
one-line :class:`InputError` naming the file, the row and column, or the spec field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from remarkit.engine.semantic.consensus import consensus, unresolved_message
from remarkit.engine.semantic.methods import methods_paragraph
from remarkit.engine.semantic.records import SemanticRecord, SemanticSet
from remarkit.engine.semantic.spec import SemanticSpec
from remarkit.engine.spec import CohortSpec
from remarkit.errors import InputError

NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
MAX_NAMED = 5


def field_of(name: str, sub: str = "") -> str:
    """The spec field ``cohort.semantic.NAME[.sub]``."""
    return f"cohort.semantic.{name}" + (f".{sub}" if sub else "")


@dataclass(frozen=True)
class SemanticTable:
    """Every feature's columns (text, None where missing) and consensus, row for row."""

    scores: pd.DataFrame
    consensus: pd.DataFrame
    adjudicated: pd.DataFrame
    disagree: pd.DataFrame

    def rows(self, keep: np.ndarray) -> SemanticTable:
        """Only the rows where ``keep`` is true (samples = 'first')."""
        return SemanticTable(
            self.scores[keep], self.consensus[keep], self.adjudicated[keep], self.disagree[keep]
        )


def spec_errors(spec: CohortSpec, file: str | None) -> list[InputError]:
    """Names that are not valid or clash with a declared or derived variable."""
    errors = []
    for name in spec.semantic:
        problem = None
        if not NAME.fullmatch(name):
            problem = "must start with a letter and hold only letters, digits and '_'"
        elif name in spec.variables:
            problem = "is already a declared cohort variable; give the feature another name"
        elif name in spec.derived:
            problem = "is also a derived variable; give the feature another name"
        if problem:
            errors.append(
                InputError(f"semantic feature '{name}' {problem}", file=file, field=field_of(name))
            )
    return errors


def required_columns(spec: CohortSpec) -> dict[str, str]:
    """Spec field -> column, for every column a semantic feature names."""
    found: dict[str, str] = {}
    for name, feature in spec.semantic.items():
        for i, reader in enumerate(feature.readers):
            found[f"{field_of(name, 'readers')}[{i}]"] = reader
        for sub in ("column", "adjudicator"):
            column = getattr(feature, sub)
            if column is not None:
                found[field_of(name, sub)] = column
    return found


def _text(series: pd.Series) -> pd.Series:
    return series.astype(object).where(series.notna(), None)


def _level_errors(
    name: str, feature: SemanticSpec, table: pd.DataFrame, ids: pd.Series, file: str
) -> list[InputError]:
    errors = []
    for column in feature.columns():
        raw = table[column]
        bad = (raw.notna() & ~raw.isin(feature.levels)).to_numpy().nonzero()[0]
        if len(bad) == 0:
            continue
        first = int(bad[0])
        more = (
            f"; {len(bad)} rows in all: {', '.join(str(int(b) + 2) for b in bad[:MAX_NAMED])}"
            + (" ..." if len(bad) > MAX_NAMED else "")
            if len(bad) > 1
            else ""
        )
        errors.append(
            InputError(
                f"value '{raw.iloc[first]}' (patient {ids.iloc[first]}) is not one of the levels "
                f"{feature.levels} of semantic feature '{name}'{more}",
                file=file,
                row=first + 2,
                column=column,
            )
        )
    return errors


def read_semantic(
    table: pd.DataFrame, spec: CohortSpec, file: str, errors: list[InputError]
) -> SemanticTable:
    """Check every feature's columns and reach its consensus; problems go to ``errors``."""
    ids = table[spec.id].astype(str)
    scores: dict[str, pd.Series] = {}
    values: dict[str, list[str | None]] = {}
    adjudicated: dict[str, list[bool]] = {}
    disagree: dict[str, list[bool]] = {}
    for name, feature in spec.semantic.items():
        problems = _level_errors(name, feature, table, ids, file)
        errors.extend(problems)
        if problems:
            continue
        frame = pd.DataFrame({c: _text(table[c]) for c in feature.columns()})
        complete = frame[feature.readers].notna().all(axis=1)
        if not complete.any():
            errors.append(
                InputError(
                    f"no patient was scored by every reader (columns "
                    f"{', '.join(feature.readers)}): agreement cannot be measured",
                    file=file,
                    field=field_of(name, "readers"),
                )
            )
            continue
        found = consensus(feature, frame)
        if found.unresolved:
            errors.append(
                InputError(
                    unresolved_message(feature, [ids.iloc[i] for i in found.unresolved]),
                    file=file,
                    field=field_of(name, "consensus"),
                )
            )
            continue
        scores.update({c: frame[c] for c in feature.columns()})
        values[name] = found.values
        adjudicated[name] = found.adjudicated
        disagree[name] = found.disagree
    index = table.index
    return SemanticTable(
        scores=pd.DataFrame(scores, index=index, dtype=object),
        consensus=pd.DataFrame(values, index=index, dtype=object),
        adjudicated=pd.DataFrame(adjudicated, index=index, dtype=bool),
        disagree=pd.DataFrame(disagree, index=index, dtype=bool),
    )


def consensus_columns(spec: CohortSpec, read: SemanticTable) -> dict[str, pd.Categorical]:
    """The consensus variables as categoricals, the reference level first."""
    return {
        name: pd.Categorical(
            read.consensus[name], categories=feature.ordered_levels(), ordered=False
        )
        for name, feature in spec.semantic.items()
    }


def semantic_set(spec: CohortSpec, read: SemanticTable, index: pd.Index) -> SemanticSet:
    """The cohort's :class:`SemanticSet` (``read`` already restricted to the cohort's rows)."""
    scores = read.scores.copy()
    scores.index = index
    records = []
    for name, feature in spec.semantic.items():
        chosen = read.consensus[name]
        readers = scores[feature.readers]
        records.append(
            SemanticRecord(
                **feature.model_dump(),
                name=name,
                n=len(index),
                n_missing=int(chosen.isna().sum()),
                counts={lv: int((chosen == lv).sum()) for lv in feature.ordered_levels()},
                n_scored={c: int(readers[c].notna().sum()) for c in feature.readers},
                n_complete=int(readers.notna().all(axis=1).sum()),
                n_disagree=int(read.disagree[name].sum()),
                n_adjudicated=int(read.adjudicated[name].sum()),
            )
        )
    found = SemanticSet(records=records, scores=scores)
    return SemanticSet(records=records, scores=scores, methods=methods_paragraph(found))
