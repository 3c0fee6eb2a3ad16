"""The typed result of semantic_agreement: per feature and set, the readers' agreement."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from remarkit import UnitResult

Set = Literal["all", "train", "test"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class KappaEstimate(_Frozen):
    """One Cohen's kappa of a pair of readers (unweighted, linear or quadratic weights)."""

    weights: Literal["none", "linear", "quadratic"] = Field(description="Agreement weights")
    estimate: float = Field(description="Kappa")
    se: float = Field(description="Large-sample standard error (psych::cohen.kappa)")
    lower: float = Field(description="Lower confidence bound, clipped to -1")
    upper: float = Field(description="Upper confidence bound, clipped to 1")
    observed: float = Field(description="Observed (weighted) agreement")
    expected: float = Field(description="Chance-expected (weighted) agreement")


class PairAgreement(_Frozen):
    """Two readers' agreement on the patients both scored (complete pairs)."""

    reader_a: str = Field(description="Column of the first reader (rows of the table)")
    reader_b: str = Field(description="Column of the second reader (columns of the table)")
    n: int = Field(description="Patients scored by both readers")
    n_missing: int = Field(description="Patients of the set left out: a score of either missing")
    agreement: float = Field(description="Proportion of those patients given the same level")
    kappas: list[KappaEstimate] = Field(
        description="Unweighted kappa (nominal), or linear and quadratic weighted (ordinal); "
        "empty when kappa is undefined"
    )
    prevalence_index: float | None = Field(
        default=None, description="Byrt's prevalence index (a - d) / n (two levels only)"
    )
    bias_index: float | None = Field(
        default=None, description="Byrt's bias index (b - c) / n (two levels only)"
    )
    pabak: float | None = Field(
        default=None, description="Prevalence- and bias-adjusted kappa 2 po - 1 (two levels only)"
    )
    table: list[list[int]] = Field(
        description="Confusion table: rows reader_a's levels, columns reader_b's, level order"
    )


class MultiRaterAgreement(_Frozen):
    """An agreement statistic over all readers (Fleiss' kappa, Krippendorff's alpha)."""

    statistic: Literal["fleiss_kappa", "krippendorff_alpha"] = Field(description="Which one")
    estimate: float = Field(description="The statistic")
    se: float | None = Field(
        default=None, description="Standard error under no agreement beyond chance (Fleiss, irr)"
    )
    z: float | None = Field(default=None, description="estimate / se (Fleiss)")
    p_value: float | None = Field(default=None, description="Two-sided p-value of z (Fleiss)")
    n: int = Field(
        description="Patients it used: scored by every reader (Fleiss), or by at least two "
        "readers (Krippendorff's pairable units)"
    )


class FeatureAgreement(_Frozen):
    """The readers' agreement on one semantic feature in one set of patients."""

    feature: str = Field(description="Name of the semantic feature (its consensus variable)")
    label: str = Field(description="Display name of the feature")
    set: Set = Field(description="'all', 'train' or 'test'")
    set_name: str = Field(description="Display name of the set")
    scale: Literal["nominal", "ordinal"] = Field(description="Scale of the levels")
    levels: list[str] = Field(description="Levels, in the declared order")
    readers: list[str] = Field(description="Reader columns")
    consensus: str = Field(description="How the consensus was reached, as a clause")
    n: int = Field(description="Patients of the set scored by every reader")
    n_incomplete: int = Field(description="Patients of the set with some reader's score missing")
    agreement: float = Field(description="Proportion of the n patients all readers agreed on")
    pairs: list[PairAgreement] = Field(description="Cohen's kappa of every pair of readers")
    multi: list[MultiRaterAgreement] = Field(
        default_factory=list, description="Fleiss' kappa and Krippendorff's alpha, when computed"
    )
    undefined: str | None = Field(
        default=None, description="Why kappa is undefined (a constant feature), else None"
    )


class Disagreement(_Frozen):
    """A patient whose readers gave different levels of a feature."""

    patient: str = Field(description="Patient id")
    feature: str = Field(description="Semantic feature")
    levels: list[str | None] = Field(description="Each reader's level, in reader order")
    consensus: str | None = Field(description="The consensus level analysed")


class SemanticAgreementResult(UnitResult):
    """Reader agreement on the semantic features, and the patients the readers disagreed on."""

    kind: Literal["semantic_agreement"] = "semantic_agreement"
    level: float = Field(description="Confidence level of the intervals")
    features: list[FeatureAgreement] = Field(description="One entry per feature and set")
    appendix: list[Disagreement] = Field(
        description="Every patient of the sets the readers disagreed on, per feature"
    )
    readers: dict[str, list[str]] = Field(description="Feature -> reader columns")
    blinding: str = Field(
        default="", description="What [study.narrative] assay says of blinding, quoted in Methods"
    )
