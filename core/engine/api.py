"""The engine's entry points: validate a study, plan it, run it into an output folder."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from remarkit._version import __version__
from remarkit.engine.cache import NullCache, ResultCache
from remarkit.engine.cohort import Cohort
from remarkit.engine.cohort_counts import endpoint_counts, not_applicable_counts
from remarkit.engine.derive.evaluate import derive_cohort, derived_names
from remarkit.engine.executor import Executor, SerialExecutor
from remarkit.engine.frozen import (
    SCORES_FILE,
    FittedModel,
    applied_plan,
    load_fitted_model,
    write_scores,
)
from remarkit.engine.genomics_checks import genomics_input_errors
from remarkit.engine.image_checks import image_input_errors
from remarkit.engine.labels import outcome_names
from remarkit.engine.load import load_study
from remarkit.engine.outdir import (
    check_cache_dir,
    check_out_dir,
    move_into_place,
    output_names,
    remove_stale_staging,
    staging_dir,
)
from remarkit.engine.plan import PlannedUnit, plan_study
from remarkit.engine.plugin_manager import Plugins, make_plugin_manager
from remarkit.engine.provenance import input_sha256, library_versions, platform_info
from remarkit.engine.results import (
    RESULTS_FILE,
    AppliedModel,
    CohortSummary,
    FlowRecord,
    InputFile,
    RunResults,
    StudySummary,
    UnitRecord,
    VariableRecord,
    dump_results,
)
from remarkit.engine.runner import ProgressCallback, RunOptions, run_units
from remarkit.engine.spec import Study
from remarkit.engine.validate import load_cohort
from remarkit.errors import InputError, InputErrors
from remarkit.io import manifest_sha256, read_manifest


@dataclass(frozen=True)
class PreparedStudy:
    """A study whose spec, data and plan have all been validated.

    ``applied``/``thresholds``: set by :func:`prepare_apply` (an external cohort scored with a
    frozen model; the plan starts with the model's applied units).
    """

    spec_path: Path
    study: Study
    cohort: Cohort
    plan: list[PlannedUnit]
    plugins: Plugins
    applied: AppliedModel | None = None
    thresholds: dict[str, float] = field(default_factory=dict)


def prepare(spec_path: Path, plugins: Plugins | None = None) -> PreparedStudy:
    """Validate the spec, the cohort and the units; raise InputErrors listing every problem."""
    return _prepare(Path(spec_path), plugins or make_plugin_manager(), None)


def prepare_apply(
    model_dir: Path,
    spec_path: Path,
    *,
    models: Sequence[str] = (),
    plugins: Plugins | None = None,
) -> PreparedStudy:
    """Prepare ``remarkit apply``: verify the frozen model, validate the new (external) study.

    The new cohort is one external validation set; the plan is the model's applied units
    followed by the study's own units (evaluators), which receive the training thresholds.
    """
    plugins = plugins or make_plugin_manager()
    model = load_fitted_model(Path(model_dir), plugins.units(), models)
    prepared = _prepare(Path(spec_path), plugins, model)
    record = AppliedModel(
        model_dir=Path(model_dir).as_posix(),
        results_sha256=model.results_sha256,
        spec_sha256=model.results.spec_sha256,
        remarkit_version=model.results.remarkit_version,
        models=model.models,
        units=[f.record.id for f in model.pipeline],
        thresholds=model.thresholds,
        threshold_sources=model.threshold_sources,
    )
    return replace(prepared, applied=record, thresholds=model.thresholds)


def _prepare(spec_path: Path, plugins: Plugins, model: FittedModel | None) -> PreparedStudy:
    study = load_study(spec_path)
    errors: list[InputError] = []
    cohort: Cohort | None = None
    try:
        cohort = load_cohort(study, external=model is not None)
    except InputErrors as exc:
        errors.extend(_in_spec(e, spec_path) for e in exc.errors)
    frozen = model.results.cohort.derived if model is not None else []
    cohort, derive_errors = derive_cohort(study, cohort, frozen=frozen, spec_file=str(spec_path))
    errors.extend(derive_errors)
    for label, path in _declared_files(study):
        if not path.exists():
            errors.append(InputError(f"{label} not found", file=str(path)))
    errors.extend(image_input_errors(study, cohort))
    errors.extend(genomics_input_errors(study))
    columns = (
        set(study.cohort.variables) | derived_names(study, frozen) | set(study.cohort.semantic)
    )
    plan: list[PlannedUnit] = []
    try:
        units = plugins.units()
        plan = plan_study(
            study,
            units,
            columns,
            spec_file=str(spec_path),
            plugin_problems=[str(p) for p in plugins.problems],
            upstream=applied_plan(model) if model is not None else (),
        )
    except InputErrors as exc:
        errors.extend(exc.errors)
    errors.extend(_checklist_errors(study, plugins, spec_path))
    if errors or cohort is None:
        raise InputErrors(errors)
    return PreparedStudy(spec_path, study, cohort, plan, plugins)


def _checklist_errors(study: Study, plugins: Plugins, spec_path: Path) -> list[InputError]:
    """``[study] checklists`` must name registered checklists."""
    known = plugins.checklists().checklists
    return [
        InputError(
            f"unknown checklist '{name}' (available: {', '.join(sorted(known))})",
            file=str(spec_path),
            field=f"study.checklists[{i}]",
        )
        for i, name in enumerate(study.study.checklists)
        if name not in known
    ]


def _in_spec(error: InputError, spec_path: Path) -> InputError:
    """A spec-field error without a file names the study file."""
    if error.file is not None or error.field is None:
        return error
    return InputError(error.message, file=str(spec_path), field=error.field)


def _declared_files(study: Study) -> list[tuple[str, Path]]:
    files: list[tuple[str, Path]] = []
    if study.images is not None:
        files.append(("image manifest", study.resolve(study.images.manifest)))
    g = study.genomics
    if g is not None:
        for label, path in (
            ("expression matrix", g.expression),
            ("MAF", g.maf),
            ("VCF", g.vcf),
            ("neoantigen table", g.neoantigens),
        ):
            if path is not None:
                files.append((label, study.resolve(path)))
        files.extend(("gene-set file", study.resolve(p)) for p in g.gene_sets)
    return files


def _image_inputs(study: Study, memo_dir: Path | None) -> list[InputFile]:
    """One record for every image and mask the manifest names: their count and joint sha256.

    A changed image changes every unit's cache key. A manifest that cannot be read adds nothing
    here: the image units report its problems. File hashes are remembered in the per-case cache
    folder (``memo_dir``, None without a cache) by file identity, so re-runs do not re-read them.
    """
    if study.images is None:
        return []
    spec = study.images
    path = study.resolve(spec.manifest)
    columns = spec.manifest_columns()
    try:
        n, digest = manifest_sha256(read_manifest(path, columns=columns), memo_dir=memo_dir)
    except (InputError, InputErrors):
        return []
    shown = _input_record(study, "image manifest", path).path
    return [InputFile(role=f"images and masks ({n} files)", path=shown, sha256=digest)]


def _input_record(study: Study, role: str, path: Path) -> InputFile:
    try:
        shown = path.relative_to(study.base_dir).as_posix()
    except ValueError:
        shown = path.as_posix()
    return InputFile(role=role, path=shown, sha256=input_sha256(path))


def input_records(study: Study, *, memo_dir: Path | None = None) -> list[InputFile]:
    """Every input the run reads with its sha256, as results.json records them (and audit checks).

    ``memo_dir``: where image hashes are remembered by file identity (see ``_image_inputs``).
    """
    inputs = [_input_record(study, "cohort table", study.resolve(study.cohort.table))]
    inputs += [_input_record(study, label, path) for label, path in _declared_files(study)]
    inputs += _image_inputs(study, memo_dir)
    return inputs


def run_prepared(
    prepared: PreparedStudy,
    out_dir: Path,
    *,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    executor: Executor | None = None,
    progress: ProgressCallback | None = None,
    debug: bool = False,
    finalize: Callable[[Path, RunResults], None] | None = None,
) -> RunResults:
    """Run a prepared study; write results.json and unit files into ``out_dir`` atomically.

    ``finalize(staging_dir, results)`` runs after results.json is written and before anything is
    moved into ``out_dir`` (the CLI compiles the HTML/PDF report there); if it raises, nothing
    is moved. ``out_dir`` and the cache folder are checked before any work (InputError), see
    :mod:`remarkit.engine.outdir` for what may be replaced.
    """
    study = prepared.study
    out_dir = Path(out_dir).resolve()
    applied = prepared.applied is not None
    check_out_dir(out_dir, replacing=output_names(applied=applied, report=finalize is not None))
    cache: ResultCache = NullCache()
    if use_cache:
        cache_root = cache_dir or prepared.spec_path.resolve().parent / ".remarkit-cache"
        check_cache_dir(Path(cache_root))
        cache = ResultCache(Path(cache_root))
    inputs = input_records(study, memo_dir=cache.case_dir())
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(out_dir)
    staging = staging_dir(out_dir)
    try:
        libraries = library_versions()
        records = _run_units_naming_table(
            study,
            prepared,
            RunOptions(
                out_root=staging,
                cache=cache,
                executor=executor or SerialExecutor(),
                libraries=libraries,
                inputs=inputs,
                progress=progress,
                debug=debug,
                thresholds=prepared.thresholds,
                strict=frozenset(prepared.applied.units if prepared.applied else ()),
            ),
        )
        prepared.plugins.template_dirs()  # records template overrides as plugin problems
        results = RunResults(
            remarkit_version=__version__,
            seed=study.study.seed,
            spec_file=prepared.spec_path.name,
            spec_sha256=input_sha256(prepared.spec_path),
            study_dir=_relative_dir(prepared.spec_path.resolve().parent, out_dir),
            study=_study_summary(study),
            cohort=_cohort_summary(prepared.cohort, study),
            platform=platform_info(),
            libraries=libraries,
            inputs=inputs,
            plugin_problems=[str(p) for p in prepared.plugins.problems],
            applied_model=prepared.applied,
            units=records,
        )
        write_results(results, staging / RESULTS_FILE)
        if prepared.applied is not None:
            ids = [str(i) for i in prepared.cohort.data.index]
            write_scores(staging / SCORES_FILE, ids, records)
        if finalize is not None:
            finalize(staging, results)
        move_into_place(staging, out_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return results


def _run_units_naming_table(
    study: Study, prepared: PreparedStudy, options: RunOptions
) -> list[UnitRecord]:
    """:func:`run_units`; an applied unit's error about a cohort variable (an unseen level)
    names the cohort table it came from."""
    try:
        return run_units(study, prepared.cohort, prepared.plan, prepared.plugins, options)
    except InputErrors as exc:
        table = str(study.resolve(study.cohort.table))
        raise InputErrors(
            [
                InputError(e.message, file=table, row=e.row, column=e.column, field=e.field)
                if e.file is None and e.column in study.cohort.variables
                else e
                for e in exc.errors
            ]
        ) from exc


def write_results(results: RunResults, path: Path) -> None:
    """Write results.json with stable formatting."""
    path.write_text(dump_results(results), encoding="utf-8")


def _relative_dir(folder: Path, out_dir: Path) -> str:
    """``folder`` relative to ``out_dir`` (posix), so the record survives moving both together."""
    try:
        return Path(os.path.relpath(folder, out_dir)).as_posix()
    except ValueError:
        return folder.as_posix()


def _study_summary(study: Study) -> StudySummary:
    info = study.study
    return StudySummary(
        title=info.title,
        markers=info.markers,
        objective=info.objective,
        hypotheses=info.hypotheses,
        design=info.design,
        period=info.period,
        endpoints=info.endpoints,
        checklists=list(info.checklists),
        narrative=info.narrative.model_dump(),
        primary=info.primary.model_dump() if info.primary is not None else None,
    )


def _cohort_summary(cohort: Cohort, study: Study) -> CohortSummary:
    train, test = cohort.train, cohort.test
    unknown = ~cohort.outcome_known & cohort.has_outcome

    return CohortSummary(
        n=len(cohort.data),
        n_train=int(train.sum()),
        n_test=int(test.sum()),
        events_train=int(cohort.outcome[train].sum()),
        events_test=int(cohort.outcome[test].sum()),
        missing_outcome_train=int((unknown & train).sum()),
        missing_outcome_test=int((unknown & test).sum()),
        dropped_samples=list(cohort.dropped_samples),
        external=cohort.external,
        outcome=study.cohort.outcome.column if study.cohort.outcome else "",
        positive=study.cohort.outcome.positive if study.cohort.outcome else "",
        positive_label=outcome_names(study.cohort.outcome)[0] if study.cohort.outcome else "",
        missing=cohort.missing_counts,
        not_applicable=not_applicable_counts(cohort),
        flow=[FlowRecord(**step.model_dump()) for step in study.cohort.flow],
        variables=[
            VariableRecord(
                name=name, type=var.type, label=var.label, unit=var.unit, levels=var.levels
            )
            for name, var in study.cohort.variables.items()
        ],
        derived=cohort.derivation.records if cohort.derivation else [],
        range_warnings=cohort.derivation.range_warnings if cohort.derivation else [],
        derived_methods=cohort.derivation.methods if cohort.derivation else "",
        input_warnings=list(cohort.input_warnings),
        semantic=cohort.semantic.records if cohort.semantic else [],
        semantic_methods=cohort.semantic.methods if cohort.semantic else "",
        endpoints=endpoint_counts(cohort),
    )
