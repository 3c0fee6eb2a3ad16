"""How feature reproducibility enters a radiomics result: selection steps, figure, Methods text."""

from __future__ import annotations

import csv
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from remarkit import UnitContext
from remarkit.plugins.radiomics.reproducibility import Assessment, Reproducibility
from remarkit.plugins.radiomics.result import FilterStep
from remarkit.report.figures import new_figure
from remarkit.report.legends import place_legend


def filter_steps(
    steps: Sequence[tuple[str, int]], n_extracted: int, found: Reproducibility | None
) -> list[FilterStep]:
    """Features remaining (and removed) after each step: extraction, the ICC filter when set,
    then the selection's own steps (``steps``, whose first row is what selection received)."""
    rows: list[tuple[str, int]] = [("extracted", n_extracted)]
    if found is not None and found.threshold is not None:
        rows.append(
            (
                f"{found.form_label} >= {found.threshold:g} between two segmentations "
                f"({found.n_patients} training patients)",
                found.n_features - found.n_removed,
            )
        )
    rows.extend(steps[1:])
    out: list[FilterStep] = []
    for i, (step, remaining) in enumerate(rows):
        removed = None if i == 0 else rows[i - 1][1] - remaining
        out.append(FilterStep(step=step, remaining=remaining, removed=removed))
    return out


def icc_figure(found: Reproducibility) -> Figure:
    """Every feature's ICC in increasing order with its CI, and the threshold line."""
    rows = sorted((r for r in found.features if r.icc is not None), key=lambda r: r.icc or 0.0)
    fig, ax = new_figure(6.5, 3.6)
    x = np.arange(1, len(rows) + 1)
    values = np.array([r.icc for r in rows], dtype=float)
    lower = np.array([np.nan if r.lower is None else r.lower for r in rows], dtype=float)
    upper = np.array([np.nan if r.upper is None else r.upper for r in rows], dtype=float)
    ax.fill_between(x, lower, upper, color="0.82", linewidth=0, label=f"{found.level:.0%} CI")
    ax.plot(x, values, color="C0", linewidth=1.4, label=found.form_label)
    if found.threshold is not None:
        ax.axhline(found.threshold, color="C3", linestyle="--", linewidth=1.0)
        ax.text(
            1,
            found.threshold,
            f" threshold {found.threshold:g}: {found.n_removed} removed",
            color="C3",
            fontsize=8,
            va="bottom",
        )
    ax.set_xlim(0.5, max(len(rows), 1) + 0.5)
    ax.set_ylim(min(-0.05, float(np.nanmin(lower)) if len(rows) else 0.0), 1.02)
    ax.set_xlabel("Features, ordered by ICC", fontsize=9)
    ax.set_ylabel(found.form_label, fontsize=9)
    ax.tick_params(labelsize=8)
    place_legend(ax, "lower right", fontsize=8, frameon=False)
    return fig


def icc_caption(found: Reproducibility, phase: str) -> str:
    """The figure's caption."""
    return (
        f"{found.form_label} of each {phase}-phase radiomics feature between two tumour "
        f"segmentations of {found.n_patients} training patients, in increasing order, with its "
        f"{found.level:.0%} confidence interval (grey)"
        + (
            f"; features below the dashed line ({found.threshold:g}) were dropped before "
            "feature selection."
            if found.threshold is not None
            else "."
        )
        + (
            f" {found.n_undefined} feature(s) without an ICC are not shown."
            if found.n_undefined
            else ""
        )
    )


def save_reproducibility(ctx: UnitContext, found: Assessment) -> dict[str, str]:
    """Write every feature's ICC (CSV) and the second segmentations' features (Parquet);
    name -> path relative to the output."""
    second = ctx.artifact_path("second_mask_features.parquet")
    found.second.reset_index().to_parquet(second, index=False)
    return {
        "feature_icc": _save_icc_table(ctx, found.result),
        "second_mask_features": ctx.relpath(second),
    }


def _save_icc_table(ctx: UnitContext, found: Reproducibility) -> str:
    path = ctx.artifact_path("feature_icc.csv")
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["feature", found.form, "lower", "upper", "kept"])
        for r in found.features:
            writer.writerow(
                [r.feature, _cell(r.icc), _cell(r.lower), _cell(r.upper), str(r.kept).lower()]
            )
    return ctx.relpath(path)


def _cell(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def methods_sentence(found: Reproducibility | None) -> str:
    """The Methods sentence on reproducibility ('' when there were no second segmentations)."""
    if found is None:
        return ""
    if found.n_patients < 2:
        return (
            f" {found.n_second_masks} patients' tumours were segmented a second time, but fewer "
            "than two training patients had features from both segmentations: no "
            "reproducibility ICC was computed."
        )
    text = (
        f" Reproducibility across segmentations: {found.n_second_masks} patients' tumours were "
        f"segmented a second time; each feature's {found.form_label} ({_FORM_WORDS[found.form]}, "
        f"as psych::ICC, {found.level:.0%} CI) between the two segmentations was computed over "
        f"the {found.n_patients} training patients with both"
    )
    if found.threshold is None:
        return text + " and reported; no feature was excluded on it."
    return text + (
        f", and features with {found.form_label} < {found.threshold:g} (or none computable) "
        f"between two segmentations of {found.n_patients} training patients were excluded "
        f"before feature selection ({found.n_removed} of {found.n_features} features)."
    )


_FORM_WORDS = {
    "ICC1": "one-way random, single rater",
    "ICC2": "two-way random, absolute agreement, single rater",
    "ICC3": "two-way mixed, consistency, single rater",
    "ICC1k": "one-way random, average of the raters",
    "ICC2k": "two-way random, absolute agreement, average of the raters",
    "ICC3k": "two-way mixed, consistency, average of the raters",
}
