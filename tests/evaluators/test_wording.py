"""Report wording that fits any study: a threshold given in the spec is 'pre-specified'."""

from __future__ import annotations

from pathlib import Path

from remarkit.plugins.evaluators._threshold import origin_phrase
from remarkit.report.render import ReportState, render_unit
from remarkit.report.templates import make_environment
from tests.evaluators.conftest import SPEC, Runner, ok

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


MARKER = """
[[unit]]
id = "surv"
use = "survival_stratification"
scores = [{column = "marker", threshold = 10.0}]
risk_times = [0, 12, 24, 36]
"""


def test_marker_groups_are_named_by_label_and_threshold(run_study: Runner) -> None:
    """A cohort variable is a marker, not a model: its groups are 'AFP ≥ 10 ng/ml' and
    'AFP < 10 ng/ml', never 'Predicted ...' (nor the outcome's raw code)."""
    spec = SPEC.replace(
        '[cohort.variables.marker]\ntype = "continuous"\n',
        '[cohort.variables.marker]\ntype = "continuous"\nlabel = "AFP"\nunit = "ng/ml"\n',
    )
    records = run_study(MARKER, spec=spec)
    score = ok(records["surv"])["scores"][0]
    assert (score["positive_label"], score["negative_label"]) == (
        "AFP ≥ 10 ng/ml",
        "AFP < 10 ng/ml",
    )
    assert score["hr_reference"] == "AFP ≥ 10 ng/ml"
    groups = [g["label"] for g in score["populations"][0]["groups"]]
    assert groups == ["AFP ≥ 10 ng/ml", "AFP < 10 ng/ml"]
    text = _texts(records, "surv")
    assert "AFP ≥ 10 ng/ml" in text and "redicted" not in text and "yes" not in text


MODEL = """
[[unit]]
id = "clin"
use = "logistic_model"
variables = ["age", "marker"]

[[unit]]
id = "surv"
use = "survival_stratification"
scores = [{column = "clin.probability", label = "Clinical model"}]
risk_times = [0, 12, 24, 36]
"""


def test_model_output_groups_are_predictions_named_by_outcome_label(run_study: Runner) -> None:
    score = ok(run_study(MODEL)["surv"])["scores"][0]
    assert (score["positive_label"], score["negative_label"]) == (
        "Predicted Response",
        "Predicted non-Response",
    )
