"""A multivariable logistic fit on the training set, with its named warnings, per variable."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from remarkit import UnitContext
from remarkit.modeling import training as _fit
from remarkit.modeling.columns import column_label, is_categorical
from remarkit.modeling.logistic_scales import scale_frame, scale_imputed
from remarkit.modeling.pooled import ImputedTraining, pooled_logistic, separated_any
from remarkit.modeling.rows import LogisticParams, VariableFit
from remarkit.modeling.scaling import ScaleFit
from remarkit.text import name_ids


@dataclass(frozen=True)
class ModelFit:
    """The fitted model with its training frame and its terms grouped by variable."""

    frame: _fit.TrainFrame
    fit: _fit.Fit
    variables: list[VariableFit]

    @property
    def n(self) -> int:
        """Patients in the model."""
        return self.fit.n

    @property
    def events(self) -> int:
        """Of those, with the positive outcome."""
        return self.fit.events

    @property
    def epv(self) -> float:
        """Events per variable: min(events, non-events) / model terms."""
        return self.fit.epv

    @property
    def intercept(self) -> float:
        """Intercept (log odds)."""
        return self.fit.intercept

    def label(self, variable: str) -> str:
        """The label of a model variable."""
        return next(v.label for v in self.variables if v.variable == variable)


def fit_model(
    ctx: UnitContext,
    selected: list[str],
    params: LogisticParams,
    notes: list[str],
    field: str,
    *,
    imputed: ImputedTraining | None = None,
    scales: Mapping[str, ScaleFit] | None = None,
) -> ModelFit:
    """Fit ``outcome ~ selected`` on complete training cases; append named warnings.

    With ``imputed`` (:func:`remarkit.modeling.pooled.impute_training` of the training set) the
    model is fitted on every completed data set and pooled by Rubin's rules instead; ``frame``
    is then the first completed data set and the counts per level are of observed values.
    With ``scales`` (:func:`remarkit.modeling.logistic_scales.training_scales`) the continuous
    predictors enter on their scales.
    """
    references = {k: v for k, v in params.reference.items() if k in selected}
    if imputed is not None and scales:
        imputed = scale_imputed(imputed, scales)
    frame = imputed.frames[0] if imputed else _fit.train_frame(ctx, selected, references)
    if imputed is None and scales:
        frame = scale_frame(frame, scales)
    if frame.unknown_outcome:
        notes.append(
            f"{len(frame.unknown_outcome)} training patient(s) with a missing outcome left out: "
            f"{name_ids(frame.unknown_outcome)}"
        )
    if frame.dropped:
        notes.append(
            f"{len(frame.dropped)} training patient(s) with a missing predictor left out "
            f"(complete cases): {name_ids(frame.dropped)}"
        )
    _fit.require_fittable(frame, selected, field)
    separated: dict[str, str] = {}
    labels = {c: column_label(ctx, c, params.labels) for c in selected}
    for column in selected:
        for level in _fit.unused_levels(ctx, frame, column):
            notes.append(
                f"{labels[column][0]}: level '{level}' has no training patients in the model; "
                "left out"
            )
        found = (
            _fit.separated_levels(frame, column)
            if imputed is None
            else separated_any(imputed, column)
        )
        for message in dict.fromkeys(found.values()):
            notes.append(f"{labels[column][0]}: {message}")
        separated.update(found)
    if imputed is None:
        fit = _fit.fit_logistic(
            frame, selected, ci=params.ci, level=params.level, separated=list(separated)
        )
    else:
        fit = pooled_logistic(imputed, selected, level=params.level, separated=separated)
    notes.extend(m for m in fit.warnings if m not in notes)
    variables: list[VariableFit] = []
    counted = frame.data if imputed is None else imputed.observed
    y = counted[_fit.OUTCOME]
    for column in selected:
        x = frame.data[column]
        categorical = is_categorical(x)
        reference = str(x.cat.categories[0]) if categorical else None
        at_ref = y[counted[column].astype(str) == reference] if categorical else None
        base: dict[str, Any] = {
            "variable": column,
            "label": labels[column][0],
            "unit": labels[column][1],
            "type": "categorical" if categorical else "continuous",
            "reference": reference,
            "reference_n": None if at_ref is None else int(at_ref.size),
            "reference_events": None if at_ref is None else int(at_ref.sum()),
            "n": fit.n,
            "events": fit.events,
        }
        terms = [t for t in fit.terms if t.variable == column]
        variables.append(VariableFit(**base, terms=terms))
    return ModelFit(frame=frame, fit=fit, variables=variables)
