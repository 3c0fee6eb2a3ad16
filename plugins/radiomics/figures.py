"""The SHAP beeswarm figure of a radiomics model (shap's summary plot, seeded jitter)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from remarkit.report.figures import new_figure


def shap_beeswarm(
    values: np.ndarray, features: np.ndarray, names: list[str], *, max_display: int, seed: int
) -> Figure:
    """Beeswarm of SHAP values (rows: training patients), coloured by the feature's value."""
    import matplotlib.pyplot as plt
    import shap

    shown = min(max_display, len(names))
    fig, _ = new_figure(7.0, 1.0 + 0.45 * shown)
    plt.figure(fig.number)
    shap.summary_plot(
        values,
        features=features,
        feature_names=[_short(n) for n in names],
        max_display=shown,
        show=False,
        plot_size=None,
        color_bar=True,
        rng=np.random.default_rng(seed),
    )
    ax = fig.axes[0]
    ax.set_xlabel("SHAP value (log-odds of the positive outcome)", fontsize=9)
    ax.tick_params(axis="both", labelsize=8)
    for other in fig.axes[1:]:  # shap's colour bar
        other.tick_params(labelsize=8)
        other.yaxis.label.set_fontsize(9)
    return fig


def _short(name: str) -> str:
    """pyradiomics names are long; keep them whole but break image type from feature."""
    image_type, _, rest = name.partition("_")
    return f"{image_type}\n{rest}" if rest else name
