"""Every name a generated plugin package uses, derived from the one name its author gives."""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

from remarkit._version import __version__
from remarkit.engine.families import FAMILIES
from remarkit.errors import InputError

_NAME = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")
_PREFIX = re.compile(r"^remarkit[-_]")


@dataclass(frozen=True)
class PluginNames:
    """Names of a generated package (for NAME ``pivka-response``, shown in the comments)."""

    slug: str  # pivka-response
    distribution: str  # remarkit-pivka-response (pip and `remarkit plugins` show it)
    module: str  # remarkit_pivka_response (the import package)
    unit: str  # pivka_response (unit name, result kind, entry-point name, `use = ...`)
    class_name: str  # PivkaResponse (unit class; Params and Result classes take it as prefix)
    family: str  # one of remarkit's unit families

    @property
    def title(self) -> str:
        """A human-readable title: ``Pivka response``."""
        return self.slug.replace("-", " ").capitalize()

    def substitutions(self) -> dict[str, str]:
        """The ``${...}`` placeholders of the template files."""
        return {
            "distribution": self.distribution,
            "module": self.module,
            "unit": self.unit,
            "kind": self.unit,
            "class_name": self.class_name,
            "family": self.family,
            "title": self.title,
            "remarkit_version": __version__,
        }

    def path_substitutions(self) -> dict[str, str]:
        """Placeholders in template file paths (``src/__module__/...``)."""
        return {"__module__": self.module, "__kind__": self.unit, "__unit__": self.unit}


def plugin_names(name: str, family: str = "marker_response") -> PluginNames:
    """Derive the package's names from NAME; a bad name or family is an InputError."""
    raw = name.strip()
    if not _NAME.match(raw):
        raise InputError(
            f"plugin name {name!r} must be lower-case letters and digits, words joined by '-' or "
            "'_', starting with a letter (e.g. 'pivka-response')",
            field="NAME",
        )
    slug = _PREFIX.sub("", raw).replace("_", "-")
    if slug == "remarkit" or not _NAME.match(slug):
        raise InputError(
            f"plugin name {name!r} must name something after the 'remarkit-' prefix, starting "
            "with a letter",
            field="NAME",
        )
    if family not in FAMILIES:
        raise InputError(
            f"unknown family {family!r} (one of: {', '.join(FAMILIES)})", field="--family"
        )
    unit = slug.replace("-", "_")
    if keyword.iskeyword(unit):
        raise InputError(f"plugin name {name!r} is a Python keyword", field="NAME")
    return PluginNames(
        slug=slug,
        distribution=f"remarkit-{slug}",
        module=f"remarkit_{unit}",
        unit=unit,
        class_name="".join(part.capitalize() for part in slug.split("-")),
        family=family,
    )
