"""Markup in user-supplied text (spec, cohort values, parameters) is escaped and fetches nothing."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import pytest

from remarkit.report import pdf as pdf_module
from tests.engine.conftest import cohort_frame
from tests.report.conftest import run_report, write_study

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=file:///etc/passwd>"
NARRATIVE = f"""
objective = '{SCRIPT}'
[study.narrative]
patients = '{IMG}'
interpretation = '{SCRIPT}{IMG}'
"""
VARIABLE = f"""
[cohort.variables.note]
type = "categorical"
label = '{IMG}'
levels = ['{SCRIPT}', '{IMG}']

[[cohort.flow]]
label = '{IMG}'
excluded = 0
"""
UNITS = f"""
[[unit]]
id = "groups"
use = "test_report_groups"
column = "age"
caption = '{IMG}'
"""


def test_markup_is_escaped_in_html_and_pdf_fetches_only_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frame = cohort_frame()
    frame["note"] = [SCRIPT if i % 2 else IMG for i in range(len(frame))]
    spec = write_study(
        tmp_path / "study", study_extra=NARRATIVE, units=UNITS, spec_tail=VARIABLE, frame=frame
    )
    fetched: list[str] = []
    original = pdf_module.OutputFolderFetcher.fetch

    def recording_fetch(self: Any, url: str, headers: Any = None) -> Any:
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pdf_module.OutputFolderFetcher, "fetch", recording_fetch)
    run = run_report(spec, tmp_path / "out")
    html = run.html
    assert "<script" not in html.lower()
    assert "<img src=file" not in html and '<img src="file' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=file:///etc/passwd&gt;" in html
    assert html.count("&lt;img src=file:///etc/passwd&gt;") >= 4
    assert run.compiled.problems == []
    flow_uri = re.search(r'id="figure-1">\s*<img src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert flow_uri is not None
    svg = base64.b64decode(flow_uri.group(1)).decode()
    assert "&lt;img src=file:///etc/passwd&gt;" in svg and "<img" not in svg
    assert fetched and all(url.startswith("data:") for url in fetched)
