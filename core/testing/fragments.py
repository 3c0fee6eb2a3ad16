"""Render a unit's report fragment as the report does, and check it against the contract.

The checks: the fragment renders (no undefined variable: templates use StrictUndefined), it uses
its own ``units/<kind>.html`` (not the generic fallback), numbers went through the formatting
filters (no raw floats such as ``0.8123456789``, no ``None``/``nan`` text), every table has a
caption (``m.caption``), every figure of the result is shown and embedded as a data URI
(``m.figure``), every warning of the result is shown (``m.warnings``), and tags are balanced.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import TemplateNotFound, UndefinedError

from remarkit.engine.plugin_manager import Plugins
from remarkit.report.render import GENERIC_FRAGMENT, ReportState, recording_filters, render_unit
from remarkit.report.sections import field_anchor, section_anchor, section_title, unit_anchor
from remarkit.report.templates import make_environment
from remarkit.testing._html import scan
from remarkit.testing.runs import UnitRun

#: A decimal number with five or more decimals: a float that no filter formatted.
RAW_FLOAT = re.compile(r"-?\d+\.\d{5,}(?:[eE][-+]?\d+)?")
RAW_NAN = re.compile(r"(?<![A-Za-z])(?:nan|NaN)(?![A-Za-z])")
RAW_TOKENS = {"None", "nan", "NaN", "inf", "-inf", "True", "False"}


class FragmentError(AssertionError):
    """A fragment that breaks the contract; the message lists every problem."""


@dataclass(frozen=True)
class Fragment:
    """A rendered fragment: its HTML, the template used, captions, and contract problems."""

    html: str
    template: str
    template_file: str | None
    tables: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def render_record(
    record: Mapping[str, Any],
    out_dir: Path,
    *,
    plugins: Plugins | None = None,
    templates: Path | None = None,
    require_template: bool = True,
) -> Fragment:
    """Render a unit record (as in results.json) whose files are under ``out_dir``; check it."""
    env = make_environment(
        templates,
        plugins.template_dirs() if plugins else [],
        plugins.builtin_template_dirs() if plugins else None,
    )
    env.globals.update(
        unit_anchor=unit_anchor,
        section_anchor=section_anchor,
        field_anchor=field_anchor,
        section_title=section_title,
    )
    result: Mapping[str, Any] = record.get("result") or {}
    kind = str(result.get("kind", ""))
    name = f"units/{kind}.html"
    filename: str | None = None
    problems: list[str] = []
    try:
        filename = env.get_template(name).filename
    except TemplateNotFound:
        name = GENERIC_FRAGMENT
        if require_template:
            problems.append(f"no template units/{kind}.html: the generic fallback was used")
    state = ReportState(Path(out_dir))
    env.filters.update(recording_filters(state))
    try:
        html = str(render_unit(env, dict(record), state))
    except UndefinedError as exc:
        return Fragment("", name, filename, problems=[*problems, f"undefined variable: {exc}"])
    except Exception as exc:
        message = f"rendering failed: {type(exc).__name__}: {exc}"
        return Fragment("", name, filename, problems=[*problems, message])
    problems += _contract_problems(html, result, state)
    return Fragment(html, name, filename, list(state.tables), list(state.figures), problems)


def _contract_problems(html: str, result: Mapping[str, Any], state: ReportState) -> list[str]:
    parsed = scan(html)
    problems = list(parsed.problems)
    text = " ".join(parsed.texts)
    raw = sorted(set(RAW_FLOAT.findall(text)))
    if raw:
        problems.append(
            f"unformatted number(s) {', '.join(raw[:5])}: format with the filters p, num, sig, "
            "ci, est_ci, pct or n_pct"
        )
    tokens = sorted({t.strip() for t in parsed.texts if t.strip() in RAW_TOKENS})
    tokens += sorted(set(RAW_NAN.findall(text)) - set(tokens))
    if tokens:
        problems.append(
            f"raw value(s) {', '.join(tokens)} in the text (missing values need a filter)"
        )
    missing_captions = parsed.tables.count(False)
    if missing_captions:
        problems.append(f"{missing_captions} table(s) without a caption (use m.caption(...))")
    for fig in result.get("figures", []):
        if fig.get("caption") not in state.figures:
            problems.append(f"figure '{fig.get('name')}' is not shown (use m.figure(fig))")
    linked = [src for src in parsed.images if not src.startswith("data:")]
    if linked:
        problems.append(f"image(s) not embedded as data URIs: {', '.join(linked[:3])}")
    flat = " ".join(text.split())
    for warning in result.get("warnings", []):
        if " ".join(str(warning).split()) not in flat:
            problems.append(f"warning not shown (use m.warnings(result.warnings)): {warning}")
    return problems


def render_fragment(
    run: UnitRun, *, templates: Path | None = None, require_template: bool = True
) -> Fragment:
    """Render the fragment of a :class:`UnitRun` with the plugins that ran it."""
    if run.status != "ok":
        raise FragmentError(f"unit '{run.unit_id}' {run.status}: {run.error}")
    return render_record(
        run.record_json(),
        run.out_dir,
        plugins=run.plugins,
        templates=templates,
        require_template=require_template,
    )


def check_fragment(
    run: UnitRun, *, templates: Path | None = None, require_template: bool = True
) -> Fragment:
    """Render and check a unit's fragment; raise :class:`FragmentError` listing every problem."""
    fragment = render_fragment(run, templates=templates, require_template=require_template)
    if fragment.problems:
        lines = "\n".join(f"  - {p}" for p in fragment.problems)
        raise FragmentError(f"fragment of unit '{run.unit_id}' ({fragment.template}):\n{lines}")
    return fragment
