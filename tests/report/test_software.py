"""The Methods section's software list names only the libraries the units that ran used."""

from __future__ import annotations

from typing import Any

from remarkit.report.software import software, used_libraries
from tests.report.conftest import ReportRun

LIBRARIES = {
    "remarkit": "0.1.0",
    "numpy": "2.0",
    "pandas": "2.2",
    "scipy": "1.14",
    "statsmodels": "0.14",
    "xgboost": "2.1",
    "pyradiomics": "3.1",
    "SimpleITK": "2.4",
    "torch": "2.5",
    "matplotlib": "3.9",
    "pydantic": "2.9",
}


def _results(*units: dict[str, Any]) -> dict[str, Any]:
    return {
        "remarkit_version": "0.1.0",
        "platform": {"python": "3.11.9"},
        "libraries": LIBRARIES,
        "units": list(units),
    }


def _unit(uid: str, methods: str, status: str = "ok", figures: int = 0) -> dict[str, Any]:
    figs = [{"name": f"f{i}", "path": "x.svg", "caption": "c"} for i in range(figures)]
    return {
        "id": uid,
        "name": uid,
        "version": "1.0",
        "status": status,
        "methods": methods,
        "result": {"kind": uid, "figures": figs} if status == "ok" else None,
    }


def test_clinical_only_study_lists_no_imaging_or_deep_learning_library() -> None:
    results = _results(
        _unit("uni", "Logistic regression. Software: remarkit.stats (statsmodels 0.14)."),
        _unit("radiomics", "Features by pyradiomics, XGBoost, SimpleITK and PyTorch.", "failed"),
    )
    assert used_libraries(results) == ["numpy", "pandas", "scipy", "statsmodels"]
    names = [name for name, _ in software(results)]
    assert names == ["Python", "remarkit", "numpy", "pandas", "scipy", "statsmodels"]


def test_imaging_units_and_figures_add_their_libraries() -> None:
    results = _results(
        _unit("rad", "pyradiomics 3.1, SimpleITK 2.4 and an XGBoost 2.1 model.", figures=1),
        _unit("deep", "Implemented in PyTorch 2.5."),
    )
    assert used_libraries(results) == [
        "numpy",
        "pandas",
        "scipy",
        "xgboost",
        "pyradiomics",
        "SimpleITK",
        "torch",
        "matplotlib",
    ]


def test_base_libraries_always_listed() -> None:
    assert used_libraries(_results()) == ["numpy", "pandas", "scipy"]


def test_report_software_paragraph(report_run: ReportRun) -> None:
    html = report_run.html
    start = html.index('id="software"')
    paragraph = html[start : html.index('id="references"')]
    libraries = report_run.results["libraries"]
    assert f"numpy {libraries['numpy']}" in paragraph and "remarkit " in paragraph
    for unused in ("torch", "pyradiomics", "SimpleITK", "xgboost", "pysam"):
        assert f"{unused} " not in paragraph
    assert "torch" in html[html.index('id="sec-provenance"') :] or "torch" not in libraries


def test_unit_titles() -> None:
    from remarkit.engine.unit import pretty_name
    from remarkit.plugins.clinical.univariable_logistic import UnivariableLogistic
    from remarkit.plugins.evaluators.calibration import Calibration
    from remarkit.report.software import methods_entries, unit_title

    assert pretty_name("univariable_logistic") == "Univariable logistic"
    assert UnivariableLogistic.display_title() == "Univariable logistic regression"
    assert Calibration.display_title() == "Calibration"
    assert unit_title({"name": "group_comparison"}) == "Group comparison"
    entry = methods_entries(_results(_unit("uni", "Text.") | {"title": "My title"}))[0]
    assert entry.title == "My title" and entry.unit_id == "uni"
