"""Missing data per analysis: survival-only studies, and patients whose binary outcome is missing.

A study without [cohort.outcome] runs its survival analyses and compiles its report; a unit that
needs the outcome is a planning error naming it. With some outcomes missing, the analyses of the
outcome equal the same analyses on the cohort without those patients, survival analyses keep
every patient, and the notes and the REMARK profile say who was left out and why.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from remarkit.engine.api import prepare, run_prepared
from remarkit.engine.plugin_manager import make_plugin_manager
from remarkit.errors import InputErrors
from remarkit.report.compile import compile_report
from remarkit.stats import cox_regression, kaplan_meier, logrank_test, youden_threshold
from tests.evaluators.conftest import SPEC, evaluator_frame, ok

NO_OUTCOME = re.sub(r"\[cohort\.outcome\]\n(?:[^\[\n][^\n]*\n)*", "", SPEC)

SURVIVAL_ONLY_UNITS = """
[[unit]]
id = "t1"
use = "baseline_table"
variables = ["age", "stage"]

[[unit]]
id = "surv"
use = "survival_stratification"
scores = [{column = "score_a", label = "A", threshold = 0.5}]
risk_times = [0, 12, 24, 36]

[[unit]]
id = "cox"
use = "univariable_cox"
variables = ["score_a", "stage"]
"""

OUTCOME_UNITS = """
[[unit]]
id = "perf"
use = "discrimination"
scores = [{column = "score_a", label = "A"}, {column = "score_b", label = "B"}]

[[unit]]
id = "cal"
use = "calibration"
scores = [{column = "prob_a", label = "Model A"}]

[[unit]]
id = "dca"
use = "decision_curve"
population = "all"
scores = [{column = "prob_a", label = "Model A"}]

[[unit]]
id = "cmp"
use = "model_comparison"
scores = [{column = "score_a", label = "A"}, {column = "score_b", label = "B"}]

[[unit]]
id = "surv"
use = "survival_stratification"
scores = [{column = "score_a", label = "A"}]
risk_times = [0, 12, 24, 36]
"""

#: Patients whose outcome is blanked: training and test, with and without the outcome.
MISSING = [3, 8, 17, 40, 77, 101, 150, 170, 200, 233]


def _run(
    root: Path, units: str, frame: pd.DataFrame, spec: str = SPEC
) -> tuple[dict[str, Any], str, list[str]]:
    """Run the study and compile its HTML report; return results.json, the HTML and problems."""
    root.mkdir(parents=True)
    frame.to_csv(root / "cohort.csv", index=False)
    path = root / "study.toml"
    path.write_text(spec + units, encoding="utf-8")
    prepared = prepare(path, make_plugin_manager(entry_points=[]))
    problems: list[str] = []

    def finalize(staging: Path, results: Any) -> None:
        data = results.model_dump(mode="json")
        compiled = compile_report(staging, data, plugins=prepared.plugins, pdf=False)
        problems.extend(compiled.problems)

    run_prepared(prepared, root / "out", use_cache=False, finalize=finalize)
    data = json.loads((root / "out" / "results.json").read_text(encoding="utf-8"))
    html = (root / "out" / "report.html").read_text(encoding="utf-8")
    return data, html, problems


def _unit(data: dict[str, Any], unit_id: str) -> dict[str, Any]:
    return ok(next(u for u in data["units"] if u["id"] == unit_id))


def _check_km(pop: dict[str, Any], frame: pd.DataFrame, groups: np.ndarray) -> None:
    """The population's KM, log-rank and Cox numbers equal remarkit.stats on its patients."""
    mask = (
        np.ones(len(frame), bool)
        if pop["population"] == "all"
        else (frame["set"] == pop["population"]).to_numpy()
    )
    t = frame["months"].to_numpy(float)[mask]
    e = frame["dead"].to_numpy(int)[mask]
    g = groups[mask]
    assert pop["n"] == int(mask.sum()) and pop["events"] == int(e.sum())
    lr = logrank_test(t, e, g)
    assert (pop["logrank_chi_square"], pop["logrank_p_value"]) == (lr.chisq, lr.p_value)
    labels = [grp["label"] for grp in pop["groups"]]
    data = pd.DataFrame({"time": t, "event": e, "group": pd.Categorical(g, categories=labels)})
    cox = cox_regression(data, "time", "event", ["group"]).table.iloc[0]
    assert (pop["hr"], pop["hr_p_value"]) == (cox["hr"], cox["p_value"])
    for group in pop["groups"]:
        km = kaplan_meier(t[g == group["label"]], e[g == group["label"]])
        assert (group["n"], group["events"]) == (km.n, km.events)


def test_survival_only_study_runs_and_its_report_compiles(tmp_path: Path) -> None:
    frame = evaluator_frame().drop(columns=["response"])
    data, html, problems = _run(tmp_path / "s", SURVIVAL_ONLY_UNITS, frame, NO_OUTCOME)
    assert "[cohort.outcome]" not in NO_OUTCOME
    assert data["cohort"]["outcome"] == "" and data["cohort"]["positive"] == ""
    result = _unit(data, "surv")
    assert (result["positive_label"], result["negative_label"]) == ("", "")  # none given
    score = result["scores"][0]
    high, low = score["positive_label"], score["negative_label"]
    assert high.endswith("≥ 0.5") and low.endswith("< 0.5") and high != low
    assert score["threshold"]["source"] == "given" and score["threshold"]["youden"] is None
    groups = np.where(frame["score_a"] >= 0.5, high, low)
    for pop in score["populations"]:
        _check_km(pop, frame, groups)
    assert score["populations"][0]["n"] == len(frame)
    assert _unit(data, "cox")["kind"] == "univariable_cox"
    table = _unit(data, "t1")
    assert [row["variable"] for row in table["rows"]] == ["age", "stage"]  # no outcome row
    assert problems == []
    assert "The study has no binary outcome" in html
    assert "at thresholds pre-specified" in html
    assert "Traceback" not in html and "could not be rendered" not in html


def test_survival_unit_needing_a_youden_threshold_is_a_planning_error(tmp_path: Path) -> None:
    units = SURVIVAL_ONLY_UNITS.replace(", threshold = 0.5", "")
    root = tmp_path / "s"
    root.mkdir()
    evaluator_frame().to_csv(root / "cohort.csv", index=False)
    (root / "study.toml").write_text(NO_OUTCOME + units, encoding="utf-8")
    with pytest.raises(InputErrors) as exc:
        prepare(root / "study.toml", make_plugin_manager(entry_points=[]))
    assert [str(e).split(": ", 1)[1] for e in exc.value.errors] == [
        "field 'unit(surv)': needs the outcome ([cohort.outcome]), which the study lacks"
    ]


def _strip(result: dict[str, Any]) -> dict[str, Any]:
    """A result without what differs by design: warnings, exclusions and excluded-id lists."""
    text = json.dumps(result, sort_keys=True)
    out: dict[str, Any] = json.loads(text)
    out.pop("warnings", None)
    out.pop("exclusions", None)
    out.pop("figures", None)
    for key in ("scores", "models"):
        for item in out.get(key, []):
            item.pop("excluded", None)
    return out


@pytest.fixture(scope="module")
def missing_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The outcome units on the cohort with MISSING outcomes, and on the cohort without them."""
    base = tmp_path_factory.mktemp("missing")
    frame = evaluator_frame()
    blanked = frame.copy()
    blanked.loc[MISSING, "response"] = ""
    complete = frame.drop(index=MISSING).reset_index(drop=True)
    data, html, problems = _run(base / "missing", OUTCOME_UNITS, blanked)
    reference, _, _ = _run(base / "complete", OUTCOME_UNITS, complete)
    return {
        "frame": frame,
        "data": data,
        "html": html,
        "problems": problems,
        "reference": reference,
    }


def test_outcome_analyses_equal_the_complete_case_cohort(missing_runs: dict[str, Any]) -> None:
    data, reference = missing_runs["data"], missing_runs["reference"]
    for unit_id in ("perf", "cal", "dca", "cmp"):
        assert _strip(_unit(data, unit_id)) == _strip(_unit(reference, unit_id)), unit_id
    ids = [f"P{i:03d}" for i in MISSING]
    for unit_id in ("perf", "cal", "dca", "cmp"):
        exclusions = _unit(data, unit_id)["exclusions"]
        assert exclusions[0] == {"reason": "missing outcome", "ids": ids, "scope": ""}
    dca = _unit(data, "dca")
    assert dca["n"] == 240 - len(MISSING)
    assert dca["events"] == _unit(reference, "dca")["events"]


def test_cohort_summary_counts_missing_outcomes_per_split(missing_runs: dict[str, Any]) -> None:
    cohort = missing_runs["data"]["cohort"]
    assert cohort["n"] == 240
    train = sum(1 for i in MISSING if i < 160)
    assert (cohort["missing_outcome_train"], cohort["missing_outcome_test"]) == (
        train,
        len(MISSING) - train,
    )


def test_kaplan_meier_uses_every_patient(missing_runs: dict[str, Any]) -> None:
    frame = missing_runs["frame"]
    result = _unit(missing_runs["data"], "surv")
    score = result["scores"][0]
    known = ~frame.index.isin(MISSING)
    train = (frame["set"] == "train").to_numpy() & known
    y = (frame["response"] == "yes").to_numpy(int)
    s = frame["score_a"].to_numpy(float)
    threshold = youden_threshold(y[train], s[train]).threshold  # known training outcomes only
    assert score["threshold"]["value"] == threshold
    positive, negative = score["positive_label"], score["negative_label"]
    groups = np.where(s >= threshold, positive, negative)
    assert score["populations"][0]["n"] == 240
    for pop in score["populations"]:
        _check_km(pop, frame, groups)
    scopes = {(e["reason"], e["scope"]) for e in result["exclusions"]}
    assert scopes == {("missing outcome", "A, threshold")}


def test_notes_and_profile_name_the_exclusions(missing_runs: dict[str, Any]) -> None:
    html, problems = missing_runs["html"], missing_runs["problems"]
    assert problems == []
    n = len(MISSING)
    assert f"{n} patient(s) left out for a missing outcome (P003, P008" in html
    assert f"Analysed: {240 - n} patients" in html  # the decision curve's own n
    assert f"<td>{n} for a missing outcome</td>" in html  # the REMARK profile's column
    assert "with a missing outcome (" in html  # the cohort table's note


def test_profile_rows_give_n_events_and_exclusions(missing_runs: dict[str, Any]) -> None:
    from remarkit.report.profile import build_profile

    data, frame = missing_runs["data"], missing_runs["frame"]
    analyses = build_profile(data).analyses
    rows = {a.unit_id: a for a in analyses}
    n = len(MISSING)
    known = frame.drop(index=MISSING)
    events = int((known["response"] == "yes").sum())
    for unit_id in ("perf", "cal", "cmp", "dca"):
        # one row per set the evaluator used; together they hold every patient with an outcome
        per_set = [a for a in analyses if a.unit_id == unit_id]
        assert {a.sets for a in per_set} in ({"Training set", "Test set"}, {"Whole cohort"})
        assert sum(a.n or 0 for a in per_set) == 240 - n, unit_id
        assert sum(a.events or 0 for a in per_set) == events, unit_id
        assert all(a.excluded.startswith(f"{n} for a missing outcome") for a in per_set), unit_id
    assert rows["surv"].excluded == f"{sum(1 for i in MISSING if i < 160)} for a missing outcome"
