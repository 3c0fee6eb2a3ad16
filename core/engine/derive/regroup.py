"""The regroup rule: new levels of a categorical variable by an explicit map or patterns."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from remarkit.engine.derive.records import AnyRecord, RegroupRecord
from remarkit.engine.derive.rules import (
    DeriveError,
    categorical_values,
    counts_of,
    rows_text,
    source,
    spec_fields,
)
from remarkit.engine.derive.spec import RegroupSpec


def regroup(
    name: str, spec: RegroupSpec, frame: pd.DataFrame, later: Sequence[str]
) -> tuple[pd.Series, AnyRecord]:
    """Map each old level to a new one (map entries and whole-level regular expressions)."""
    series = source(frame, name, spec.variable, later, "categorical", "variable")
    if not spec.map and not spec.patterns:
        raise DeriveError("give a map or patterns (or both)", "map")
    compiled: list[tuple[str, re.Pattern[str], str]] = []
    for level, given in spec.patterns.items():
        for text in [given] if isinstance(given, str) else given:
            try:
                compiled.append((level, re.compile(text), text))
            except re.error as exc:
                raise DeriveError(
                    f"'{text}' is not a valid regular expression: {exc}", f"patterns.{level}"
                ) from exc
    targets = list(dict.fromkeys([*spec.map.values(), *spec.patterns]))
    levels = spec.order if spec.order is not None else targets
    if spec.order is not None:
        missing = [t for t in targets if t not in levels]
        extra = [lv for lv in levels if lv not in targets]
        if missing or extra or len(set(levels)) < len(levels):
            raise DeriveError(
                f"order {levels} must list each new level once (new levels: {targets})", "order"
            )
    candidates = [str(c) for c in series.cat.categories]
    mapping: dict[str, str] = {}
    unmapped: list[str] = []
    for value in candidates:
        hits = ([f"map['{value}']"] if value in spec.map else []) + [
            f"patterns.{lv} '{text}'" for lv, rx, text in compiled if rx.fullmatch(value)
        ]
        if len(hits) > 1:
            raise DeriveError(
                f"level '{value}' is covered more than once: {', '.join(hits)}",
                "patterns" if spec.patterns else "map",
            )
        if hits:
            mapping[value] = spec.map.get(value) or next(
                lv for lv, rx, _ in compiled if rx.fullmatch(value)
            )
        else:
            unmapped.append(value)
    observed = series.astype(object).where(series.notna(), None)
    unmapped_seen = [v for v in unmapped if (observed == v).any()]
    unmapped_mask = observed.isin(unmapped_seen).to_numpy()
    if unmapped_seen and spec.unmapped == "error":
        raise DeriveError(
            f"level(s) {unmapped_seen} of {spec.variable} are not regrouped ({rows_text(unmapped_mask)}); "
            'map them, or set unmapped = "missing"',
            "unmapped",
        )
    unknown_keys = [k for k in spec.map if k not in candidates]
    if unknown_keys:
        raise DeriveError(
            f"map key(s) {unknown_keys} are not levels of {spec.variable} {candidates}", "map"
        )
    index = {lv: i for i, lv in enumerate(levels)}
    codes = np.array(
        [index[mapping[v]] if v is not None and v in mapping else -1 for v in observed],
        dtype=int,
    )
    values = categorical_values(codes, list(levels), spec.reference)
    warnings = (
        [
            f"{int(unmapped_mask.sum())} patient(s) with level(s) {unmapped_seen} of {spec.variable} not regrouped set missing"
        ]
        if unmapped_seen
        else []
    )
    record = RegroupRecord(
        **spec_fields(spec),
        **counts_of(name, values, warnings),
        unmapped_values=unmapped_seen,
        assigned=mapping,
        n_unmapped=int(unmapped_mask.sum()),
    )
    return pd.Series(values, index=frame.index), record
