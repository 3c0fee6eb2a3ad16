"""The assembled HTML: outline, self-containment, determinism, generated Methods, provenance."""

from __future__ import annotations

import re
from pathlib import Path

from remarkit.report.sections import outline
from tests.report.conftest import ReportRun, run_report, write_study

RUN_DEPENDENT = re.compile(r'<tbody class="run-dependent">.*?</tbody>', re.S)


def test_outline_in_paper_order_with_only_sections_that_ran() -> None:
    units = [
        {"id": "a", "section": "performance"},
        {"id": "b", "section": "baseline"},
        {"id": "c", "section": "somewhere-new"},
        {"id": "d", "section": "performance"},
    ]
    sections = outline(units)
    assert [s.key for s in sections] == [
        "patients",
        "methods",
        "results",
        "baseline",
        "performance",
        "other",
        "discussion",
        "checklists",
        "provenance",
    ]
    assert [s.number for s in sections] == list(range(1, 10))
    assert [u["id"] for u in sections[4].units] == ["a", "d"]
    assert [u["id"] for u in sections[5].units] == ["c"]


def test_report_is_self_contained(report_run: ReportRun) -> None:
    html = report_run.html
    assert "<script" not in html.lower()
    assert not re.search(r'(src|href)="(?!data:|#)', html)
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert "<style>" in html and '<style media="print">' in html and "@page" in html


def test_sections_contents_and_failure_boxes(report_run: ReportRun) -> None:
    html = report_run.html
    for anchor in (
        "sec-patients",
        "sec-methods",
        "sec-baseline",
        "sec-marker",
        "sec-regression",
        "sec-performance",
        "sec-discussion",
        "sec-checklists",
        "sec-provenance",
    ):
        assert f'id="{anchor}"' in html and f'href="#{anchor}"' in html
    assert 'id="sec-survival"' not in html and 'id="sec-calibration"' not in html
    assert "Analysis boom (test_fail) failed." in html
    assert "Analysis after (test_fail) was skipped." in html
    assert "not run: upstream unit &#39;boom&#39; failed" in html
    captions = _captions(html)
    assert len(captions) == report_run.compiled.tables
    for n, caption in enumerate(captions, start=1):
        assert f'<a href="#table-{n}">Table {n}. {caption}</a>' in html


def _captions(html: str) -> list[str]:
    return re.findall(
        r'<caption id="table-\d+"><span class="label">Table \d+\.</span> ([^<]*)', html
    )


def test_methods_section_is_generated_from_what_ran(report_run: ReportRun) -> None:
    html = report_run.html
    methods = html[html.index('id="sec-methods"') : html.index('id="sec-baseline"')]
    order = [methods.index(f"{uid}: test_") for uid in ("std", "groups", "count")]
    assert order == sorted(order)
    assert "boom" not in methods
    # headings name the unit's title (its class's ``title``, else its name made readable)
    assert "<h3>Test standardise " in methods and "<h3>std " not in methods
    assert "<p>A second paragraph.</p>" in methods
    assert "Student. The probable error of a mean." in methods
    assert "Harris CR" in methods and "REMARK" in methods
    assert f"numpy {report_run.results['libraries']['numpy']}" in methods


def test_provenance_appendix(report_run: ReportRun) -> None:
    html = report_run.html
    appendix = html[html.index('id="sec-provenance"') :]
    # hashes shortened (results.json holds them in full), never broken over lines of hex
    for unit in report_run.results["units"]:
        assert unit["cache_key"][:12] + "\u2026" in appendix
        assert unit["cache_key"] not in appendix
    for item in report_run.results["inputs"]:
        assert item["sha256"][:12] + "\u2026" in appendix
    assert report_run.results["spec_sha256"][:12] + "\u2026" in appendix
    assert "Execution of this run: timings and cache hits" in appendix
    # parameters as name/value rows, with their characters as they are (no \u003c escapes)
    params = appendix[appendix.index("Analytic units: parameters") :]
    assert '<td>threshold</td><td><code class="params">0.5</code></td>' in params
    assert "\\u003c" not in appendix and "\\u0026" not in appendix


def test_html_is_deterministic_apart_from_the_run_dependent_table(tmp_path: Path) -> None:
    spec = write_study(tmp_path / "study")
    first = run_report(spec, tmp_path / "a", use_cache=True)
    second = run_report(spec, tmp_path / "b", use_cache=True)
    assert any(u["execution"]["cache_hit"] for u in second.results["units"])
    assert first.html != second.html
    assert RUN_DEPENDENT.sub("", first.html) == RUN_DEPENDENT.sub("", second.html)
    again = run_report(spec, tmp_path / "a", use_cache=True)
    assert RUN_DEPENDENT.sub("", again.html) == RUN_DEPENDENT.sub("", first.html)
