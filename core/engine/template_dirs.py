"""Template folders from the ``remarkit_template_dirs`` hook, split into built-in and third-party.

Built-in plugins (registry.toml) ship their unit fragments through the same hook as third-party
plugins. A third-party file with the name of a built-in template (core's ``report_templates`` or a
built-in plugin's folder), or of another third-party plugin's template, wins by the documented
look-up order; each such override is reported, never silent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

TEMPLATE_SUFFIXES = (".html", ".css")


@dataclass(frozen=True)
class TemplateFolders:
    """The folders each plugin returned: third parties first (load order reversed), built-ins."""

    third_party: list[tuple[str, Path]] = field(default_factory=list)
    builtin: list[tuple[str, Path]] = field(default_factory=list)


def core_templates_dir() -> Path:
    """The folder of the core's templates (package ``remarkit.report_templates``)."""
    return Path(str(files("remarkit.report_templates")))


def template_names(folder: Path) -> set[str]:
    """The template files under ``folder`` as look-up names (``units/x.html``)."""
    if not folder.is_dir():
        return set()
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.suffix in TEMPLATE_SUFFIXES
    }


def collect(
    impls: Iterable[tuple[str, Callable[[], list[str]]]],
    builtin: frozenset[str],
    report: Callable[[str, str], None],
) -> TemplateFolders:
    """Call each hook implementation (given in registration order); ``report(plugin, message)``
    records a failing hook."""
    folders = TemplateFolders()
    for name, function in reversed(list(impls)):
        try:
            found = [Path(d) for d in function()]
        except Exception as exc:
            report(name, f"remarkit_template_dirs: {exc}")
            continue
        target = folders.builtin if name in builtin else folders.third_party
        target.extend((name, d) for d in found)
    folders.builtin.reverse()  # registry order
    return folders


def overrides(folders: TemplateFolders) -> list[tuple[str, str]]:
    """(plugin, message) for every third-party template that hides another template."""
    owners: dict[str, str] = dict.fromkeys(template_names(core_templates_dir()), "remarkit")
    for name, folder in folders.builtin:
        for template in template_names(folder):
            owners.setdefault(template, f"remarkit ({name})")
    found: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    for name, folder in folders.third_party:
        for template in sorted(template_names(folder)):
            if template in seen:
                if seen[template] != name:
                    message = (
                        f"template {template} is hidden by the one of plugin '{seen[template]}'"
                    )
                    found.append((name, message))
                continue
            seen[template] = name
            if template in owners:
                message = (
                    f"template {template} overrides the built-in one of {owners[template]} "
                    "(plugin templates are searched before the built-ins)"
                )
                found.append((name, message))
    return found
