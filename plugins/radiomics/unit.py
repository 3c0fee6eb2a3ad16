"""radiomics_score: pyradiomics features of one CT phase -> selection -> XGBoost score, with SHAP."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from remarkit import (
    BINARY_OUTCOME,
    MISSING_OUTCOME,
    AppliedResult,
    Fitted,
    InputError,
    InputErrors,
    Needs,
    Unit,
    UnitContext,
    exclusion,
    population,
)
from remarkit.modeling.crossfit import crossfit_folds
from remarkit.plugins.radiomics.artefacts import feature_frame, save_artefacts, save_extraction
from remarkit.plugins.radiomics.frozen import apply_fitted
from remarkit.plugins.radiomics.methods import methods_text
from remarkit.plugins.radiomics.params import RadiomicsParams
from remarkit.plugins.radiomics.reproducibility import assess
from remarkit.plugins.radiomics.result import (
    FailedCase,
    RadiomicsResult,
    SelectedFeature,
    oof_score_column,
    score_column,
)
from remarkit.plugins.radiomics.settings import DEFAULT_PARAMS, load_settings, pyradiomics_version

if TYPE_CHECKING:
    from remarkit.plugins.radiomics.cases import CaseOutcome
    from remarkit.plugins.radiomics.model import FittedModel


class RadiomicsScore(Unit[RadiomicsParams, RadiomicsResult]):
    """Radiomics score of one CT phase; everything fitted on the training set only."""

    name = "radiomics_score"
    family = "phase_scorer"
    version = "1.3"  # 1.1: extraction settings saved; 1.2: ComBat, ICC filter; 1.3: score_oof
    Params = RadiomicsParams
    Result = RadiomicsResult
    remark_items = (5, 10)
    citations = (
        "van Griethuysen JJM, Fedorov A, Parmar C, et al. Computational radiomics system to "
        "decode the radiographic phenotype. Cancer Res 2017;77:e104-e107.",
        "Tibshirani R. Regression shrinkage and selection via the lasso. J R Stat Soc B "
        "1996;58:267-288.",
        "Chen T, Guestrin C. XGBoost: a scalable tree boosting system. KDD 2016:785-794.",
        "Lundberg SM, Lee SI. A unified approach to interpreting model predictions. NeurIPS 2017.",
        "Pedregosa F, et al. Scikit-learn: machine learning in Python. JMLR 2011;12:2825-2830.",
        "Johnson WE, Li C, Rabinovic A. Adjusting batch effects in microarray expression data "
        "using empirical Bayes methods. Biostatistics 2007;8:118-127.",
    )

    def needs(self, params: RadiomicsParams) -> Needs:
        """The image manifest and the binary outcome."""
        from remarkit.plugins.radiomics.harmonize import harmonize_columns

        return Needs(images=True, outcome=True, columns=harmonize_columns(params))

    def run(self, ctx: UnitContext, params: RadiomicsParams) -> RadiomicsResult:
        """Extract every case (parallel, cached), fit on the training set, score everyone."""
        from remarkit.plugins.radiomics.cases import case_tasks, extract_case
        from remarkit.plugins.radiomics.extraction import margin_summary
        from remarkit.plugins.radiomics.figures import shap_beeswarm
        from remarkit.plugins.radiomics.harmonize import check_harmonize, harmonize
        from remarkit.plugins.radiomics.model import (
            cross_validated_auc,
            design,
            fit,
            predict,
            shap_values,
            xgboost_config,
        )
        from remarkit.plugins.radiomics.reproducibility_report import (
            filter_steps,
            icc_caption,
            icc_figure,
            save_reproducibility,
        )

        study, cohort = ctx.study, ctx.cohort
        images = study.images
        if images is None:
            raise InputError("radiomics_score needs the [images] section", field="images")
        path = study.resolve(params.parameter_file) if params.parameter_file else DEFAULT_PARAMS
        settings = load_settings(path, label=images.label, tolerance=images.tolerance)
        patients = [str(p) for p in cohort.data.index]
        split = cohort.split.astype(str)
        known = cohort.outcome.notna()
        check_harmonize(ctx, params, [p for p in patients if split[p] == "train" and known[p]])
        tasks = case_tasks(ctx, params.phase, settings, patients)
        outcomes = ctx.executor.map(extract_case, tasks)
        problems = [InputError(m, file=f) for o in outcomes for m, f in o.problems]
        if problems:
            raise InputErrors(problems)
        failed = [
            FailedCase(patient=o.patient, split=str(split[o.patient]), reason=o.failure or "")
            for o in outcomes
            if o.features is None
        ]
        features = feature_frame(outcomes)
        extracted = list(features.index)
        # training patients with a missing outcome are scored but not trained on
        unknown = [p for p in extracted if split[p] == "train" and pd.isna(cohort.outcome[p])]
        train = [p for p in extracted if split[p] == "train" and p not in unknown]
        y_train = cohort.outcome.loc[train].to_numpy(dtype=int)
        training = [p for p in extracted if split[p] == "train"]
        repro = assess(ctx, params, tasks, features, training)
        harmonized = harmonize(ctx, params, features, train) if params.harmonize_batch else None
        if harmonized is not None:
            features = harmonized.features
        x_train = features.loc[train, repro.kept if repro and repro.kept else features.columns]
        seed = int(ctx.rng.integers(0, 2**31 - 1))
        model = fit(x_train, y_train, params, seed)
        folds = crossfit_folds(y_train, params.cv_folds, ctx.seed)
        cv_auc, cv_folds, oof = cross_validated_auc(x_train, y_train, params, seed, folds)
        scores, _ = predict(model, features)
        _, imputed = design(model, features.drop(index=train))
        score_of = dict(zip(extracted, scores.tolist(), strict=True))
        apparent = _auc(y_train, np.array([score_of[p] for p in train]))
        shap = shap_values(model, x_train)
        chosen, _ = design(model, x_train)
        figure = ctx.save_figure(
            "shap_beeswarm",
            shap_beeswarm(shap, chosen, model.features, max_display=params.shap_display, seed=seed),
            f"SHAP values of the {params.phase}-phase radiomics model on the training set: one "
            "dot per patient, coloured by the feature's value; positive SHAP values raise the "
            "predicted probability of the positive outcome.",
        )
        artefacts = save_artefacts(ctx, features, split, model, xgboost_config(params, seed))
        artefacts.update(save_extraction(ctx, path, settings))
        figures = [figure] + ([harmonized.figure] if harmonized else [])
        if harmonized is not None:
            artefacts.update(harmonized.artefacts)
        if repro is not None:
            artefacts.update(save_reproducibility(ctx, repro))
            if repro.result.n_patients >= 2:
                figures.append(
                    ctx.save_figure(
                        "feature_icc",
                        icc_figure(repro.result),
                        icc_caption(repro.result, params.phase),
                    )
                )
        return RadiomicsResult(
            phase=params.phase,
            n_patients=len(patients),
            n_extracted=len(extracted),
            failed=failed,
            n_train=len(train),
            n_train_events=int(y_train.sum()),
            populations=[
                population(
                    "train",
                    BINARY_OUTCOME,
                    len(train),
                    int(y_train.sum()),
                    "feature selection and model fit",
                )
            ],
            filters=filter_steps(
                model.selection.steps, features.shape[1], repro.result if repro else None
            ),
            lasso_c=model.selection.c,
            lasso_cv_auc=model.selection.cv_auc,
            selected=_selected(model, shap, chosen),
            xgboost=dict(xgboost_config(params, seed)),
            cv_auc=cv_auc,
            cv_auc_folds=cv_folds,
            apparent_auc=apparent,
            imputed_test_values=imputed,
            pyradiomics_version=pyradiomics_version(),
            parameter_file=_shown(path, study.base_dir),
            parameter_file_sha256=settings.file_sha256,
            settings={k: str(v) for k, v in sorted(settings.settings.items())},
            image_types=[f"{k} {v}" if v else k for k, v in settings.image_types.items()],
            feature_classes=list(settings.feature_classes),
            n_features=features.shape[1],
            cropping=margin_summary(settings),
            artefacts=artefacts,
            figures=figures,
            columns=[
                score_column(params.phase, patients, [score_of.get(p) for p in patients]),
                oof_score_column(
                    params.phase, patients, dict(zip(train, oof.tolist(), strict=True))
                ),
            ],
            warnings=_warnings(failed, model.selection.widened, outcomes, imputed)
            + (repro.warnings if repro else [])
            + (harmonized.warnings if harmonized else []),
            reproducibility=repro.result if repro else None,
            harmonization=harmonized.result if harmonized else None,
            exclusions=exclusion(MISSING_OUTCOME, unknown, "training"),
        )

    def apply(
        self,
        ctx: UnitContext,
        params: RadiomicsParams,
        fitted: Fitted[RadiomicsResult],
    ) -> AppliedResult:
        """Score a new cohort with the saved extraction settings, features and booster.

        Nothing is refitted; an installed pyradiomics other than the training run's, or settings
        that no longer give the training digest, are an InputError.
        """
        return apply_fitted(ctx, params, fitted, unit=self.name)

    def methods(self, result: RadiomicsResult, params: RadiomicsParams) -> str:
        """The Methods paragraph: extraction, selection, model, validation, library versions."""
        from remarkit.plugins.radiomics.reproducibility_report import methods_sentence

        return methods_text(
            result,
            params,
            {lib: version(lib) for lib in ("scikit-learn", "xgboost", "shap", "SimpleITK")},
        ) + methods_sentence(result.reproducibility)


def _selected(model: FittedModel, shap: np.ndarray, chosen: np.ndarray) -> list[SelectedFeature]:
    from scipy.stats import spearmanr

    from remarkit.plugins.radiomics.model import gains

    gain = gains(model)
    rows = []
    for i, name in enumerate(model.features):
        direction = 0.0
        if np.ptp(chosen[:, i]) > 0 and np.ptp(shap[:, i]) > 0:
            direction = float(spearmanr(chosen[:, i], shap[:, i]).statistic)
        rows.append(
            SelectedFeature(
                name=name,
                lasso_coefficient=model.selection.coefficients[i],
                mean_abs_shap=float(np.mean(np.abs(shap[:, i]))),
                shap_direction=direction,
                gain=gain[name],
            )
        )
    return sorted(rows, key=lambda r: (-r.mean_abs_shap, r.name))


def _auc(y: np.ndarray, scores: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, scores))


def _warnings(
    failed: list[FailedCase], widened: bool, outcomes: list[CaseOutcome], imputed: int
) -> list[str]:
    out: list[str] = []
    if failed:
        out.append(
            f"{len(failed)} case(s) could not be extracted and have no score: "
            + "; ".join(f"{f.patient} ({f.reason})" for f in failed[:5])
            + (" ..." if len(failed) > 5 else "")
        )
    if widened:
        out.append(
            "LASSO: the penalty with the best cross-validated AUC kept no feature; the "
            "strongest penalty that keeps one was used"
        )
    if imputed:
        out.append(
            f"{imputed} non-finite selected-feature value(s) of scored patients were replaced "
            "by the training median"
        )
    notes = sorted({n for o in outcomes for n in o.notes if "Sum Average" not in n})
    out.extend(f"pyradiomics: {n}" for n in notes[:5])
    return out


def _shown(path: Path, base: Path) -> str:
    """The parameter file as the report shows it: relative to the study, or remarkit's default."""
    if path == DEFAULT_PARAMS:
        return f"remarkit default ({DEFAULT_PARAMS.name})"
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()
