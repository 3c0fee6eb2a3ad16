"""semantic_agreement: how well the readers of each semantic feature agreed (REMARK item 5).

For every ``[cohort.semantic.NAME]`` feature (or the ``features`` named) and set of patients:
percentage agreement, Cohen's kappa of each pair of readers (unweighted for nominal features,
linear and quadratic weights for ordinal ones) with its standard error and CI as
``psych::cohen.kappa``, and for binary features Byrt's prevalence and bias indices and PABAK.
Statistics use the patients scored by the readers compared (complete pairs). A feature all
readers gave one level has no kappa: a named warning. Agreement involves no outcome; the
default set is the whole cohort.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd
from pydantic import Field, field_validator

from remarkit import InputError, Needs, Unit, UnitContext, UnitParams
from remarkit.engine.semantic.records import SemanticRecord, SemanticSet
from remarkit.plugins.agreement.semantic_agreement_result import (
    Disagreement,
    FeatureAgreement,
    SemanticAgreementResult,
    Set,
)
from remarkit.plugins.agreement.semantic_agreement_stats import disagreements, feature_agreement
from remarkit.plugins.agreement.semantic_agreement_text import blinding_sentence, methods_text


def _all() -> list[Set]:
    return ["all"]


class SemanticAgreementParams(UnitParams):
    """The ``[[unit]]`` table of a semantic_agreement unit (every field optional)."""

    features: list[str] | None = Field(
        default=None, description="Semantic features analysed (default: every [cohort.semantic])"
    )
    sets: list[Set] = Field(
        default_factory=_all,
        description="Patients: 'all' (default; agreement involves no outcome), 'train', 'test'",
    )
    level: float = Field(default=0.95, gt=0.5, lt=1.0, description="Confidence level")

    @field_validator("sets")
    @classmethod
    def _distinct(cls, value: list[Set]) -> list[Set]:
        if not value or len(set(value)) != len(value):
            raise ValueError("sets must be non-empty and list each set once")
        return value


class SemanticAgreement(Unit[SemanticAgreementParams, SemanticAgreementResult]):
    """Readers' agreement on the semantic features: kappa, its CI, confusion tables."""

    name = "semantic_agreement"
    title = "Reader agreement on the semantic features"
    family = "clinical"
    version = "1.0"
    Params = SemanticAgreementParams
    Result = SemanticAgreementResult
    remark_items = (5,)
    citations = (
        "Cohen J. A coefficient of agreement for nominal scales. Educ Psychol Meas 1960;20:37-46.",
        "Cohen J. Weighted kappa. Psychol Bull 1968;70:213-20.",
        "Fleiss JL, Cohen J, Everitt BS. Large sample standard errors of kappa and weighted "
        "kappa. Psychol Bull 1969;72:323-7.",
        "Byrt T, Bishop J, Carlin JB. Bias, prevalence and kappa. J Clin Epidemiol 1993;46:423-9.",
    )
    report_section = "agreement"

    def needs(self, params: SemanticAgreementParams) -> Needs:
        """The consensus variables named (the default: none named, checked at run time)."""
        return Needs(
            columns=list(params.features or []), split=any(s != "all" for s in params.sets)
        )

    def run(self, ctx: UnitContext, params: SemanticAgreementParams) -> SemanticAgreementResult:
        """Agreement per feature and set; the disagreements of the sets' patients."""
        from remarkit.plugins.agreement.semantic_agreement_figure import heatmap_figure

        found = ctx.cohort.semantic
        if found is None or not found.records:
            raise InputError(
                "the study declares no semantic features ([cohort.semantic.NAME] with readers)",
                field="features",
            )
        records = _chosen(found, params.features)
        features: list[FeatureAgreement] = []
        appendix: list[Disagreement] = []
        warnings: list[str] = []
        every = pd.Series(False, index=ctx.cohort.data.index)
        for which in params.sets:
            mask = _mask(ctx, which)
            if not mask.any():
                warnings.append(f"the {which} set has no patients; left out")
                continue
            name = ctx.cohort.set_label(which)
            every |= mask
            scores = found.scores[mask.to_numpy()]
            for record in records:
                readers = scores[record.readers]
                if not readers.notna().all(axis=1).any():
                    warnings.append(
                        f"{record.name} ({name}): no patient scored by every reader; left out"
                    )
                    continue
                result = feature_agreement(record, scores, which, name, params.level)
                features.append(result)
                if result.undefined is not None:
                    warnings.append(
                        f"{record.name} ({name}): {result.undefined}; only the percentage "
                        "agreement is given"
                    )
        if not features:
            raise InputError("no feature has patients scored by every reader", field="sets")
        for record in records:
            appendix += disagreements(
                record, found.scores[every.to_numpy()], ctx.cohort.data.loc[every, record.name]
            )
        panels = [f for f in features if f.set == features[0].set]
        figures = [
            ctx.save_figure(
                "confusion",
                heatmap_figure(panels),
                f"Readers' confusion tables ({panels[0].set_name.lower()}): patients per pair of "
                "levels, shaded by their share; the outlined diagonal is agreement"
                + ("; the first two readers when there are more" if _many(panels) else ""),
            )
        ]
        return SemanticAgreementResult(
            level=params.level,
            features=features,
            appendix=appendix,
            readers={r.name: list(r.readers) for r in records},
            blinding=blinding_sentence(ctx.study.study.narrative.assay),
            figures=figures,
            warnings=warnings,
        )

    def methods(self, result: SemanticAgreementResult, params: SemanticAgreementParams) -> str:
        """Readers, consensus, the statistics and how missing scores were handled."""
        return methods_text(result)


def _many(panels: list[FeatureAgreement]) -> bool:
    return any(len(p.readers) > 2 for p in panels)


def _chosen(found: SemanticSet, names: list[str] | None) -> list[SemanticRecord]:
    if names is None:
        return list(found.records)
    known = [r.name for r in found.records]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise InputError(
            f"{', '.join(unknown)} is not a semantic feature (declared: {', '.join(known)})",
            field="features",
        )
    return [r for r in found.records if r.name in names]


def _mask(ctx: UnitContext, which: Literal["all", "train", "test"]) -> pd.Series:
    if which == "all":
        return pd.Series(True, index=ctx.cohort.data.index)
    return ctx.cohort.split == which
