"""A fitted radiomics_score applied to a new cohort (``remarkit apply``): nothing is refitted.

The training run's unit folder holds what scoring needs: the pyradiomics parameter file (a byte
copy) with ``extraction.json`` (label, tolerance, pyradiomics version and settings digest),
``model.json`` (selected features in model order, their training medians) and the XGBoost
booster. The new cohort's cases are extracted with those settings under the installed
pyradiomics, which must be the training run's version and give the same settings digest.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from remarkit import AppliedResult, Fitted, InputError, InputErrors, UnitContext
from remarkit.plugins.radiomics.artefacts import feature_frame
from remarkit.plugins.radiomics.params import RadiomicsParams
from remarkit.plugins.radiomics.result import RadiomicsResult, score_column
from remarkit.plugins.radiomics.settings import (
    ExtractionSettings,
    load_settings,
    pyradiomics_version,
)

if TYPE_CHECKING:
    from remarkit.plugins.radiomics.cases import CaseOutcome


@dataclass(frozen=True)
class FrozenModel:
    """The saved model: features in column order, training medians, the loaded booster."""

    features: list[str]
    medians: dict[str, float]
    booster: Any  # xgboost.XGBClassifier
    booster_sha256: str
    spec_path: Path


def saved_file(fitted: Fitted[RadiomicsResult], name: str, sha256: str | None = None) -> Path:
    """The verified path of the training result's artefact ``name``; InputError if absent."""
    relative = fitted.result.artefacts.get(name)
    if relative is None:
        raise InputError(
            f"the training result lists no '{name}' artefact: re-run the training study with "
            "this remarkit to apply its model",
            file=str(fitted.folder),
        )
    return fitted.file(relative, sha256=sha256, what=f"{name} artefact")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"unreadable JSON ({exc})", file=str(path)) from exc
    if not isinstance(data, dict):
        raise InputError("not a JSON object", file=str(path))
    return data


def frozen_settings(state: Fitted[RadiomicsResult]) -> tuple[ExtractionSettings, str]:
    """The training run's extraction settings, re-read and checked, and their digest."""
    fitted = state.result
    record_path = saved_file(state, "extraction")
    record = _read_json(record_path)
    installed = pyradiomics_version()
    if installed != fitted.pyradiomics_version:
        raise InputError(
            f"pyradiomics {installed} is installed but the model was trained with pyradiomics "
            f"{fitted.pyradiomics_version}: install that version to apply it",
            file=str(record_path),
        )
    try:
        label, tolerance = int(record["label"]), float(record["tolerance"])
        digest = str(record["settings_digest"])
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(
            f"not a radiomics extraction record ({type(exc).__name__}: {exc})",
            file=str(record_path),
        ) from exc
    parameter_file = saved_file(state, "parameter_file", fitted.parameter_file_sha256)
    settings = load_settings(parameter_file, label=label, tolerance=tolerance)
    if settings.digest() != digest:
        raise InputError(
            f"extraction settings digest {settings.digest()[:12]} differs from the training "
            f"run's {digest[:12]} (pyradiomics or remarkit's extraction changed): the model "
            "cannot be applied with this installation",
            file=str(record_path),
        )
    return settings, digest


def frozen_model(state: Fitted[RadiomicsResult]) -> FrozenModel:
    """The saved selected features, training medians and XGBoost booster."""
    from xgboost import XGBClassifier

    spec_path = saved_file(state, "model")
    spec = _read_json(spec_path)
    try:
        features = [str(f) for f in spec["features"]]
        medians = {str(k): float(v) for k, v in spec["training_medians"].items()}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(
            f"not a radiomics model file ({type(exc).__name__}: {exc})", file=str(spec_path)
        ) from exc
    absent = [f for f in features if f not in medians]
    if not features or absent:
        raise InputError(
            f"no training median for feature(s) {', '.join(absent)}"
            if absent
            else "the model lists no feature",
            file=str(spec_path),
        )
    booster_path = saved_file(state, "booster")
    booster = XGBClassifier()
    try:
        booster.load_model(str(booster_path))
        width = int(booster.get_booster().num_features())
    except Exception as exc:  # xgboost.core.XGBoostError, or whatever a bad file raises
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InputError(f"not a readable XGBoost model ({first})", file=str(booster_path)) from exc
    if width != len(features):
        raise InputError(
            f"the booster has {width} input(s), {spec_path.name} lists {len(features)} features",
            file=str(booster_path),
        )
    booster_sha = state.sha256[state.key(state.result.artefacts["booster"])]
    return FrozenModel(features, medians, booster, booster_sha, spec_path)


def _extract(
    ctx: UnitContext, phase: str, settings: ExtractionSettings, patients: list[str]
) -> list[CaseOutcome]:
    from remarkit.plugins.radiomics.cases import case_tasks, extract_case

    try:
        outcomes = ctx.executor.map(extract_case, case_tasks(ctx, phase, settings, patients))
        problems = [InputError(m, file=f) for o in outcomes for m, f in o.problems]
        if problems:
            raise InputErrors(problems)
    except InputErrors as exc:
        raise exc.as_one() from exc
    return outcomes


def _check_features(outcomes: list[CaseOutcome], model: FrozenModel, phase: str) -> None:
    for outcome in outcomes:
        if outcome.features is None:
            continue
        missing = [f for f in model.features if f not in outcome.features]
        if missing:
            raise InputError(
                f"the extraction of patient '{outcome.patient}', phase '{phase}' produced no "
                f"feature {', '.join(missing)}, which the model needs",
                file=str(model.spec_path),
            )


def apply_fitted(
    ctx: UnitContext,
    params: RadiomicsParams,
    state: Fitted[RadiomicsResult],
    *,
    unit: str,
) -> AppliedResult:
    """Extract the new cohort with the saved settings and score it with the saved booster."""
    from remarkit.plugins.radiomics.harmonize import reapply
    from remarkit.plugins.radiomics.model import predict

    images = ctx.study.images
    if images is None:
        raise InputError("radiomics_score needs the [images] section", field="images")
    fitted = state.result
    trained, digest = frozen_settings(state)
    model = frozen_model(state)
    # the new cohort's masks may code the tumour with another label; every setting stays frozen
    settings = dataclasses.replace(
        trained,
        settings={**trained.settings, "label": images.label},
        tolerance=images.tolerance,
    )
    patients = [str(p) for p in ctx.cohort.data.index]
    outcomes = _extract(ctx, params.phase, settings, patients)
    _check_features(outcomes, model, params.phase)
    features = feature_frame(outcomes)
    combat = fitted.harmonization
    if combat is not None and len(features):
        path = saved_file(state, "combat", combat.model_sha256)
        features = reapply(ctx, combat, path, features)
    score_of: dict[str, float] = {}
    imputed = 0
    if len(features):
        scores, imputed = predict(model, features)
        score_of = dict(zip(features.index, scores.tolist(), strict=True))
    failed = [o for o in outcomes if o.features is None]
    unscored = [p for p in patients if p not in score_of]
    return AppliedResult(
        unit=unit,
        n=len(patients),
        scored=len(patients) - len(unscored),
        unscored=unscored,
        frozen={
            "pyradiomics": fitted.pyradiomics_version,
            "extraction settings digest": digest,
            "parameter file sha256": fitted.parameter_file_sha256,
            "selected features": len(model.features),
            "XGBoost model file sha256": model.booster_sha256,
            **({"ComBat model sha256": combat.model_sha256} if combat is not None else {}),
        },
        summary=(
            f"{params.phase.capitalize()}-phase radiomics score: {fitted.n_features} features "
            f"extracted with the training run's pyradiomics {fitted.pyradiomics_version} settings "
            f"(digest {digest[:12]}), the {len(model.features)} selected ones scored by the saved "
            "XGBoost model"
            + (f" after the saved ComBat harmonisation by {combat.batch_column}" if combat else "")
        ),
        columns=[score_column(params.phase, patients, [score_of.get(p) for p in patients])],
        warnings=_warnings(failed, imputed),
    )


def _warnings(failed: list[CaseOutcome], imputed: int) -> list[str]:
    out: list[str] = []
    if failed:
        out.append(
            f"{len(failed)} case(s) could not be extracted and have no score: "
            + "; ".join(f"{f.patient} ({f.failure})" for f in failed[:5])
            + (" ..." if len(failed) > 5 else "")
        )
    if imputed:
        out.append(
            f"{imputed} non-finite selected-feature value(s) were replaced by the training median"
        )
    return out
