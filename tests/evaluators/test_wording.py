"""Report wording that fits any study: a threshold given in the spec is 'pre-specified'."""

from __future__ import annotations

from pathlib import Path

from remarkit.plugins.evaluators._threshold import origin_phrase
from remarkit.report.render import ReportState, render_unit
from remarkit.report.templates import make_environment
from tests.evaluators.conftest import Runner, ok

GIVEN = """
[[unit]]
id = "perf"
use = "discrimination"
scores = [{column = "score_a", label = "Score A", threshold = 0.5}]

[[unit]]
id = "surv"
use = "survival_stratification"
scores = [{column = "score_a", label = "Score A", threshold = 0.5}]
risk_times = [0, 12, 24, 36]
"""

MIXED = """
[[unit]]
id = "perf"
use = "discrimination"
scores = [{column = "score_a", label = "Score A", threshold = 0.5}, {column = "score_b"}]
"""


def test_origin_phrase() -> None:
    assert origin_phrase(["given"]) == "pre-specified"
    assert origin_phrase(["youden"]) == "fixed on the training set at the maximum Youden index"
    assert origin_phrase(["youden", "given"]).endswith("Youden index unless pre-specified")
    assert origin_phrase(["frozen"]) == "fixed on the training set of the applied model"


def _texts(records: dict[str, object], unit: str) -> str:
    record = records[unit]
    assert isinstance(record, dict)
    out = records["__out__"]
    assert isinstance(out, Path)
    html = str(render_unit(make_environment(), record, ReportState(out)))
    captions = " ".join(f["caption"] for f in ok(record)["figures"])
    return " ".join([html, record["methods"], captions])


def test_given_threshold_is_pre_specified_everywhere(run_study: Runner) -> None:
    records = run_study(GIVEN)
    for unit in ("perf", "surv"):
        text = _texts(records, unit)
        assert "pre-specified" in text, unit
        assert "fixed on the training set" not in text, unit


def test_mixed_thresholds_name_both_origins(run_study: Runner) -> None:
    records = run_study(MIXED)
    methods = records["perf"]["methods"]
    assert "The thresholds of Score A were pre-specified" in methods
    assert "those of Score B were fixed on the training set" in methods
    html = _texts(records, "perf")
    assert "fixed on the training set at the maximum Youden index unless pre-specified" in html
