"""Plugin manager factory: built-ins from registry.toml, third parties from entry points."""

from __future__ import annotations

import importlib
import importlib.metadata as metadata
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, cast

import pluggy

from remarkit._version import __version__
from remarkit.engine import hookspecs
from remarkit.engine import template_dirs as folders_of
from remarkit.engine.registry import (
    ChecklistRegistry,
    PluginOrigin,
    RegistrationError,
    UnitRegistry,
)
from remarkit.engine.unit import UnitResult
from remarkit.errors import InputError

ENTRY_POINT_GROUP = "remarkit"
DISABLE_ENV = "REMARKIT_DISABLE_PLUGINS"


@dataclass(frozen=True)
class PluginProblem:
    """A plugin that could not be loaded or registered, with where it came from."""

    origin: PluginOrigin
    message: str

    def __str__(self) -> str:
        return f"plugin {self.origin}: {self.message}"


@dataclass(frozen=True)
class RegistryConfig:
    """registry.toml: built-in plugin modules and the third-party allow/deny list."""

    builtin: tuple[str, ...]
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()


def default_registry_file() -> Path:
    """Locate registry.toml: inside the installed package, else at the source checkout's root."""
    package_dir = Path(__file__).resolve().parents[1]
    for candidate in (package_dir / "registry.toml", package_dir.parent / "registry.toml"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("registry.toml not found beside the remarkit package")


def read_registry(path: Path) -> RegistryConfig:
    """Parse registry.toml into a :class:`RegistryConfig`."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read the plugin registry: {exc}", file=str(path)) from exc
    third = data.get("third_party", {})
    return RegistryConfig(
        builtin=tuple(data.get("builtin", {}).get("plugins", [])),
        allow=tuple(third.get("allow", [])),
        deny=tuple(third.get("deny", [])),
    )


@dataclass
class Plugins:
    """The loaded plugin set: a typed facade over ``pm.hook`` plus what failed to load."""

    pm: pluggy.PluginManager
    origins: dict[str, PluginOrigin]
    problems: list[PluginProblem] = field(default_factory=list)
    #: Names of the built-in plugin modules (registry.toml).
    builtin: frozenset[str] = frozenset()
    _units: UnitRegistry | None = None
    _checklists: ChecklistRegistry | None = None

    def units(self) -> UnitRegistry:
        """Collect units from every plugin (once); a failing plugin is recorded, not raised."""
        if self._units is None:
            registry = UnitRegistry()
            self._call_each("remarkit_register_units", registry)
            self._units = registry
        return self._units

    def checklists(self) -> ChecklistRegistry:
        """Collect checklists from every plugin (once)."""
        if self._checklists is None:
            registry = ChecklistRegistry()
            self._call_each("remarkit_register_checklists", registry)
            self._checklists = registry
        return self._checklists

    def template_dirs(self) -> list[Path]:
        """Template folders of third-party plugins, in look-up order (last loaded first).

        A failing hook and every template that overrides another (a built-in one, or another
        plugin's) are recorded in :attr:`problems`.
        """
        folders = self._template_folders()
        for name, message in folders_of.overrides(folders):
            self._problem(name, message)
        return [folder for _, folder in folders.third_party]

    def builtin_template_dirs(self) -> list[Path]:
        """Template folders of the built-in plugins (registry.toml), in registry order."""
        return [folder for _, folder in self._template_folders().builtin]

    def _template_folders(self) -> folders_of.TemplateFolders:
        impls = [
            (impl.plugin_name, cast(Callable[[], list[str]], impl.function))
            for impl in self.pm.hook.remarkit_template_dirs.get_hookimpls()
        ]
        return folders_of.collect(impls, self.builtin, self._problem)

    def _problem(self, plugin_name: str, message: str) -> None:
        origin = self.origins.get(plugin_name, PluginOrigin(plugin_name, "?", ""))
        if all(p.message != message or p.origin != origin for p in self.problems):
            self.problems.append(PluginProblem(origin, message))

    def before_unit(self, unit_id: str, unit_name: str) -> None:
        """Call the tracing hook before a unit runs; a raising tracer is reported, not fatal."""
        self._trace("remarkit_before_unit", unit_id=unit_id, unit_name=unit_name)

    def after_unit(
        self, unit_id: str, unit_name: str, status: str, seconds: float, result: UnitResult | None
    ) -> None:
        """Call the tracing hook after a unit ran."""
        self._trace(
            "remarkit_after_unit",
            unit_id=unit_id,
            unit_name=unit_name,
            status=status,
            seconds=seconds,
            result=result,
        )

    def _trace(self, hook_name: str, **kwargs: Any) -> None:
        for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
            try:
                impl.function(*[kwargs[arg] for arg in impl.argnames])
            except Exception as exc:  # a tracing plugin must not stop the run
                origin = self.origins.get(impl.plugin_name, PluginOrigin(impl.plugin_name, "?", ""))
                message = f"{hook_name} raised {type(exc).__name__}: {exc}"
                if all(p.message != message for p in self.problems):
                    self.problems.append(PluginProblem(origin, message))

    def _call_each(self, hook_name: str, registry: UnitRegistry | ChecklistRegistry) -> None:
        caller = getattr(self.pm.hook, hook_name)
        for impl in caller.get_hookimpls():
            origin = self.origins.get(impl.plugin_name, PluginOrigin(impl.plugin_name, "?", ""))
            registry.current_origin = origin
            try:
                impl.function(registry=registry)
            except RegistrationError as exc:
                self.problems.append(PluginProblem(origin, str(exc)))
            except Exception as exc:
                self.problems.append(
                    PluginProblem(origin, f"{hook_name} raised {type(exc).__name__}: {exc}")
                )
        registry.current_origin = None


def _disabled_names(env: dict[str, str] | None) -> set[str]:
    raw = (env if env is not None else dict(os.environ)).get(DISABLE_ENV, "")
    return {name.strip() for name in raw.split(",") if name.strip()}


def _entry_point_origin(ep: metadata.EntryPoint) -> PluginOrigin:
    dist = ep.dist
    if dist is None:
        return PluginOrigin(ep.name, ep.name, "")
    return PluginOrigin(ep.name, dist.name, dist.version)


def make_plugin_manager(
    *,
    registry_file: Path | None = None,
    entry_points: list[metadata.EntryPoint] | None = None,
    extra_plugins: list[tuple[str, ModuleType | object]] | None = None,
    env: dict[str, str] | None = None,
) -> Plugins:
    """Build a fresh plugin manager: built-ins, then allowed third-party entry points.

    ``entry_points`` overrides discovery (tests); ``extra_plugins`` registers objects directly.
    ``REMARKIT_DISABLE_PLUGINS`` (comma-separated plugin or distribution names) and the registry's
    deny/allow lists apply to third-party plugins.
    """
    pm = pluggy.PluginManager("remarkit")
    pm.add_hookspecs(hookspecs)
    config = read_registry(registry_file or default_registry_file())
    origins: dict[str, PluginOrigin] = {}
    problems: list[PluginProblem] = []
    for module_name in config.builtin:
        origin = PluginOrigin(module_name, "remarkit", __version__)
        module = importlib.import_module(module_name)
        pm.register(module, name=module_name)
        origins[module_name] = origin
    disabled = _disabled_names(env) | set(config.deny)
    discovered = (
        entry_points
        if entry_points is not None
        else list(metadata.entry_points(group=ENTRY_POINT_GROUP))
    )
    for ep in discovered:
        origin = _entry_point_origin(ep)
        if {ep.name, origin.distribution} & disabled:
            continue
        if config.allow and not {ep.name, origin.distribution} & set(config.allow):
            continue
        _register_entry_point(pm, ep, origin, origins, problems)
    for name, plugin in extra_plugins or []:
        pm.register(plugin, name=name)
        origins[name] = PluginOrigin(name, name, "")
    _check_pending(pm, origins, problems)
    return Plugins(pm=pm, origins=origins, problems=problems, builtin=frozenset(config.builtin))


def _check_pending(
    pm: pluggy.PluginManager, origins: dict[str, PluginOrigin], problems: list[PluginProblem]
) -> None:
    """Unregister plugins implementing hooks remarkit does not define, reporting each."""
    while True:
        try:
            pm.check_pending()
            return
        except pluggy.PluginValidationError as exc:
            name = pm.get_name(exc.plugin) or "?"
            origin = origins.pop(name, PluginOrigin(name, name, ""))
            problems.append(PluginProblem(origin, f"rejected: {exc}"))
            pm.unregister(exc.plugin)


def _register_entry_point(
    pm: pluggy.PluginManager,
    ep: metadata.EntryPoint,
    origin: PluginOrigin,
    origins: dict[str, PluginOrigin],
    problems: list[PluginProblem],
) -> None:
    if pm.has_plugin(ep.name):
        problems.append(PluginProblem(origin, f"plugin name '{ep.name}' is already registered"))
        return
    try:
        plugin: Any = ep.load()
    except Exception as exc:
        problems.append(PluginProblem(origin, f"failed to import: {type(exc).__name__}: {exc}"))
        return
    try:
        pm.register(plugin, name=ep.name)
    except Exception as exc:
        problems.append(PluginProblem(origin, f"failed to register: {exc}"))
        return
    origins[ep.name] = origin
