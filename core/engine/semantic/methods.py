"""The generated Methods paragraph describing the semantic features and their consensus."""

from __future__ import annotations

from remarkit.engine.semantic.records import SemanticRecord, SemanticSet


def rule_text(record: SemanticRecord) -> str:
    """How the consensus of a feature was reached, as a clause."""
    if record.consensus == "column":
        return f"the adjudicated levels recorded in column {record.column}"
    if record.consensus == "reader":
        return f"the levels of reader {record.reader}"
    if record.consensus == "adjudicator":
        return (
            f"the readers' common level where they agreed, otherwise the adjudicator's "
            f"(column {record.adjudicator})"
        )
    fallback = (
        f", otherwise the adjudicator's (column {record.adjudicator})"
        if record.adjudicator is not None
        else ""
    )
    return f"the level given by more than half of the readers{fallback}"


def _sentence(record: SemanticRecord) -> str:
    head = f"{record.label} ({record.name})" if record.label else record.name
    scale = "ordinal" if record.scale == "ordinal" else "nominal"
    text = (
        f"{head} was scored by {len(record.readers)} readers (columns "
        f"{', '.join(record.readers)}) on a {scale} scale ({', '.join(record.levels)}); "
        f"the consensus analysed was {rule_text(record)}"
    )
    details = [f"readers disagreed for {record.n_disagree} patient(s)"]
    if record.n_adjudicated:
        details.append(f"{record.n_adjudicated} settled by adjudication")
    if record.n_missing:
        details.append(f"{record.n_missing} patient(s) without a score")
    return f"{text} ({'; '.join(details)})."


def methods_paragraph(found: SemanticSet) -> str:
    """One paragraph: every semantic feature's readers and consensus rule."""
    if not found.records:
        return ""
    parts = [
        f"{len(found.records)} semantic feature(s) were scored independently by several readers "
        "and analysed as their consensus:"
    ]
    parts += [_sentence(r) for r in found.records]
    return " ".join(parts)
