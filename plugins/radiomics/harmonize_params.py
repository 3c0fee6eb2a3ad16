"""Parameters of radiomics_score's optional ComBat harmonisation across batches (centres, scanners)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from remarkit import UnitParams


class HarmonizeParams(UnitParams):
    """The harmonisation step: which batch column, which covariates ComBat preserves."""

    harmonize_batch: str | None = Field(
        default=None,
        description="Categorical cohort column of the acquisition batch (centre, scanner): the "
        "extracted features are ComBat-harmonised across its levels before feature selection, "
        "the batch estimates fitted on the training set only and re-applied frozen to test and "
        "new cohorts (every batch needs at least 2 training patients; off when not given)",
    )
    harmonize_covariates: list[str] = Field(
        default_factory=list,
        description="Cohort columns whose effects ComBat preserves (continuous, or categorical "
        "treatment-coded); never the outcome. Needs harmonize_batch",
    )
    harmonize_prior: Literal["parametric", "nonparametric"] = Field(
        default="parametric",
        description="ComBat's empirical-Bayes prior (sva's par.prior TRUE or FALSE)",
    )
