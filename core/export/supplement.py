"""``supplement.pdf``: the report's methods, REMARK profile and provenance sections alone.

The report's own section templates and renderer are reused; this package's template folder,
searched first, only replaces the page layout (``report.html``), the list of sections
(``report/body.html``) and the caption macro (tables numbered S1, S2, ...).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from remarkit.engine.plugin_manager import Plugins

SUPPLEMENT_PDF = "supplement.pdf"


def supplement_templates() -> Path:
    """The folder of the supplement's template overrides."""
    return Path(str(files("remarkit.export") / "templates"))


def supplement_html(
    results: dict[str, Any], report_dir: Path, plugins: Plugins | None = None
) -> tuple[str, int]:
    """The supplement's HTML and its number of tables (``plugins``: default the installed)."""
    from remarkit.engine.plugin_manager import make_plugin_manager
    from remarkit.report.html import render_html
    from remarkit.report.templates import make_environment

    plugins = plugins or make_plugin_manager()
    registry = plugins.checklists()
    checklists = [registry.checklists[name] for name in sorted(registry.checklists)]
    env = make_environment(
        supplement_templates(), plugins.template_dirs(), plugins.builtin_template_dirs()
    )
    html, state = render_html(results, report_dir, env, checklists)
    return html, len(state.tables)


def write_supplement(
    results: dict[str, Any], report_dir: Path, target: Path, plugins: Plugins | None = None
) -> int:
    """Render the supplement to ``target`` (WeasyPrint); return its number of tables."""
    from remarkit.report.pdf import write_pdf

    html, tables = supplement_html(results, report_dir, plugins)
    write_pdf(html, report_dir, target)
    return tables
