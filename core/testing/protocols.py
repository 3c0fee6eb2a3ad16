"""Call signatures of the remarkit.testing fixtures (for annotating tests)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from remarkit.engine.plugin_manager import Plugins
    from remarkit.testing.fragments import Fragment
    from remarkit.testing.runs import UnitRun


class MakeStudy(Protocol):
    """``remarkit_study(...)``: write a synthetic study; return its study.toml."""

    def __call__(
        self,
        *,
        units: Sequence[Mapping[str, Any]] | str = (),
        patients: int = ...,
        images: bool = False,
        genomics: bool = False,
        seed: int = ...,
    ) -> Path: ...


class RunUnit(Protocol):
    """``remarkit_run_unit(use, params, ...)``: run one unit in a study; return its run."""

    def __call__(
        self,
        use: str,
        params: Mapping[str, Any] | None = None,
        *,
        unit_id: str | None = None,
        upstream: Sequence[Mapping[str, Any]] | str = (),
        study: Path | None = None,
        plugins: Plugins | None = None,
    ) -> UnitRun: ...


class CheckFragment(Protocol):
    """``remarkit_check_fragment(run, ...)``: render a unit's fragment and check it."""

    def __call__(
        self, run: UnitRun, *, templates: Path | None = None, require_template: bool = True
    ) -> Fragment: ...
