"""proportional_hazards: cox.zph per variable and GLOBAL against R, warnings and the report."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from remarkit.plugins.survival.proportional_hazards import PhParams, ProportionalHazards
from remarkit.report.render import ReportState, render_unit
from remarkit.report.templates import make_environment
from tests.survival.conftest import GBSG, SurvivalHarness
from tests.survival.test_reference_r import ADJUST, GBSG_SPEC, GBSG_VARIABLES, REFERENCE


def test_gbsg_cox_zph_matches_r(surv_harness: SurvivalHarness) -> None:
    if not GBSG.exists():
        pytest.skip(f"GBSG data absent ({GBSG})")
    expected = pd.read_csv(REFERENCE / "survival_units_expected.csv", keep_default_na=False)
    zph = expected[(expected.section == "gbsg") & (expected.model == "zph")]
    frame = pd.read_csv(GBSG)
    frame["set"] = ["train" if i % 3 else "test" for i in range(len(frame))]
    h = surv_harness(frame, GBSG_VARIABLES, GBSG_SPEC)
    params = {"variables": ["pgr", *ADJUST], "population": "all", "scale": {"pgr": "iqr"}}
    result = h.run(ProportionalHazards, params, unit_id="ph")
    assert [t.term for t in result.terms] == ["pgr", *ADJUST, "GLOBAL"]
    for t in result.terms:
        want = zph[zph.term == t.term].set_index("key")["value"].astype(float)
        assert t.chisq == pytest.approx(want["chisq"], rel=1e-6)
        assert t.df == want["df"]
        assert t.p_value == pytest.approx(want["p"], rel=1e-5)
    flagged = [t.term for t in result.terms if t.violated]
    assert flagged == ["pgr", "age", "meno", "grade", "GLOBAL"]
    assert result.warnings[0].startswith(
        "Progesterone receptor: proportional hazards rejected (cox.zph p = 0.0365 < 0.05)"
    )
    html = re.sub(
        r"data:[^\"]+",
        "",
        str(
            render_unit(
                make_environment(), {"result": result.model_dump(mode="json")}, ReportState(h.out)
            )
        ),
    )
    assert "Proportional hazards questionable:" in html and "Global test" in html
    assert 'strata = ["grade"]' in " ".join(result.warnings)


def test_stratified_check_and_no_warning(surv_harness: SurvivalHarness) -> None:
    h = surv_harness()
    result = h.run(
        ProportionalHazards,
        {"variables": ["marker", "age"], "strata": ["stage"], "scale": {"marker": "log2"}},
        unit_id="ph",
    )
    assert result.strata == ["stage"] and result.n == 158
    assert [t.term for t in result.terms] == ["marker", "age", "GLOBAL"]
    assert all(t.df == 1 for t in result.terms[:2])
    assert "stratified by stage" in ProportionalHazards().methods(result, None)  # type: ignore[arg-type]


def test_params() -> None:
    with pytest.raises(ValueError, match="also model variables"):
        PhParams.model_validate({"variables": ["age", "stage"], "strata": ["stage"]})
    with pytest.raises(ValueError, match="Input should be 'km'"):
        PhParams.model_validate({"variables": ["age"], "transform": "sqrt"})
