"""Derived variables in the engine: units, cache keys, range warnings, the schema, ``apply``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from remarkit.cli.main import main
from remarkit.engine.api import prepare, prepare_apply, run_prepared
from remarkit.errors import InputErrors
from tests.engine.conftest import SPEC, StudyFactory, cohort_frame

DERIVED = """
[cohort.derived.age_z]
rule = "standardize"
variable = "age"
label = "Age (SD units)"

[cohort.derived.stage_grp]
rule = "regroup"
variable = "stage"
map = { I = "I", II = "II-III", III = "II-III" }

[cohort.derived.old]
rule = "cut"
variable = "age"
threshold = 60
right = false
"""

MODEL = """
[[unit]]
id = "clin"
use = "logistic_model"
variables = ["age_z", "stage_grp"]
"""


def test_standardize_uses_training_patients_only(make_study: StudyFactory) -> None:
    cohort = prepare(make_study(spec=SPEC + DERIVED, units="")).cohort
    age = cohort.data["age"]
    train = cohort.train
    z = cohort.data["age_z"]
    assert z[train].mean() == pytest.approx(0, abs=1e-12)
    assert z[train].std(ddof=1) == pytest.approx(1, rel=1e-12)
    assert abs(z[~train].mean()) > 1e-6
    record = next(r for r in cohort.derivation.records if r.name == "age_z")  # type: ignore[union-attr]
    assert record.mean == pytest.approx(age[train].mean(), rel=1e-15)  # type: ignore[union-attr]
    assert record.n_fit == int(train.sum())  # type: ignore[union-attr]
    # a derived variable is typed like a declared one
    assert cohort.variable("age_z").type == "continuous"  # type: ignore[union-attr]
    assert cohort.variable("stage_grp").levels == ["I", "II-III"]  # type: ignore[union-attr]
    assert cohort.label("age_z") == "Age (SD units)"
    assert cohort.missing_counts["old"] == 0


def test_rule_change_changes_the_cache_key(make_study: StudyFactory) -> None:
    # thresholds 60 and 60.5, closed on the right, give identical categories on integer ages
    a = SPEC + DERIVED.replace(
        "threshold = 60\nright = false", 'breaks = [-inf, 60, inf]\nlabels = ["young", "old"]'
    )
    b = a.replace("breaks = [-inf, 60, inf]", "breaks = [-inf, 60.5, inf]")
    first = prepare(make_study(spec=a, units="", folder="a")).cohort
    second = prepare(make_study(spec=b, units="", folder="b")).cohort
    assert first.data["old"].equals(second.data["old"])
    assert first.fingerprint() != second.fingerprint()
    again = prepare(make_study(spec=a, units="", folder="c")).cohort
    assert again.fingerprint() == first.fingerprint()


def test_range_warning_printed_and_recorded(
    make_study: StudyFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = cohort_frame()
    frame.loc[4, "marker"] = 450000.0
    spec = SPEC.replace(
        '[cohort.variables.marker]\ntype = "continuous"\n',
        '[cohort.variables.marker]\ntype = "continuous"\nrange = [0, 1000]\n'
        'on_out_of_range = "warning"\n',
    )
    derived = '\n[cohort.derived.m2]\nrule = "expression"\nexpression = "marker * 2"\nrange = [0, 100]\non_out_of_range = "warning"\n'
    path = make_study(
        spec=spec + derived, units=MODEL.replace('"age_z", "stage_grp"', '"m2"'), frame=frame
    )
    assert main(["validate", str(path)]) == 0
    err = capsys.readouterr().err
    assert (
        "warning: " in err
        and "column 'marker': 1 value(s) outside the plausible range [0, 1000]: 450000 (row 6)"
        in err
    )
    assert (
        "field 'cohort.derived.m2.range': 1 value(s) outside the plausible range [0, 100]: 900000 (row 6)"
        in err
    )
    assert main(["run", str(path), "--out", str(tmp_path / "out"), "--no-cache"]) == 0
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    warned = results["cohort"]["range_warnings"]
    assert [(w["variable"], w["rows"]) for w in warned] == [("marker", [6]), ("m2", [6])]
    assert "Plausible ranges were checked for marker" in results["cohort"]["derived_methods"]


def test_schema_documents_the_records(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    text = json.dumps(schema)
    for name in (
        "CutRecord",
        "RegroupRecord",
        "TransformRecord",
        "StandardizeRecord",
        "ExpressionRecord",
        "RangeWarning",
    ):
        assert name in text
    assert "Training-set standard deviation (n - 1)" in text


@pytest.fixture
def trained(make_study: StudyFactory, tmp_path: Path) -> Path:
    spec = make_study(spec=SPEC + DERIVED, units=MODEL, folder="train")
    out = tmp_path / "train_out"
    results = run_prepared(prepare(spec), out, use_cache=False)
    assert not results.failed, [u.error for u in results.units]
    return out


EXTERNAL = """\
[study]
title = "External"

[cohort]
table = "cohort.csv"
id = "pid"

[cohort.outcome]
column = "response"
positive = "yes"

[cohort.variables.age]
type = "continuous"

[cohort.variables.stage]
type = "categorical"
levels = ["I", "II", "III"]
"""


def _external(make_study: StudyFactory, extra: str = "") -> Path:
    frame = cohort_frame(seed=11)
    frame["age"] = frame["age"] + 15  # an older cohort: a refitted mean would differ
    return make_study(spec=EXTERNAL + extra, units="", frame=frame, folder="external")


def test_apply_reapplies_the_training_derivations(
    trained: Path, make_study: StudyFactory, tmp_path: Path
) -> None:
    training = json.loads((trained / "results.json").read_text(encoding="utf-8"))
    fitted = next(d for d in training["cohort"]["derived"] if d["name"] == "age_z")
    prepared = prepare_apply(trained, _external(make_study))
    cohort = prepared.cohort
    z = cohort.data["age_z"].to_numpy(float)
    np.testing.assert_allclose(
        z, (cohort.data["age"].to_numpy(float) - fitted["mean"]) / fitted["sd"], rtol=1e-15
    )
    results = run_prepared(prepared, tmp_path / "ext_out", use_cache=False)
    assert not results.failed, [u.error for u in results.units]
    record = next(d for d in results.cohort.derived if d.name == "age_z")
    assert record.fitted_on == "training run" and record.mean == fitted["mean"]  # type: ignore[union-attr]
    assert "re-applied unchanged" in results.cohort.derived_methods


def test_apply_rejects_a_changed_rule(trained: Path, make_study: StudyFactory) -> None:
    changed = (
        '\n[cohort.derived.old]\nrule = "cut"\nvariable = "age"\nthreshold = 65\nright = false\n'
    )
    with pytest.raises(InputErrors) as info:
        prepare_apply(trained, _external(make_study, changed))
    assert "field 'cohort.derived.old': differs from the training run's rule" in str(info.value)
    same = '\n[cohort.derived.old]\nrule = "cut"\nvariable = "age"\nthreshold = 60\nright = false\n'
    assert prepare_apply(trained, _external(make_study, same)).cohort.data["old"].notna().all()


def test_apply_cannot_fit_a_new_standardisation(trained: Path, make_study: StudyFactory) -> None:
    new = '\n[cohort.derived.age_z2]\nrule = "standardize"\nvariable = "age"\n'
    with pytest.raises(InputErrors) as info:
        prepare_apply(trained, _external(make_study, new))
    assert "field 'cohort.derived.age_z2.variable'" in str(info.value)
    assert "re-uses a training run's mean and SD" in str(info.value)


def test_apply_needs_the_source_variables(trained: Path, make_study: StudyFactory) -> None:
    spec = _external(make_study)
    spec.write_text(
        spec.read_text(encoding="utf-8").replace(
            '[cohort.variables.stage]\ntype = "categorical"\nlevels = ["I", "II", "III"]\n', ""
        ),
        encoding="utf-8",
    )
    with pytest.raises(InputErrors) as info:
        prepare_apply(trained, spec)
    assert "field 'cohort.derived.stage_grp.variable'" in str(info.value)
    assert "re-applying the training run's derivation: unknown column 'stage'" in str(info.value)


def test_apply_rejects_a_column_named_like_a_training_derivation(
    trained: Path, make_study: StudyFactory
) -> None:
    spec = _external(make_study, '\n[cohort.variables.old]\ntype = "categorical"\n')
    frame = cohort_frame(seed=11)
    frame["old"] = "no"
    frame.to_csv(spec.parent / "cohort.csv", index=False)
    with pytest.raises(InputErrors) as info:
        prepare_apply(trained, spec)
    assert "field 'cohort.variables.old': 'old' is a derived variable of the training run" in str(
        info.value
    )


def test_unmapped_levels_set_missing_are_counted(make_study: StudyFactory, tmp_path: Path) -> None:
    derived = (
        '\n[cohort.derived.early]\nrule = "regroup"\nvariable = "stage"\n'
        'patterns = { early = "I|II" }\nunmapped = "missing"\n'
    )
    path = make_study(spec=SPEC + derived, units="")
    frame = pd.read_csv(path.parent / "cohort.csv")
    results = run_prepared(prepare(path), tmp_path / "out", use_cache=False)
    record = next(d for d in results.cohort.derived if d.name == "early")
    n_iii = int((frame["stage"] == "III").sum())
    assert record.unmapped_values == ["III"]  # type: ignore[union-attr]
    assert record.n_unmapped == n_iii and record.n_missing == n_iii  # type: ignore[union-attr]
    assert results.cohort.missing["early"] == n_iii
    assert f"{n_iii} patient(s) missing ({n_iii} level(s) not regrouped: III)" in (
        results.cohort.derived_methods
    )
