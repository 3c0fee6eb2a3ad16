"""When a cohort variable does not apply to a patient (``not_applicable_when``).

Some values are absent by design, not missing: the portal vein invasion grade of a patient
without vascular invasion, the pathological response of a patient who was not resected. A
variable declares the condition under which it does not apply; an absent value under that
condition is counted as "not applicable", never as missing (the candidate-variable table, the
baseline tables and what the audit counts)::

    [cohort.variables.vp_grade]
    type = "categorical"
    levels = ["Vp1-Vp2", "Vp3-Vp4"]
    not_applicable_when = { column = "vascular_invasion", levels = ["No"] }

``column`` is another declared variable; ``levels`` are its values under which the variable
does not apply (levels of a categorical variable, numbers of a continuous one). The table has
the same form as a group comparison's ``subset`` filter.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class NotApplicableWhen(BaseModel):
    """The condition under which a variable does not apply: ``column`` has one of ``levels``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    column: str = Field(min_length=1, description="Another declared cohort variable")
    levels: list[str | float] = Field(
        min_length=1,
        description="Its values under which the variable does not apply (levels of a "
        "categorical variable, numbers of a continuous one)",
    )
