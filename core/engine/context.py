"""The read-only context a unit runs in."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from remarkit.engine.unit import FigureRef, UnitResult

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from remarkit.engine.cohort import Cohort
    from remarkit.engine.executor import Executor
    from remarkit.engine.spec import Study


@dataclass(frozen=True)
class UnitContext:
    """What a unit may read: cohort (with upstream derived columns), results, RNG, sinks.

    ``thresholds``: under ``remarkit apply``, the decision thresholds the applied model's
    training run fixed, by cohort column (an external cohort has no training set to fix them on).
    """

    unit_id: str
    study: Study
    cohort: Cohort
    upstream: Mapping[str, UnitResult]
    seed: int
    executor: Executor
    out_root: Path
    case_cache_dir: Path | None = None
    thresholds: Mapping[str, float] = field(default_factory=dict)
    rng: np.random.Generator = field(init=False)

    def __post_init__(self) -> None:
        stream = [self.seed, *self.unit_id.encode()]
        object.__setattr__(self, "rng", np.random.default_rng(stream))

    @property
    def unit_dir(self) -> Path:
        """This unit's own output folder (figures, artefacts), created on demand."""
        path = self.out_root / "units" / self.unit_id
        path.mkdir(parents=True, exist_ok=True)
        return path

    def relpath(self, path: Path) -> str:
        """Path relative to the output folder, as stored in results."""
        return path.relative_to(self.out_root).as_posix()

    def save_figure(self, name: str, figure: Figure, caption: str) -> FigureRef:
        """Save a matplotlib figure as deterministic SVG and return its reference."""
        import matplotlib.pyplot as plt

        path = self.unit_dir / f"{name}.svg"
        with plt.rc_context(
            {"svg.hashsalt": f"remarkit-{self.unit_id}-{name}", "svg.fonttype": "path"}
        ):
            figure.savefig(path, format="svg", metadata={"Date": None, "Creator": "remarkit"})
        plt.close(figure)
        return FigureRef(name=name, path=self.relpath(path), caption=caption)

    def artifact_path(self, name: str) -> Path:
        """A path inside this unit's folder for a saved artefact (model, table)."""
        return self.unit_dir / name
