"""Assemble the self-contained HTML report from a results.json dict and its output folder."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from remarkit.engine.registry import Checklist
from remarkit.report.checklist import evaluate, statements_to_show
from remarkit.report.flow import flow_data_uri
from remarkit.report.limitations import limitations
from remarkit.report.profile import build_profile, exclusion_notes
from remarkit.report.render import ReportState, recording_filters, render_appendix, render_unit
from remarkit.report.results_text import PLACEHOLDER, TOPIC_TITLES, results_lines
from remarkit.report.sections import (
    field_anchor,
    outline,
    section_anchor,
    section_title,
    unit_anchor,
)
from remarkit.report.software import (
    REMARK_ELABORATION,
    methods_entries,
    references,
    software,
    unit_title,
)

REPORT_HTML = "report.html"
REPORT_PDF = "report.pdf"
LAYOUT = "report.html"
BODY = "report/body.html"
FAILURE = "report/failure.html"
RESULTS_TEXT = "report/results_text.html"
STYLESHEETS = ("report.css", "print.css")


def _stylesheet(env: Environment, name: str) -> Markup:
    """A stylesheet from the template look-up (so a user folder can override it)."""
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, name)
    return Markup(re.sub(r"</(?=style)", r"<\\/", source, flags=re.IGNORECASE))


def _fragment(env: Environment, unit: dict[str, Any], state: ReportState) -> Markup:
    """A unit's fragment, or a failure box when the fragment itself cannot be rendered."""
    try:
        return render_unit(env, unit, state)
    except Exception as exc:
        message = f"{type(exc).__name__}: {exc}"
        state.problems.append(f"unit {unit.get('id')}: fragment not rendered: {message}")
        template = env.get_template(FAILURE)
        return Markup(template.render(unit=unit, status="could not be rendered", error=message))


def _results_text(env: Environment, context: dict[str, Any], state: ReportState) -> str:
    """The Results text, rendered once every table has its number."""
    lines = results_lines(context["results"], state.unit_tables, state.tables, state.problems)
    template = env.get_template(RESULTS_TEXT)
    return template.render(context, results_lines=lines, topic_titles=TOPIC_TITLES)


def render_html(
    results: dict[str, Any],
    out_dir: Path,
    env: Environment,
    checklists: Sequence[Checklist] = (),
) -> tuple[str, ReportState]:
    """Render the report; return the HTML text and the state (captions, problems).

    ``out_dir`` is the folder holding results.json and the units' figure files.
    """
    state = ReportState(out_dir=Path(out_dir))
    env.globals.update(
        unit_anchor=unit_anchor,
        section_anchor=section_anchor,
        field_anchor=field_anchor,
        section_title=section_title,
        unit_title=unit_title,
        exclusion_notes=exclusion_notes,
    )
    env.filters.update(recording_filters(state))
    statuses = [evaluate(c, results) for c in checklists]
    has_remark = any(c.name == "remark" for c in checklists)
    leading = [c.citation for c in checklists] + ([REMARK_ELABORATION] if has_remark else [])
    cohort = results["cohort"]
    context: dict[str, Any] = {
        "results": results,
        "study": results["study"],
        "cohort": cohort,
        "units": results.get("units", []),
        "sections": outline(results.get("units", [])),
        "report": state,
        "checklists": statuses,
        "statements": statements_to_show(results["study"].get("narrative", {}), checklists),
        "profile": build_profile(results) if has_remark else None,
        "methods": methods_entries(results),
        "references": references(results, leading),
        "software": software(results),
        "flow_uri": Markup(flow_data_uri(cohort.get("flow", []), cohort)),
        "fragment": lambda unit: _fragment(env, unit, state),
        "appendix": lambda unit: render_appendix(env, unit, state),
        "results_placeholder": PLACEHOLDER,
        "limitations": limitations(results),
    }
    body = env.get_template(BODY).render(context)
    body = body.replace(str(PLACEHOLDER), _results_text(env, context, state), 1)
    css, print_css = (_stylesheet(env, name) for name in STYLESHEETS)
    html = env.get_template(LAYOUT).render(
        context,
        body=Markup(body),
        css=css,
        print_css=print_css,
        tables=state.tables,
        figures=state.figures,
    )
    return html, state
