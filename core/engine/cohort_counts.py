"""Per-endpoint patient and event counts, and "not applicable" counts, of the analysed cohort.

results.json records them in the cohort summary: the REMARK profile's patients table lists the
events of every time-to-event endpoint (not only the binary outcome's), and the missing-data
table separates values that are missing from values that do not apply to the patient.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from remarkit.engine.cohort import Cohort


class EndpointCount(BaseModel):
    """One time-to-event endpoint: its patients and events per set."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="Endpoint name ('survival' for [cohort.survival])")
    label: str = Field(description="Display name")
    unit: str = Field(default="", description="Time unit")
    origin: str = Field(default="", description="Time origin (REMARK 7), as the study states it")
    event: str = Field(description="Event column")
    n_train: int = Field(description="Training patients with a time and an event indicator")
    n_test: int = Field(description="Test (or external) patients with both")
    events_train: int = Field(description="Training patients with an event")
    events_test: int = Field(description="Test (or external) patients with an event")
    missing: int = Field(description="Patients without a time or an event indicator")


def endpoint_counts(cohort: Cohort) -> list[EndpointCount]:
    """The counts of every endpoint of ``cohort``, the default one first."""
    out = []
    for name, endpoint in cohort.endpoints.items():
        known = endpoint.complete
        train, test = known & cohort.train, known & cohort.test
        out.append(
            EndpointCount(
                name=name,
                label=endpoint.label,
                unit=endpoint.spec.unit,
                origin=endpoint.spec.origin,
                event=endpoint.spec.event,
                n_train=int(train.sum()),
                n_test=int(test.sum()),
                events_train=int(endpoint.event[train].sum()),
                events_test=int(endpoint.event[test].sum()),
                missing=int((~known).sum()),
            )
        )
    default = cohort.spec.default_endpoint()
    return sorted(out, key=lambda e: e.name != default)


def not_applicable_counts(cohort: Cohort) -> dict[str, int]:
    """Per variable with ``not_applicable_when``: patients it does not apply to, value absent."""
    return {name: int(mask.sum()) for name, mask in cohort.not_applicable.items()}
