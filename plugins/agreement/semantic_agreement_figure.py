"""The confusion-table heat maps of semantic_agreement (one panel per feature)."""

from __future__ import annotations

from matplotlib.figure import Figure

from remarkit.plugins.agreement.semantic_agreement_result import FeatureAgreement
from remarkit.report.plots.confusion import ConfusionPanel, confusion_heatmaps


def heatmap_figure(features: list[FeatureAgreement]) -> Figure:
    """One panel per feature: its first reader pair's confusion table."""
    panels = [
        ConfusionPanel(
            title=f.label,
            levels=f.levels,
            counts=f.pairs[0].table,
            row_label=f.pairs[0].reader_a,
            column_label=f.pairs[0].reader_b,
        )
        for f in features
    ]
    return confusion_heatmaps(panels)
