"""Render the template files (package data under ``template/``) into a new package folder.

Template files end in ``.tmpl`` (so neither pytest, ruff nor setuptools mistakes them for code)
and use :class:`string.Template` placeholders (``${unit}``), which leave Jinja2's ``{{ }}`` in the
fragment template alone. Path parts ``__module__``, ``__kind__`` and ``__unit__`` are replaced too.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath
from string import Template

from remarkit.errors import InputError
from remarkit.scaffold.names import PluginNames

SUFFIX = ".tmpl"


def template_files() -> dict[PurePosixPath, str]:
    """Every template file by its path relative to the template root, with its text."""
    found: dict[PurePosixPath, str] = {}

    def walk(node: Traversable, rel: PurePosixPath) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.is_dir():
                walk(child, rel / child.name)
            elif child.name.endswith(SUFFIX):
                found[rel / child.name] = child.read_text(encoding="utf-8")

    walk(files("remarkit.scaffold") / "template", PurePosixPath())
    if not found:
        raise RuntimeError("the plugin template files are missing from remarkit.scaffold")
    return found


def _target_path(rel: PurePosixPath, names: PluginNames) -> PurePosixPath:
    parts = []
    for part in rel.parts:
        for placeholder, value in names.path_substitutions().items():
            part = part.replace(placeholder, value)
        parts.append(part)
    out = PurePosixPath(*parts)
    return out.with_name(out.name.removesuffix(SUFFIX))


def render(names: PluginNames) -> dict[PurePosixPath, str]:
    """The generated package's files (relative path -> text)."""
    mapping = names.substitutions()
    rendered: dict[PurePosixPath, str] = {}
    for rel, text in template_files().items():
        try:
            rendered[_target_path(rel, names)] = Template(text).substitute(mapping)
        except (KeyError, ValueError) as exc:
            raise RuntimeError(f"plugin template {rel} is broken: {exc!r}") from exc
    return rendered


def write_plugin(names: PluginNames, parent: Path) -> tuple[Path, list[Path]]:
    """Write the package into ``parent/<distribution>``; return its folder and the files written.

    An existing, non-empty folder of that name is an InputError (nothing is overwritten).
    """
    root = Path(parent) / names.distribution
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise InputError("folder already exists and is not empty", file=str(root))
    written: list[Path] = []
    for rel, text in render(names).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return root, written
