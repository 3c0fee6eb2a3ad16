"""marker_kinetics end to end with the remarkit.testing fixtures, checked against statsmodels
and scipy computed independently from the same cohort."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from remarkit import InputErrors
from remarkit.testing import CheckFragment, MakeStudy, Plugins, RunUnit, check_unit
from scipy.stats import mannwhitneyu
from statsmodels.duration.hazard_regression import PHReg

from remarkit_marker_kinetics.models import MarkerKineticsResult
from remarkit_marker_kinetics.unit import MarkerKinetics

AFP = {"baseline": "afp_baseline", "follow_up": "afp_1month", "interval": 1.0}


def test_registered_from_its_distribution(remarkit_plugins: Plugins) -> None:
    registry = remarkit_plugins.units()
    assert registry.units["marker_kinetics"] is MarkerKinetics
    assert registry.origins["marker_kinetics"].distribution == "remarkit-marker-kinetics"


def test_slopes_and_statistics_match_independent_computations(remarkit_run_unit: RunUnit) -> None:
    run = remarkit_run_unit("marker_kinetics", {**AFP, "survival": True}, unit_id="kin")
    result = run.result
    assert isinstance(result, MarkerKineticsResult)
    data = run.cohort.data
    slope = np.log2(data["afp_1month"]) - np.log2(data["afp_baseline"])
    assert run.column("slope").to_numpy() == pytest.approx(slope.to_numpy(), rel=1e-12)
    assert run.column("half_life")[slope < 0].to_numpy() == pytest.approx(-1 / slope[slope < 0])
    assert run.column("half_life")[slope >= 0].isna().all()
    for summary, mask in zip(result.splits, (run.cohort.train, run.cohort.test), strict=True):
        x = slope[mask].to_numpy()
        y = run.cohort.outcome[mask].to_numpy()
        cases, controls = x[y == 1], x[y == 0]
        assert (summary.n, summary.events) == (x.size, int(y.sum()))
        assert summary.groups[0].median == pytest.approx(np.median(cases), rel=1e-12)
        assert summary.groups[1].q3 == pytest.approx(np.quantile(controls, 0.75), rel=1e-12)
        # a faster fall counts as positive: AUC = P(case slope < control slope), ties 1/2
        auc = np.mean((cases[:, None] < controls) + 0.5 * (cases[:, None] == controls))
        assert summary.auc == pytest.approx(auc, rel=1e-12)
        wilcox = mannwhitneyu(cases, controls, use_continuity=True, method="asymptotic")
        assert summary.mann_whitney_p == pytest.approx(wilcox.pvalue, rel=1e-9)
        logit = sm.Logit(y, sm.add_constant(-x)).fit(disp=0, tol=1e-12)
        assert summary.odds_ratio.estimate == pytest.approx(np.exp(logit.params[1]), rel=1e-6)
        assert summary.odds_ratio.p_value == pytest.approx(logit.pvalues[1], rel=1e-5)
        assert run.cohort.time is not None and run.cohort.event is not None
        cox = PHReg(
            run.cohort.time[mask].to_numpy(),
            -x[:, None],
            status=run.cohort.event[mask].to_numpy(),
            ties="efron",
        ).fit()
        assert summary.hazard_ratio is not None
        assert summary.hazard_ratio.estimate == pytest.approx(np.exp(cox.params[0]), rel=1e-6)
        assert summary.falling == int((x < 0).sum())
        assert summary.median_half_life == pytest.approx(np.median(-1 / x[x < 0]), rel=1e-12)


def test_fragment_methods_and_remark_items(
    remarkit_run_unit: RunUnit, remarkit_check_fragment: CheckFragment
) -> None:
    run = remarkit_run_unit("marker_kinetics", {**AFP, "survival": True}, unit_id="kin")
    fragment = remarkit_check_fragment(run)
    assert fragment.template == "units/marker_kinetics.html"
    assert (
        fragment.template_file is not None and "remarkit_marker_kinetics" in fragment.template_file
    )
    assert len(fragment.tables) == 2 and len(fragment.figures) == 1
    assert "HR of death per halving" in fragment.html
    assert run.record.remark_items == [10, 11, 15]
    methods = run.record.methods
    assert methods.startswith("AFP kinetics were summarised per patient by the log2 slope")
    assert "over an interval of 1 month for every patient" in methods
    assert "univariable Cox regression" in methods and "remarkit-marker-kinetics" in methods


def test_derived_slope_feeds_a_builtin_evaluator(remarkit_run_unit: RunUnit) -> None:
    kin = {"id": "kin", "use": "marker_kinetics", **AFP}
    scores = [{"column": "kin.slope", "direction": "lower", "label": "AFP slope"}]
    run = remarkit_run_unit("discrimination", {"scores": scores}, upstream=[kin])
    assert run.status == "ok", run.error
    upstream = next(u for u in run.results.units if u.id == "kin")
    assert run.record.depends_on == ["kin"]
    train_auc = upstream.result["splits"][0]["auc"] if upstream.result else None
    assert run.result.scores[0].train.auc == pytest.approx(train_auc, rel=1e-12)


def test_per_patient_interval_and_detection_limit(
    remarkit_study: MakeStudy, remarkit_run_unit: RunUnit
) -> None:
    spec = remarkit_study()
    cohort = pd.read_csv(spec.parent / "cohort.csv")
    cohort["draw_months"] = np.linspace(0.5, 1.5, len(cohort))
    cohort.loc[0, "afp_1month"] = 0.0
    cohort.to_csv(spec.parent / "cohort.csv", index=False)
    with spec.open("a", encoding="utf-8") as handle:
        handle.write('\n[cohort.variables.draw_months]\ntype = "continuous"\n')
    params = {
        "baseline": "afp_baseline",
        "follow_up": "afp_1month",
        "interval_column": "draw_months",
        "detection_limit": 0.5,
    }
    run = remarkit_run_unit("marker_kinetics", params, study=spec)
    first = str(cohort.loc[0, "patient_id"])
    expected = (
        np.log2(cohort["afp_1month"].clip(lower=0.5))
        - np.log2(cohort["afp_baseline"].clip(lower=0.5))
    ) / cohort["draw_months"]
    assert run.column("slope").to_numpy() == pytest.approx(expected.to_numpy(), rel=1e-12)
    assert first in run.result.floored
    assert any("below the detection limit 0.5" in w for w in run.result.warnings)


def test_bad_input_gives_clear_errors(
    remarkit_study: MakeStudy, remarkit_run_unit: RunUnit
) -> None:
    run = remarkit_run_unit("marker_kinetics", {**AFP, "baseline": "afp_group"})
    assert run.status == "failed" and "baseline column is categorical" in str(run.error)
    with pytest.raises(InputErrors, match="exactly one of interval and interval_column"):
        remarkit_run_unit("marker_kinetics", {**AFP, "interval_column": "age"})
    spec = remarkit_study()
    cohort = pd.read_csv(spec.parent / "cohort.csv")
    cohort.loc[3, "afp_baseline"] = 0.0
    cohort.to_csv(spec.parent / "cohort.csv", index=False)
    run = remarkit_run_unit("marker_kinetics", AFP, study=Path(spec))
    assert run.status == "failed"
    assert f"marker value 0 for patient(s) {cohort.loc[3, 'patient_id']}" in str(run.error)


def test_conforms(remarkit_study: MakeStudy, remarkit_plugins: Plugins, tmp_path: Path) -> None:
    """remarkit's conformance checks: determinism, schema, fragment, methods, no leakage."""
    spec = remarkit_study(units=[{"id": "kin", "use": "marker_kinetics", **AFP}])
    report = check_unit(spec, "kin", work_dir=tmp_path / "conformance", plugins=remarkit_plugins)
    report.raise_for_problems()
    assert {"determinism", "leakage"} <= set(report.passed)
