"""Two radiologists' reads of the demo's CT semantic features, and the adjudicator's.

Each feature's true level (the column ``make_cohort`` draws, which the phantoms and the outcome
follow) is read by two readers who each misread a few patients, never the same patient, so
Cohen's kappa lands between about 0.6 and 0.8; the adjudicator, asked only where the readers
disagree, gives the true level. The consensus ("adjudicator" rule) therefore equals the true
level and every downstream analysis sees the same values as before the readers existed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from remarkit.engine.semantic.spec import SemanticSpec

#: name -> display label of each CT semantic feature (all binary, "No" the reference).
SEMANTIC: dict[str, str] = {
    "necrosis": "Intratumoral necrosis",
    "peritumoral_enhancement": "Peritumoral enhancement",
    "regular_margin": "Regular margin",
    "pseudocapsule": "Pseudocapsule",
    "dilated_vasculature": "Dilated vasculature (arterial)",
}
LEVELS = ["No", "Yes"]
#: Reader 2 did not score a few patients' necrosis (their CT series was incomplete for it).
UNREAD = {"necrosis": 3}
STREAM = 15


def reader_columns(name: str) -> tuple[str, str, str]:
    """The columns of reader 1, reader 2 and the adjudicator of feature ``name``."""
    return f"{name}_r1", f"{name}_r2", f"{name}_adj"


def add_readers(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    """``frame`` with two readers' and an adjudicator's columns for every semantic feature."""
    out = frame.copy()
    n = len(frame)
    for i, name in enumerate(SEMANTIC):
        rng = np.random.default_rng([seed, STREAM, i])
        truth = frame[name].to_numpy(dtype=object)
        p = float(np.mean(truth == "Yes"))
        expected = p**2 + (1 - p) ** 2
        kappa = rng.uniform(0.62, 0.78)
        wrong = rng.permutation(n)[: round((1 - expected) * (1 - kappa) * n)]
        flipped = np.where(truth == "Yes", "No", "Yes")
        r1, r2 = truth.copy(), truth.copy()
        half = len(wrong) // 2
        r1[wrong[:half]] = flipped[wrong[:half]]
        r2[wrong[half:]] = flipped[wrong[half:]]
        unread = UNREAD.get(name, 0)
        if unread:
            right = np.setdiff1d(np.arange(n), wrong)
            r2[rng.choice(right, unread, replace=False)] = "NA"
        c1, c2, adj = reader_columns(name)
        out[c1], out[c2] = r1, r2
        out[adj] = np.where((r1 != r2) & (r2 != "NA"), truth, "NA")
    return out


def without_truth(frame: pd.DataFrame) -> pd.DataFrame:
    """The cohort as exported: the features' true levels left out (only the reads are kept)."""
    return frame.drop(columns=list(SEMANTIC))


def semantic_specs() -> dict[str, SemanticSpec]:
    """The ``[cohort.semantic.NAME]`` tables of the demo's features (adjudicator rule)."""
    specs = {}
    for name, label in SEMANTIC.items():
        r1, r2, adj = reader_columns(name)
        specs[name] = SemanticSpec(
            label=label,
            readers=[r1, r2],
            levels=LEVELS,
            reference=LEVELS[0],
            consensus="adjudicator",
            adjudicator=adj,
        )
    return specs
