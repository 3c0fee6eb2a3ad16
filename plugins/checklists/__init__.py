"""Built-in reporting checklists: REMARK (McShane et al. 2005), TRIPOD+AI (Collins et al.
2024), CLEAR (Kocak et al. 2023) and CLAIM 2024 (Tejani et al. 2024)."""

from __future__ import annotations

from remarkit import ChecklistRegistry, hookimpl
from remarkit.plugins.checklists.claim import CLAIM
from remarkit.plugins.checklists.clear import CLEAR
from remarkit.plugins.checklists.remark import REMARK
from remarkit.plugins.checklists.tripod_ai import TRIPOD_AI

CHECKLISTS = (REMARK, TRIPOD_AI, CLEAR, CLAIM)


@hookimpl
def remarkit_register_checklists(registry: ChecklistRegistry) -> None:
    """Register the built-in checklists."""
    for checklist in CHECKLISTS:
        registry.add(checklist)
