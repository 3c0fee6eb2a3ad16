"""Result models of radiomics_score's ComBat harmonisation (raw numbers, formatted by the template)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BatchCount(_Frozen):
    """A batch of the training set."""

    batch: str = Field(description="Batch (level of the batch column)")
    n_train: int = Field(description="Training patients the ComBat estimates were fitted on")


class BatchEffect(_Frozen):
    """One feature's batch difference on the training set, before and after ComBat."""

    feature: str = Field(description="pyradiomics feature name")
    statistic_before: float = Field(description="Kruskal-Wallis H across batches, before")
    p_before: float = Field(description="Kruskal-Wallis p-value across batches, before")
    p_after: float = Field(description="Kruskal-Wallis p-value across batches, after ComBat")


class Harmonization(_Frozen):
    """ComBat harmonisation of the extracted features (fitted on the training set only)."""

    batch_column: str = Field(description="Cohort column of the batch")
    covariates: list[str] = Field(description="Covariates whose effects ComBat preserved")
    prior: str = Field(description="Empirical-Bayes prior: 'parametric' or 'nonparametric'")
    batches: list[BatchCount] = Field(description="Training batches and their sizes")
    n_harmonized: int = Field(description="Features harmonised")
    unadjusted: list[str] = Field(
        description="Features finite for every training patient but with a single value within "
        "a training batch: not harmonised (passed through unchanged)"
    )
    n_not_finite: int = Field(
        description="Features non-finite for some training patient: not harmonised (the "
        "selection drops them)"
    )
    alpha: float = Field(description="Significance level of the batch-difference test")
    n_tested: int = Field(description="Harmonised features tested for a batch difference")
    n_differing_before: int = Field(
        description="Of them, features differing by batch (Kruskal-Wallis p < alpha) before"
    )
    n_differing_after: int = Field(description="The same after ComBat")
    largest: list[BatchEffect] = Field(
        description="Features with the largest batch difference before (largest H), as plotted"
    )
    iterations: list[int] = Field(
        description="Parametric empirical-Bayes iterations per batch (0 for the nonparametric)"
    )
    model_sha256: str = Field(description="sha256 of the saved ComBat model (combat.json)")


def combat_methods(h: Harmonization) -> str:
    """The Methods sentences of the harmonisation step."""
    sizes = ", ".join(f"{b.batch} n = {b.n_train}" for b in h.batches)
    kept = f", preserving the effects of {', '.join(h.covariates)}" if h.covariates else ""
    passed = (
        f"; {len(h.unadjusted)} feature(s) with a single value within a training batch were left "
        "unchanged"
        if h.unadjusted
        else ""
    )
    return (
        f"Before selection, the features finite for every training patient were harmonised "
        f"across {h.batch_column} ({sizes} training patients) by {h.prior} empirical-Bayes "
        f"ComBat (Johnson et al. 2007; remarkit's implementation, checked against R's "
        f"sva::ComBat){kept}: the batch location and scale estimates were fitted on the "
        "training patients only and applied frozen to every other patient; ComBat does not use "
        "the outcome and was not refitted within the cross-validation folds. "
        f"{h.n_harmonized} features were harmonised{passed}. Features differing by "
        f"{h.batch_column} on the training set (Kruskal-Wallis p < {h.alpha:g}): "
        f"{h.n_differing_before} of {h.n_tested} before and {h.n_differing_after} after "
        "harmonisation."
    )
