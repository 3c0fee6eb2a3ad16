"""Run evaluator units directly, on a training cohort and on an external validation cohort.

The external cohort is the test patients of the training cohort, rebuilt as ``remarkit apply``
gives it to the evaluators: ``external=True``, every patient in the 'test' split, no training
set. The same patients and thresholds must then give the numbers of the training run's test set.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from remarkit import Unit, UnitContext, UnitResult
from remarkit.engine.cohort import Cohort
from remarkit.engine.executor import SerialExecutor
from remarkit.engine.load import load_study
from remarkit.engine.spec import Study
from remarkit.engine.validate import load_cohort
from remarkit.testing import Fragment, render_record
from tests.evaluators.conftest import SPEC, evaluator_frame


def external_cohort(cohort: Cohort) -> Cohort:
    """The test patients of ``cohort`` as an external validation cohort."""
    ids = cohort.split.index[cohort.split == "test"]
    return Cohort(
        data=cohort.data.loc[ids],
        split=pd.Series("test", index=ids, name="split"),
        outcome=cohort.outcome.loc[ids],
        spec=cohort.spec,
        time=None if cohort.time is None else cohort.time.loc[ids],
        event=None if cohort.event is None else cohort.event.loc[ids],
        external=True,
        endpoints={
            name: replace(e, time=e.time.loc[ids], event=e.event.loc[ids])
            for name, e in cohort.endpoints.items()
        },
    )


@dataclass(frozen=True)
class Ran:
    """A unit's result on one cohort, with what rendering and provenance need."""

    unit: Unit[Any, Any]
    params: Any
    result: Any
    out_root: Path
    unit_id: str

    def methods(self) -> str:
        """The unit's Methods paragraph for this result."""
        text: str = self.unit.methods(self.result, self.params)
        return text

    def fragment(self) -> Fragment:
        """The report fragment, rendered and checked as the report does."""
        record = {"id": self.unit_id, "name": self.unit.name, "result": self.json()}
        return render_record(record, self.out_root)

    def json(self) -> dict[str, Any]:
        """The result as results.json holds it."""
        data: dict[str, Any] = self.result.model_dump(mode="json")
        return data


@dataclass(frozen=True)
class Cohorts:
    """The study, its training cohort and the external cohort of its test patients."""

    root: Path
    study: Study
    training: Cohort
    external: Cohort

    def run(
        self,
        unit_cls: type[Unit[Any, Any]],
        params: Mapping[str, Any],
        *,
        external: bool,
        thresholds: Mapping[str, float] | None = None,
        unit_id: str = "u",
    ) -> Ran:
        """Run ``unit_cls`` with ``params`` on the external or the training cohort."""
        out_root = self.root / ("out_external" if external else "out_training")
        ctx = UnitContext(
            unit_id=unit_id,
            study=self.study,
            cohort=self.external if external else self.training,
            upstream={},
            seed=self.study.study.seed,
            executor=SerialExecutor(),
            out_root=out_root,
            thresholds=dict(thresholds or {}),
        )
        unit = unit_cls()
        typed = unit_cls.Params.model_validate(dict(params))
        result: UnitResult = unit.run(ctx, typed)
        return Ran(unit, typed, result, out_root, unit_id)


def make_cohorts(root: Path, frame: pd.DataFrame | None = None) -> Cohorts:
    """Write the evaluator study under ``root``; load it with and without its training set."""
    root.mkdir(parents=True, exist_ok=True)
    (evaluator_frame() if frame is None else frame).to_csv(root / "cohort.csv", index=False)
    path = root / "study.toml"
    path.write_text(SPEC, encoding="utf-8")
    study = load_study(path)
    training = load_cohort(study)
    return Cohorts(root, study, training, external_cohort(training))
