"""model_comparison: every pair's paired DeLong test equals remarkit.stats; matrix; bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from remarkit.engine.api import prepare
from remarkit.engine.plugin_manager import make_plugin_manager
from remarkit.errors import InputErrors
from remarkit.report.render import ReportState, render_unit
from remarkit.report.templates import make_environment
from remarkit.stats import delong_test
from tests.evaluators.conftest import SPEC, Runner, evaluator_frame, ok

UNITS = """
[[unit]]
id = "cmp"
use = "model_comparison"
scores = [{column = "score_a"}, {column = "score_b"}, {column = "prob_b", label = "B risk"}]
"""


def test_pairs_equal_delong_test(run_study: Runner) -> None:
    frame = evaluator_frame()
    frame.loc[[0, 1], "prob_b"] = np.nan
    result = ok(run_study(UNITS, frame)["cmp"])
    y = (frame["response"] == "yes").to_numpy(int)
    columns = ["score_a", "score_b", "prob_b"]
    assert [m["label"] for m in result["models"]] == ["Score A", "Score B", "B risk"]
    assert [(c["split"], c["a"], c["b"]) for c in result["comparisons"]] == [
        (s, a, b) for s in ("train", "test") for a, b in ((0, 1), (0, 2), (1, 2))
    ]
    for c in result["comparisons"]:
        a, b = frame[columns[c["a"]]], frame[columns[c["b"]]]
        mask = ((frame["set"] == c["split"]) & a.notna() & b.notna()).to_numpy()
        want = delong_test(y[mask], a.to_numpy()[mask], b.to_numpy()[mask])
        assert c["n"] == int(mask.sum())
        assert c["difference"] == want.difference
        assert (c["lower"], c["upper"], c["z"], c["p_value"]) == (
            want.lower,
            want.upper,
            want.z,
            want.p_value,
        )
    pairs_with_b = [
        c for c in result["comparisons"] if c["split"] == "train" and 2 in (c["a"], c["b"])
    ]
    assert all(c["n"] == 158 for c in pairs_with_b)
    assert any(
        "B risk: 2 patient(s) in the training set with a missing 'prob_b'" in w
        for w in result["warnings"]
    )


def test_matrix_fragment(run_study: Runner) -> None:
    records = run_study(UNITS)
    html = str(render_unit(make_environment(), records["cmp"], ReportState(records["__out__"])))
    assert "Table 1." in html and "Table 2." in html
    assert html.count("Z = ") == 6
    assert "training set" in html and "test set" in html


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ('[{column = "score_a"}]', "model_comparison needs at least two scores"),
        (
            '[{column = "score_a"}, {column = "score_b", direction = "lower"}]',
            "every score must have the same direction",
        ),
        ('[{column = "score_a"}, {column = "score_a"}]', "lists column 'score_a' more than once"),
    ],
)
def test_bad_parameters_are_rejected_before_running(
    tmp_path: Path, scores: str, message: str
) -> None:
    root = tmp_path
    evaluator_frame().to_csv(root / "cohort.csv", index=False)
    spec = root / "study.toml"
    spec.write_text(SPEC + f'\n[[unit]]\nid = "cmp"\nuse = "model_comparison"\nscores = {scores}\n')
    with pytest.raises(InputErrors, match=message):
        prepare(spec, make_plugin_manager(entry_points=[]))


def test_degenerate_identical_scores_warn(run_study: Runner) -> None:
    frame = evaluator_frame()
    frame["score_b"] = frame["score_a"] * 2
    result = ok(run_study(UNITS, frame)["cmp"])
    first = result["comparisons"][0]
    assert first["difference"] == 0.0 and first["z"] == 0.0 and first["p_value"] == 1.0
    assert any("degenerate DeLong test" in w for w in result["warnings"])
