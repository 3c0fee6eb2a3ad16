"""The ``deep_score`` unit: a deep-learning score per patient for one CT phase."""

from __future__ import annotations

import numpy as np

from remarkit import (
    BINARY_OUTCOME,
    MISSING_OUTCOME,
    AppliedResult,
    Fitted,
    InputError,
    Needs,
    Unit,
    UnitContext,
    exclusion,
    population,
)
from remarkit.hashing import sha256_file
from remarkit.plugins.deep_learning.frozen import apply_fitted, score_column, study_manifest
from remarkit.plugins.deep_learning.methods import methods_text
from remarkit.plugins.deep_learning.params import (
    ARCHITECTURE_LABELS,
    Artefact,
    DeepScoreParams,
    DeepScoreResult,
    GradCamCase,
    SliceSummary,
)
from remarkit.plugins.deep_learning.slices import PreparedSlice, SliceSettings


class DeepScore(Unit[DeepScoreParams, DeepScoreResult]):
    """Small CNN vs ResNet18 on the largest tumour slice; the internally better one is kept."""

    name = "deep_score"
    title = "Deep-learning score"
    family = "phase_scorer"
    version = "1.0"
    Params = DeepScoreParams
    Result = DeepScoreResult
    remark_items = (5, 10)
    citations = (
        "He K, Zhang X, Ren S, Sun J. Deep residual learning for image recognition. CVPR 2016.",
        "Selvaraju RR, et al. Grad-CAM: visual explanations from deep networks via "
        "gradient-based localization. ICCV 2017.",
        "Paszke A, et al. PyTorch: an imperative style, high-performance deep learning "
        "library. NeurIPS 2019.",
    )

    def needs(self, params: DeepScoreParams) -> Needs:
        """The image manifest and the binary outcome."""
        return Needs(images=True, outcome=True)

    def run(self, ctx: UnitContext, params: DeepScoreParams) -> DeepScoreResult:
        """Prepare slices, fit candidates on the training set, score everyone, explain, save."""
        from remarkit.plugins.deep_learning.cases import case_tasks, collect, prepare_case
        from remarkit.plugins.deep_learning.figures import gradcam_overlays, training_curves

        study = ctx.study
        if study.images is None:
            raise InputError("deep_score needs the [images] section", field="images")
        patients = [str(p) for p in ctx.cohort.data.index]
        unknown = [p for p in params.gradcam_patients if p not in patients]
        if unknown:
            raise InputError(
                f"gradcam_patients not in the cohort: {', '.join(unknown)}",
                field=f"unit.{ctx.unit_id}.gradcam_patients",
            )
        pretrained = study.resolve(params.pretrained) if params.pretrained else None
        manifest = study_manifest(ctx)
        settings = SliceSettings(
            window_level=params.window_level,
            window_width=params.window_width,
            margin_mm=params.margin_mm,
            size=params.size,
            label=params.label,
            liver_label=params.liver_label,
        )
        tasks = case_tasks(manifest, patients, params.phase, settings, params.tolerance)
        prepared = collect(ctx.executor.map(prepare_case, tasks), params.phase)
        x = np.stack([prepared[p].pixels for p in patients])
        known = ctx.cohort.outcome_known.loc[patients].to_numpy()
        # a missing outcome is -1: that patient is scored but neither trained on nor validated
        y = ctx.cohort.outcome.loc[patients].fillna(-1).to_numpy(dtype=np.int64)
        split = ctx.cohort.split.loc[patients].astype(str).to_numpy()
        unknown = [
            p for p, k, s in zip(patients, known, split, strict=True) if not k and s == "train"
        ]
        fit_split = np.where(known, split, "outcome unknown")
        root_seed = int(ctx.rng.integers(0, 2**31 - 1))
        from remarkit.plugins.deep_learning import pipeline  # torch, imported on first use

        fitted = pipeline.fit_score_explain(
            x, y, fit_split, patients, params, root_seed, pretrained
        )
        selection, scores, shown = fitted.selection, fitted.scores, fitted.shown
        positive = study.cohort.binary_outcome().positive
        cases = [
            GradCamCase(
                patient=patients[i],
                split=str(split[i]),
                outcome=int(y[i]),
                outcome_label=(
                    positive if y[i] == 1 else f"not {positive}" if y[i] == 0 else "missing"
                ),
                score=float(scores[i]),
            )
            for i in shown
        ]
        outcome = {"column": study.cohort.binary_outcome().column, "positive": positive}
        paths = pipeline.save_selected(
            ctx.artifact_path("model"), params, selection, settings, outcome
        )
        artefacts = [
            Artefact(name=p.name, path=ctx.relpath(p), sha256=sha256_file(p)) for p in paths
        ]
        figures = [
            ctx.save_figure(
                "training_curves",
                training_curves(selection.fits),
                f"Training of the {params.phase}-phase deep-learning candidates: loss on the "
                "fitting patients (solid) and on the internal validation split (dashed), and "
                "internal-validation AUC; dotted lines mark the epoch each model was restored to.",
            )
        ]
        if cases:
            figures.append(
                ctx.save_figure(
                    "gradcam",
                    gradcam_overlays(x[shown], fitted.maps, cases),
                    f"Grad-CAM of the kept {params.phase}-phase model "
                    f"({ARCHITECTURE_LABELS[selection.architecture]}, "
                    f"layer {fitted.layer_name}): warm colours contributed most to the predicted class ({positive} for scores "
                    "of at least 0.5, otherwise the other class); a map where no region "
                    "contributes positively is blank and marked so.",
                )
            )
        return DeepScoreResult(
            phase=params.phase,
            n_train=int((split == "train").sum()),
            n_fit=selection.n_fit,
            n_internal=selection.n_internal,
            n_test=int((split == "test").sum()),
            selected=selection.architecture,
            selection=params.selection,
            candidates=selection.fits,
            slices=_slice_summary([prepared[p] for p in patients]),
            gradcam=cases,
            gradcam_layer=fitted.layer_name,
            artefacts=artefacts,
            torch_version=pipeline.TORCH_VERSION,
            figures=figures,
            warnings=selection.warnings,
            columns=[score_column(params.phase, patients, [float(s) for s in scores])],
            exclusions=exclusion(MISSING_OUTCOME, unknown, "training"),
            populations=[
                population(
                    "train", BINARY_OUTCOME, selection.n_fit, selection.fit_events, "network fit"
                ),
                population(
                    "train",
                    BINARY_OUTCOME,
                    selection.n_internal,
                    selection.internal_events,
                    "internal validation (model and epoch choice)",
                ),
            ],
        )

    def apply(
        self,
        ctx: UnitContext,
        params: DeepScoreParams,
        fitted: Fitted[DeepScoreResult],
    ) -> AppliedResult:
        """Score a new cohort with the saved model folder; nothing is refitted."""
        return apply_fitted(ctx, params, fitted, unit=self.name)

    def methods(self, result: DeepScoreResult, params: DeepScoreParams) -> str:
        """The Methods paragraph: preprocessing, architectures, training, selection, versions."""
        return methods_text(result, params)


def _slice_summary(slices: list[PreparedSlice]) -> SliceSummary:
    areas = np.array([s.tumour_area_mm2 for s in slices])
    crops = np.array([s.crop_mm for s in slices])
    return SliceSummary(
        median_tumour_area_mm2=float(np.median(areas)),
        min_tumour_area_mm2=float(areas.min()),
        median_crop_mm=float(np.median(crops)),
    )
