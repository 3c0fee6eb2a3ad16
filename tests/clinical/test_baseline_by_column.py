"""baseline_table grouped by a two-level categorical column (a marker group: REMARK 14)."""

from __future__ import annotations

import pandas as pd
import pytest
from pydantic import ValidationError

from remarkit import InputError
from remarkit.plugins.clinical.baseline_models import BaselineTableParams
from remarkit.plugins.clinical.baseline_table import BaselineTable
from tests.clinical.conftest import HarnessFactory, clinical_frame


def test_groups_by_a_categorical_column(harness: HarnessFactory) -> None:
    frame = clinical_frame()
    frame.loc[[0, 1, 2], "vessel"] = "NA"
    h = harness(frame)
    result = h.run(BaselineTable, {"variables": ["age", "stage"], "by": "vessel"}, unit_id="t")
    assert result.by == "vessel"
    assert [g.label for g in result.groups] == ["Dilated vessels: No", "Dilated vessels: Yes"]
    known = frame[frame.vessel != "NA"]
    assert [g.n for g in result.groups] == [
        int((known.vessel == "No").sum()),
        int((known.vessel == "Yes").sum()),
    ]
    assert result.n == len(known)
    stage = result.rows[1]
    expected = pd.crosstab(known.stage, known.vessel)
    assert stage.groups[0].counts == [int(expected.loc[lv, "No"]) for lv in ["I", "II", "III"]]
    assert result.warnings[0] == "3 patient(s) without a value of 'vessel' left out"
    assert result.title == "Baseline characteristics by Dilated vessels"
    needs = BaselineTable().needs(BaselineTableParams(variables=["age"], by="vessel"))
    assert needs.columns == ["age", "vessel"] and not needs.outcome


def test_by_column_errors(harness: HarnessFactory) -> None:
    h = harness()
    with pytest.raises(InputError, match=r"'stage' has 3 levels .*two groups"):
        h.run(BaselineTable, {"variables": ["age"], "by": "stage"}, unit_id="t")
    with pytest.raises(InputError, match="'bmi' is continuous"):
        h.run(BaselineTable, {"variables": ["age"], "by": "bmi"}, unit_id="t")
    with pytest.raises(InputError, match=r"unknown column\(s\) \['group'\]"):
        h.run(BaselineTable, {"variables": ["age"], "by": "group"}, unit_id="t")
    with pytest.raises(ValidationError, match="also a row of the table"):
        BaselineTableParams(variables=["age", "vessel"], by="vessel")
