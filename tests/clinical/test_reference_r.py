"""The units end to end against R (tests/reference/clinical_units.R) on the demo cohort.

Tolerances as DESIGN.md section 7: closed-form statistics 1e-9 relative, fitted models 1e-6.
Wald p-values of fitted models get 1e-5: a relative error e in the standard error moves p by
about z^2 e relative, and R's glm (even at epsilon = 1e-14) stops ~1e-7 short of the optimum.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from remarkit.plugins.clinical.baseline_table import BaselineTable
from remarkit.plugins.clinical.logistic_model import LogisticModel
from remarkit.plugins.clinical.multivariable_logistic import MultivariableLogistic
from remarkit.plugins.clinical.univariable_logistic import UnivariableLogistic
from remarkit.plugins.marker_response.unit import MarkerResponse
from tests.clinical.conftest import Harness, HarnessFactory

REFERENCE = Path(__file__).parents[1] / "reference"
CLOSED, FITTED, FITTED_P = 1e-9, 1e-6, 1e-5

LEVELS = {
    "age_group": ["<60", ">=60"],
    "sex": ["Female", "Male"],
    "regimen": [
        "ICIs + interventional",
        "ICIs + antiangiogenic",
        "ICIs + antiangiogenic + interventional",
    ],
    "cnlc_stage": ["Ib-IIa", "IIb-IIIa"],
    "hbv": ["No", "Yes"],
    "vp_grade": ["Vp1-Vp2", "Vp3-Vp4"],
    "afp_group": ["<=400", ">400"],
    "peritumoral_enhancement": ["No", "Yes"],
    "regular_margin": ["No", "Yes"],
    "dilated_vasculature": ["No", "Yes"],
    "mrecist": ["CR", "PR", "SD", "PD"],
}
CONTINUOUS = [
    "bmi",
    "tumor_size_mm",
    "ecog",
    "platelets",
    "creatinine",
    "total_bilirubin",
    "inr",
    "nlr",
    "afp_baseline",
    "afp_1month",
]
CANDIDATES = [
    "age_group",
    "sex",
    "bmi",
    "tumor_size_mm",
    "ecog",
    "regimen",
    "cnlc_stage",
    "hbv",
    "vp_grade",
    "platelets",
    "creatinine",
    "total_bilirubin",
    "inr",
    "nlr",
    "afp_group",
    "afp.response",
    "peritumoral_enhancement",
    "regular_margin",
    "dilated_vasculature",
]
AFP = {
    "baseline": "afp_baseline",
    "follow_up": "afp_1month",
    "marker": "AFP",
    "clinical_threshold": 60,
    "bootstrap": 200,
    "responder_label": "AFP responder",
    "non_responder_label": "Non-AFP responder",
    "normal_label": "AFP < 7 ng/ml",
}


def _variables() -> dict[str, str]:
    out = {name: 'type = "continuous"' for name in CONTINUOUS}
    for name, levels in LEVELS.items():
        shown = ", ".join(f'"{v}"' for v in levels)
        out[name] = f'type = "categorical"\nlevels = [{shown}]'
    return out


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "clinical_units_expected.csv", dtype={"value": float})


def _value(expected: pd.DataFrame, section: str, key: str, term: str) -> float:
    hit = expected[(expected.section == section) & (expected.key == key) & (expected.term == term)]
    assert len(hit) == 1, (section, key, term)
    return float(hit.value.iloc[0])


@pytest.fixture
def study(harness: HarnessFactory) -> Harness:
    frame = pd.read_csv(REFERENCE / "clinical_units_cohort.csv", keep_default_na=False)
    frame = frame.rename(columns={"patient_id": "pid"})
    frame["response"] = frame["response"].map({"DCB": "yes", "Non-DCB": "no"})
    h = harness(frame, _variables())
    h.run(MarkerResponse, AFP, unit_id="afp")
    return h


def test_afp_threshold_and_categories(study: Harness, expected: pd.DataFrame) -> None:
    result = study.results["afp"]
    assert result.youden_threshold == pytest.approx(
        _value(expected, "afp", "youden", "threshold"), rel=CLOSED
    )
    assert len(result.youden_tied) == _value(expected, "afp", "youden", "n_optima")
    for name in ("sensitivity", "specificity"):
        want = _value(expected, "afp", "youden", name)
        assert getattr(result, f"youden_{name}") == pytest.approx(want, rel=CLOSED)
    assert result.auc == pytest.approx(_value(expected, "afp", "auc", "auc"), rel=CLOSED)
    counts = {c.category: c.n for c in result.counts if c.split == "train"}
    for level in result.levels:
        assert counts[level] == _value(expected, "afp", "count_train", level)


def test_table1_against_r(study: Harness, expected: pd.DataFrame) -> None:
    variables = [*CONTINUOUS[:-1], *LEVELS, "afp.response"]
    result = study.run(BaselineTable, {"variables": variables}, unit_id="t1", upstream=("afp",))
    worst = 0.0
    for row in result.rows:
        key = row.variable.replace(".", "_")
        if row.variable == "response":
            continue
        if row.type == "continuous":
            for g, split in zip(row.groups, ("train", "test"), strict=True):
                for stat in ("mean", "sd", "q1", "median", "q3"):
                    want = _value(expected, "table1", key, f"{stat}_{split}")
                    assert getattr(g, stat) == pytest.approx(want, rel=CLOSED)
                assert g.missing == _value(expected, "table1", key, f"missing_{split}")
            shapiro = [_value(expected, "table1", key, f"shapiro_{s}") for s in ("train", "test")]
            for g, want in zip(row.groups, shapiro, strict=True):
                assert g.normality_p == pytest.approx(want, rel=1e-6)  # swilk's own accuracy
            assert row.summary == ("mean" if min(shapiro) >= 0.05 else "median")
            stat, p = ("t_statistic", "t_p") if row.test == "welch_t" else ("w_statistic", "w_p")
        else:
            min_expected = _value(expected, "table1", key, "min_expected")
            assert row.min_expected == pytest.approx(min_expected, rel=CLOSED)
            assert row.test == ("fisher" if min_expected < 5 else "chi_square")
            stat, p = (
                ("chisq_statistic", "chisq_p") if row.test == "chi_square" else ("", "fisher_p")
            )
        want = _value(expected, "table1", key, p)
        assert row.p_value == pytest.approx(want, rel=CLOSED)
        worst = max(worst, abs(row.p_value - want) / want)
        if stat:
            assert row.statistic == pytest.approx(_value(expected, "table1", key, stat), rel=CLOSED)
    assert worst < CLOSED


def _check_terms(fits: list, expected: pd.DataFrame, section: str, key: str | None) -> float:
    worst = 0.0
    for fit in fits:
        for term in fit.terms:
            name = term.term.replace("afp.response", "afp_response")
            k = key or fit.variable.replace(".", "_")
            for field, attr in (("or", "odds_ratio"), ("lower", "lower"), ("upper", "upper")):
                want = _value(expected, section, k, f"{name}|{field}")
                assert getattr(term, attr) == pytest.approx(want, rel=FITTED)
                worst = max(worst, abs(getattr(term, attr) - want) / abs(want))
            assert term.p_value == pytest.approx(
                _value(expected, section, k, f"{name}|p"), rel=FITTED_P
            )
        if key is None:
            assert fit.n == _value(expected, section, fit.variable.replace(".", "_"), "n")
    return worst


def test_univariable_multivariable_vif_and_model(study: Harness, expected: pd.DataFrame) -> None:
    uni = study.run(
        UnivariableLogistic, {"variables": CANDIDATES}, unit_id="uni", upstream=("afp",)
    )
    assert _check_terms(uni.variables, expected, "univariable", None) < FITTED
    multi = study.run(
        MultivariableLogistic,
        {"variables": CANDIDATES, "univariable": "uni"},
        unit_id="multi",
        upstream=("afp", "uni"),
    )
    chosen = expected[(expected.section == "multivariable") & (expected.key == "selected")]
    assert [s.replace(".", "_") for s in multi.selected] == chosen.term.tolist()
    assert _check_terms(multi.variables, expected, "multivariable", "model") < FITTED
    assert multi.n == _value(expected, "multivariable", "model", "n")
    for row in multi.vif:
        key = row.variable.replace(".", "_")
        assert row.gvif == pytest.approx(_value(expected, "vif", key, "gvif"), rel=FITTED)
        assert row.df == _value(expected, "vif", key, "df")
        assert row.gvif_adjusted == pytest.approx(
            _value(expected, "vif", key, "gvif_adj"), rel=FITTED
        )
    model = study.run(
        LogisticModel,
        {"variables": ["afp.response", "platelets", "dilated_vasculature"]},
        unit_id="clinical_afp",
        upstream=("afp",),
    )
    assert _check_terms(model.variables, expected, "clinical_afp", "model") < FITTED
    probability = dict(zip(model.columns[0].ids, model.columns[0].values, strict=True))
    want = expected[(expected.section == "clinical_afp") & (expected.key == "probability")]
    assert len(want) == 203
    for pid, value in zip(want.term, want.value, strict=True):
        assert probability[pid] == pytest.approx(value, rel=FITTED)
