"""Implementations of the CLI verbs; each returns an exit code."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from remarkit.cli.progress import unit_progress
from remarkit.engine.api import PreparedStudy, prepare, prepare_apply, run_prepared
from remarkit.engine.executor import make_executor, opened
from remarkit.engine.outdir import check_cache_dir, check_out_dir, claim, output_names
from remarkit.engine.plugin_manager import make_plugin_manager
from remarkit.engine.results import (
    NON_FINITE_NOTE,
    ResultsJsonSchema,
    RunResults,
    results_document,
)
from remarkit.errors import InputError, InputErrors
from remarkit.io import read_manifest, second_mask_errors

if TYPE_CHECKING:
    from remarkit.report.compile import CompiledReport


def _templates_dir(args: argparse.Namespace) -> Path | None:
    """The user's template folder (``--templates``), checked before anything runs."""
    if not args.templates:
        return None
    folder = Path(args.templates)
    if not folder.is_dir():
        raise InputError("template folder not found", file=str(folder), field="--templates")
    return folder


def _check_folders(out: Path, args: argparse.Namespace, *, applied: bool = False) -> Path:
    """Check ``--out`` and ``--cache-dir`` before any work (InputError, exit 2); return ``out``."""
    check_out_dir(out.resolve(), replacing=output_names(applied=applied, report=True))
    if args.cache_dir and not args.no_cache:
        check_cache_dir(Path(args.cache_dir).resolve())
    return out


def _execute(prepared: PreparedStudy, out: Path, args: argparse.Namespace) -> int:
    templates = _templates_dir(args)
    try:
        executor = make_executor(args.executor, args.jobs)
    except ValueError as exc:
        raise InputError(str(exc), field="--executor") from exc
    compiled: list[CompiledReport] = []

    from remarkit.report.compile import compile_report  # WeasyPrint: only when a report is made

    def finalize(staging: Path, results: RunResults) -> None:
        compiled.append(
            compile_report(
                staging,
                results_document(results),
                plugins=prepared.plugins,
                templates_dir=templates,
            )
        )

    with opened(executor), unit_progress(len(prepared.plan)) as callback:
        results = run_prepared(
            prepared,
            out,
            cache_dir=Path(args.cache_dir) if args.cache_dir else None,
            use_cache=not args.no_cache,
            executor=executor,
            progress=callback,
            debug=args.debug,
            finalize=finalize,
        )
    _print_summary(results, out, compiled[0] if compiled else None)
    return 1 if results.failed else 0


def _print_summary(results: RunResults, out: Path, report: CompiledReport | None) -> None:
    ok = sum(u.status == "ok" for u in results.units)
    hits = sum(u.execution.cache_hit for u in results.units)
    print(
        f"{ok}/{len(results.units)} units ok ({hits} from cache); results in {out / 'results.json'}"
    )
    if report is not None:
        files = " and ".join(str(out / p.name) for p in (report.html, report.pdf) if p)
        print(f"report: {files} ({report.tables} tables, {report.figures} figures)")
        for summary in report.checklists:
            print(f"{summary} (details: remarkit audit {out})")
        for problem in report.problems:
            print(f"  warning: {problem}", file=sys.stderr)
    for unit in results.units:
        if unit.status != "ok":
            print(f"  {unit.id} ({unit.name}): {unit.status}: {unit.error}", file=sys.stderr)
    for problem in results.plugin_problems:
        print(f"  warning: {problem}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """``remarkit run STUDY.toml``: validate, plan and run a study."""
    spec = Path(args.spec)
    out = Path(args.out) if args.out else spec.resolve().parent / "report"
    if not args.dry_run:
        _check_folders(out, args)
    prepared = prepare(spec)
    _print_derivation_warnings(prepared)
    if args.dry_run:
        print_plan(prepared)
        return 0
    return _execute(prepared, out, args)


def apply(args: argparse.Namespace) -> int:
    """``remarkit apply MODEL_DIR STUDY.toml``: score and evaluate a new cohort, nothing refitted."""
    spec = Path(args.spec)
    out = Path(args.out) if args.out else spec.resolve().parent / "report"
    if not args.dry_run:
        _check_folders(out, args, applied=True)
    prepared = prepare_apply(Path(args.model_dir), spec, models=args.model)
    _print_derivation_warnings(prepared)
    if args.dry_run:
        print_plan(prepared)
        return 0
    return _execute(prepared, out, args)


def print_plan(prepared: PreparedStudy) -> None:
    """Print the units in run order with what each needs."""
    print(f"study: {prepared.study.study.title}\ncohort: {_cohort_line(prepared)}")
    if prepared.applied is not None:
        a = prepared.applied
        print(
            f"applied model: {', '.join(a.models)} from {a.model_dir} "
            f"(results sha256 {a.results_sha256[:12]}; {len(a.thresholds)} training thresholds)"
        )
    print(f"plan ({len(prepared.plan)} units):")
    for i, unit in enumerate(prepared.plan, start=1):
        deps = ", ".join(unit.depends_on) or "-"
        cols = ", ".join(unit.needs.columns) or "-"
        print(
            f"  {i}. {unit.id} [{unit.unit_cls.name} {unit.unit_cls.version}] after: {deps}; columns: {cols}"
        )


def validate(args: argparse.Namespace) -> int:
    """``remarkit validate STUDY.toml``: check the spec and its inputs, run nothing."""
    prepared = prepare(Path(args.spec))
    problems = _second_mask_problems(prepared)
    if problems:
        raise InputErrors(problems)
    _print_derivation_warnings(prepared)
    print(f"ok: {args.spec}: {_cohort_line(prepared)}, {len(prepared.plan)} units planned")
    return 0


def _second_mask_problems(prepared: PreparedStudy) -> list[InputError]:
    """Second tumour masks of the cohort's patients whose geometry or label is wrong."""
    images = prepared.study.images
    if images is None:
        return []
    try:
        manifest = read_manifest(
            prepared.study.resolve(images.manifest), columns=images.manifest_columns()
        )
    except InputErrors as exc:
        return list(exc.errors)
    patients = [str(p) for p in prepared.cohort.data.index]
    return second_mask_errors(
        manifest, patients=patients, label=images.label, tolerance=images.tolerance
    )


def _print_derivation_warnings(prepared: PreparedStudy) -> None:
    """Input, range and derivation warnings (also recorded in results.json)."""
    for text in prepared.cohort.input_warnings:
        print(f"warning: {text}", file=sys.stderr)
    derivation = prepared.cohort.derivation
    if derivation is None:
        return
    for found in derivation.range_warnings:
        print(f"warning: {found.message}", file=sys.stderr)
    for record in derivation.records:
        for text in record.warnings:
            print(f"warning: field 'cohort.derived.{record.name}': {text}", file=sys.stderr)


def _cohort_line(prepared: PreparedStudy) -> str:
    cohort = prepared.cohort
    if cohort.external:
        return f"{len(cohort.data)} patients (external validation set)"
    return (
        f"{len(cohort.data)} patients ({int(cohort.train.sum())} train, "
        f"{int(cohort.test.sum())} test)"
    )


def demo(args: argparse.Namespace) -> int:
    """``remarkit demo``: run the synthetic training study into OUT, then apply its frozen
    models to an external cohort (OUT/external) and a radiogenomics cohort (OUT/radiogenomics)."""
    from remarkit.demo import (
        DEFAULT_SEED,
        write_demo_study,
        write_external_study,
        write_radiogenomics_study,
    )

    if args.study == "breast":
        return _breast_demo(args)
    out = Path(args.out or "demo-report")
    _templates_dir(args)
    seed = DEFAULT_SEED if args.seed is None else args.seed
    claim(_check_folders(out, args))
    spec = write_demo_study(out / "study", seed=seed)
    print(f"demo study written to {spec}")
    code = _execute(prepare(spec), out, args)
    if code != 0:
        return code
    further: tuple[tuple[str, Callable[..., Path], list[str]], ...] = (
        ("external", write_external_study, []),
        ("radiogenomics", write_radiogenomics_study, ["integrated_radiomics"]),
    )
    for name, write, models in further:
        claim(out / name)
        cohort_spec = write(out / name / "study", seed=seed)
        shown = " ".join(f"--model {m}" for m in models)
        print(f"\n{name} cohort written to {cohort_spec}")
        print(f"remarkit apply {out} {cohort_spec} {shown}".rstrip())
        prepared = prepare_apply(out, cohort_spec, models=models)
        code = max(code, _execute(prepared, out / name, args))
    return code


def schema(args: argparse.Namespace) -> int:
    """``remarkit schema``: the JSON Schema of results.json, with every registered result kind."""
    document = RunResults.model_json_schema(schema_generator=ResultsJsonSchema)
    kinds = {}
    for name, unit in sorted(make_plugin_manager().units().units.items()):
        kinds[name] = unit.Result.model_json_schema(schema_generator=ResultsJsonSchema)
    document["x-result-kinds"] = kinds
    document["x-non-finite"] = NON_FINITE_NOTE
    print(json.dumps(document, indent=2, sort_keys=True))
    return 0


def _breast_demo(args: argparse.Namespace) -> int:
    """``remarkit demo --study breast``: write the GBSG 2 example into OUT/study and run it."""
    from remarkit.demo.breast import write_breast_study

    if args.seed is not None:
        raise InputError("--seed applies to the synthetic study only (the breast data are real)")
    out = Path(args.out or "breast-report")
    _templates_dir(args)
    claim(_check_folders(out, args))
    spec = write_breast_study(out / "study")
    print(f"breast example study written to {spec}")
    return _execute(prepare(spec), out, args)
