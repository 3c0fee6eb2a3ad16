"""Bootstrap indices for the time-dependent AUC reference (read by survival_models.R).

Run from the repository root:  python tests/reference/survival_models_boot_idx.py
Draws exactly what remarkit.stats.time_dependent_auc draws for (n_boot=30, seed=7):
``numpy.random.default_rng(7).integers(0, n, size=(30, n))`` for the synthetic data (n = 400)
and GBSG (n = 686); R then recomputes the AUC of every replicate from the definition.
"""

from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent
for name, n in [("synthetic", 400), ("gbsg", 686)]:
    idx = np.random.default_rng(7).integers(0, n, size=(30, n))
    np.savetxt(OUT / f"survival_models_boot_idx_{name}.csv", idx, fmt="%d", delimiter=",")
