"""Radiogenomics figures: gene-set correlation bars and an oncoplot-style mutation matrix.

Group violins (TMB, neoantigens) use :func:`remarkit.report.plots.violin.violin_figure`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from remarkit.report.figures import PALETTE, REFERENCE_GREY, new_figure

#: Colours of the MAF classes in the oncoplot (maftools' scheme, colour-blind-safe shades).
CLASS_COLOURS: dict[str, str] = {
    "Missense_Mutation": "#009E73",
    "Nonsense_Mutation": "#D55E00",
    "Frame_Shift_Del": "#0072B2",
    "Frame_Shift_Ins": "#CC79A7",
    "In_Frame_Del": "#F0E442",
    "In_Frame_Ins": "#8B4513",
    "Splice_Site": "#E69F00",
    "Translation_Start_Site": "#56B4E9",
    "Nonstop_Mutation": "#999933",
    "Multi_Hit": "#000000",
}
OTHER_COLOUR = "#777777"
EMPTY_COLOUR = "#EEEEEE"
#: Colours of the sample groups in the strip under the matrix (distinct from the classes').
GROUP_COLOURS = ("#332288", "#BBBBBB", "#882255", "#44AA99")


@dataclass(frozen=True)
class GeneSetBar:
    """One bar: a gene set's correlation with the score."""

    label: str
    value: float


def geneset_bar_figure(
    bars: Sequence[GeneSetBar],
    *,
    xlabel: str,
    title: str = "",
    width: float = 6.5,
    xlim: tuple[float, float] | None = (-1.0, 1.0),
) -> Figure:
    """Horizontal bars, most positive on top; positive and negative values in two colours.

    ``xlim`` defaults to a correlation's range so figures of several collections compare.
    """
    if not bars:
        raise ValueError("a bar plot needs at least one bar")
    ordered = sorted(bars, key=lambda b: (-b.value, b.label))
    height = max(1.8, 0.26 * len(ordered) + 1.0)
    fig, ax = new_figure(width, height)
    y = np.arange(len(ordered))[::-1]
    values = np.array([b.value for b in ordered])
    colours = [PALETTE[1] if v > 0 else PALETTE[0] for v in values]
    ax.barh(y, values, color=colours, height=0.7)
    ax.set_yticks(y)
    ax.set_yticklabels([b.label for b in ordered], fontsize=7)
    ax.axvline(0, color=REFERENCE_GREY, linewidth=0.8)
    ax.set_ylim(-0.6, len(ordered) - 0.4)
    if xlim is not None:
        ax.set_xlim(*xlim)
    ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


@dataclass(frozen=True)
class OncoplotData:
    """What an oncoplot shows; columns (samples) are drawn in the order given.

    ``cells[g][s]`` is the MAF class of gene ``g`` in sample ``s`` ("" = not mutated,
    "Multi_Hit" = several non-synonymous variants); ``groups`` labels each sample,
    ``burden`` is drawn as bars above the matrix.
    """

    genes: Sequence[str]
    samples: Sequence[str]
    cells: Sequence[Sequence[str]]
    groups: Sequence[str]
    group_order: Sequence[str]
    burden: Sequence[float]
    burden_label: str = "TMB (mut/Mb)"


def oncoplot_figure(data: OncoplotData, *, title: str = "") -> Figure:
    """Genes x samples matrix coloured by variant class, TMB bars above, group strip below."""
    n_genes, n_samples = len(data.genes), len(data.samples)
    if n_genes == 0 or n_samples == 0:
        raise ValueError("an oncoplot needs at least one gene and one sample")
    classes = sorted({c for row in data.cells for c in row if c}, key=_class_rank)
    code = {c: i + 1 for i, c in enumerate(classes)}
    matrix = np.array([[code.get(c, 0) for c in row] for row in data.cells], dtype=float)
    colours = [EMPTY_COLOUR, *(CLASS_COLOURS.get(c, OTHER_COLOUR) for c in classes)]
    width = min(11.0, max(5.0, 0.14 * n_samples + 3.0))
    height = 0.24 * n_genes + 2.6
    fig, axes = new_figure(
        width,
        height,
        nrows=3,
        ncols=1,
        sharex=True,
        gridspec_kw={"height_ratios": [1.2, 0.24 * n_genes, 0.25], "hspace": 0.05},
    )
    top, main, strip = axes
    x = np.arange(n_samples)
    top.bar(x, list(data.burden), color=REFERENCE_GREY, width=0.8)
    top.set_ylabel(data.burden_label, fontsize=7)
    top.tick_params(axis="x", bottom=False)
    if title:
        top.set_title(title)
    main.imshow(
        matrix,
        aspect="auto",
        cmap=ListedColormap(colours),
        vmin=-0.5,
        vmax=len(colours) - 0.5,
        interpolation="nearest",
    )
    main.set_xticks(np.arange(-0.5, n_samples, 1), minor=True)
    main.set_yticks(np.arange(-0.5, n_genes, 1), minor=True)
    main.grid(which="minor", color="white", linewidth=0.8)
    main.tick_params(which="minor", length=0)
    main.set_yticks(np.arange(n_genes))
    mutated = (matrix > 0).mean(axis=1)
    main.set_yticklabels(
        [f"{g} ({100 * m:.0f}%)" for g, m in zip(data.genes, mutated, strict=True)]
    )
    for side in ("top", "right", "bottom", "left"):
        main.spines[side].set_visible(False)
    group_code = {g: i for i, g in enumerate(data.group_order)}
    strip.imshow(
        np.array([[group_code[g] for g in data.groups]], dtype=float),
        aspect="auto",
        cmap=ListedColormap([_group_colour(i) for i in range(len(group_code))]),
        vmin=-0.5,
        vmax=len(group_code) - 0.5,
        interpolation="nearest",
    )
    strip.set_yticks([0])
    strip.set_yticklabels(["Group"])
    strip.set_xticks([])
    for side in ("top", "right", "bottom", "left"):
        strip.spines[side].set_visible(False)
    handles = [
        Patch(color=CLASS_COLOURS.get(c, OTHER_COLOUR), label=c.replace("_", " ")) for c in classes
    ]
    handles += [Patch(color=_group_colour(i), label=g) for g, i in group_code.items()]
    strip.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.8),
        ncol=4,
        fontsize=7,
        frameon=False,
    )
    return fig


def oncoplot_order(cells: Mapping[str, Sequence[bool]], burden: Sequence[float]) -> list[int]:
    """Column order within a group: maftools' waterfall (by the mutation pattern of the genes in
    order, mutated first), then higher burden, then the given order."""
    rows = list(cells.values())

    def key(j: int) -> tuple[tuple[bool, ...], float, int]:
        return (tuple(not bool(r[j]) for r in rows), -float(burden[j]), j)

    return sorted(range(len(burden)), key=key)


def _group_colour(i: int) -> str:
    return GROUP_COLOURS[i % len(GROUP_COLOURS)]


def _class_rank(name: str) -> tuple[int, str]:
    ranks = list(CLASS_COLOURS)
    return (ranks.index(name) if name in ranks else len(ranks), name)
