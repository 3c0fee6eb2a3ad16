"""Outcome levels are named by labels, never by raw codes such as 0/1."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from remarkit.report.labels import outcome_names
from tests.report.conftest import ReportRun


@pytest.mark.parametrize(
    ("column", "positive", "label", "names"),
    [
        ("response", "yes", "Response", ("Response", "No response")),
        ("dcb", "1", "DCB", ("DCB", "No DCB")),
        ("dcb", "DCB", "", ("DCB", "No DCB")),
        ("status", "1", "", ("status = 1", "status ≠ 1")),
        ("relapse", "yes", "", ("relapse = yes", "relapse ≠ yes")),
    ],
)
def test_outcome_names(column: str, positive: str, label: str, names: tuple[str, str]) -> None:
    outcome = SimpleNamespace(column=column, positive=positive, label=label)
    assert outcome_names(outcome) == names


def test_report_names_the_outcome_not_its_code(report_run: ReportRun) -> None:
    """The cohort table heads its events column with the outcome's name, not the raw 'yes'."""
    assert report_run.results["cohort"]["positive_label"] == "response = yes"
    html = report_run.html
    study = html[html.index('id="sec-patients"') : html.index('id="sec-methods"')]
    assert '<th scope="col" class="num">response = yes</th>' in study
    assert '<th scope="col" class="num">yes</th>' not in study
