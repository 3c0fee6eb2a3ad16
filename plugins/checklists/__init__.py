"""Built-in reporting checklists: REMARK (McShane et al. 2005)."""

from __future__ import annotations

from remarkit import hookimpl
from remarkit.engine.registry import ChecklistRegistry
from remarkit.plugins.checklists.remark import REMARK

CHECKLISTS = (REMARK,)


@hookimpl
def remarkit_register_checklists(registry: ChecklistRegistry) -> None:
    """Register the built-in checklists."""
    for checklist in CHECKLISTS:
        registry.add(checklist)
