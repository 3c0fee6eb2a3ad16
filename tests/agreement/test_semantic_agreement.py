"""semantic_agreement: its numbers equal remarkit.stats on the readers' columns, its warnings,
errors, report fragment and appendix (the R checks of the statistics are in tests/stats)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from remarkit.demo.readers import SEMANTIC, reader_columns
from remarkit.engine.api import prepare, run_prepared
from remarkit.errors import InputErrors
from remarkit.plugins.agreement.semantic_agreement_result import SemanticAgreementResult
from remarkit.report.compile import compile_report
from remarkit.stats import cohen_kappa, fleiss_kappa, krippendorff_alpha
from remarkit.testing import CheckFragment, MakeStudy, RunUnit
from tests.engine.conftest import SPEC, cohort_frame

TOL = 1e-12


def _read(spec: Path) -> pd.DataFrame:
    table = pd.read_csv(spec.parent / "cohort.csv", dtype=str, keep_default_na=False)
    return table.replace({"NA": None, "": None}).set_index("patient_id")


def test_two_readers_equal_cohen_kappa(
    remarkit_study: MakeStudy, remarkit_run_unit: RunUnit, remarkit_check_fragment: CheckFragment
) -> None:
    spec = remarkit_study()
    run = remarkit_run_unit("semantic_agreement", study=spec)
    result: SemanticAgreementResult = run.result
    table = _read(spec)
    assert [f.feature for f in result.features] == list(SEMANTIC)
    for feature in result.features:
        a, b, _ = reader_columns(feature.feature)
        ref = cohen_kappa(table[a], table[b], levels=["No", "Yes"])
        (pair,) = feature.pairs
        (kappa,) = pair.kappas
        assert kappa.weights == "none"
        assert ref.estimate is not None and ref.se is not None
        assert kappa.estimate == pytest.approx(ref.estimate, rel=TOL)
        assert kappa.se == pytest.approx(ref.se, rel=TOL)
        assert (kappa.lower, kappa.upper) == pytest.approx((ref.lower, ref.upper), rel=TOL)
        assert pair.agreement == pytest.approx(ref.agreement, rel=TOL)
        assert pair.n == ref.n and pair.n_missing == ref.n_missing
        assert pair.prevalence_index == pytest.approx(ref.prevalence_index, abs=TOL)
        assert pair.bias_index == pytest.approx(ref.bias_index, abs=TOL)
        assert pair.pabak == pytest.approx(ref.pabak, rel=TOL)
        assert pair.table == ref.table.to_numpy().tolist()
        alpha = krippendorff_alpha(table[[a, b]], levels=["No", "Yes"])
        (multi,) = feature.multi
        assert multi.statistic == "krippendorff_alpha"
        assert multi.estimate == pytest.approx(alpha.estimate, rel=TOL)
        # the appendix lists every patient the two readers disagreed on
        both = table[a].notna() & table[b].notna()
        differ = sorted(table.index[both & (table[a] != table[b])])
        listed = sorted(d.patient for d in result.appendix if d.feature == feature.feature)
        assert listed == differ
    assert min(f.pairs[0].kappas[0].estimate for f in result.features) > 0.6
    necrosis = next(f for f in result.features if f.feature == "necrosis")
    assert necrosis.n_incomplete > 0  # reader 2 missed some: complete pairs only
    assert necrosis.pairs[0].n == necrosis.n
    methods = run.record.methods
    assert "5 semantic feature(s)" in methods
    assert "complete pairs" in methods
    assert methods.count("otherwise the adjudicator's") == 1  # one rule, stated once
    fragment = remarkit_check_fragment(run)
    assert "Inter-reader agreement on the semantic features" in fragment.html


def _ordinal_study(tmp_path: Path, *, constant: bool = False, units: str = "") -> Path:
    frame = cohort_frame(40)
    rng = np.random.default_rng(5)
    levels = ["none", "mild", "marked"]
    truth = rng.integers(0, 3, len(frame))
    for j in (1, 2, 3):
        noisy = np.clip(truth + rng.choice([-1, 0, 0, 0, 1], len(frame)), 0, 2)
        frame[f"g_r{j}"] = ["none" if constant else levels[k] for k in noisy]
    frame.loc[4, "g_r3"] = ""
    frame["b_r1"] = "absent"
    frame["b_r2"] = "absent"
    feature = """
[cohort.semantic.grade]
label = "Enhancement grade"
readers = ["g_r1", "g_r2", "g_r3"]
levels = ["none", "mild", "marked"]
scale = "ordinal"
consensus = "majority"
adjudicator = "g_r1"
"""
    feature = feature.replace('adjudicator = "g_r1"', 'adjudicator = "g_adj"')
    frame["g_adj"] = frame["g_r1"]
    feature += """
[cohort.semantic.blush]
readers = ["b_r1", "b_r2"]
levels = ["absent", "present"]
consensus = "reader"
reader = "b_r1"
"""
    root = tmp_path / "ordinal"
    root.mkdir(exist_ok=True)
    frame.to_csv(root / "cohort.csv", index=False)
    spec = root / "study.toml"
    spec.write_text(
        SPEC + feature + (units or '\n[[unit]]\nid = "agree"\nuse = "semantic_agreement"\n')
    )
    return spec


def _run(spec: Path, out: Path) -> SemanticAgreementResult:
    results = run_prepared(prepare(spec), out, use_cache=False)
    record = next(u for u in results.units if u.id == "agree")
    assert record.status == "ok", record.error
    return SemanticAgreementResult.model_validate(record.result)


def test_ordinal_three_readers_weighted_kappas_and_fleiss(tmp_path: Path) -> None:
    spec = _ordinal_study(tmp_path)
    result = _run(spec, tmp_path / "out")
    table = pd.read_csv(spec.parent / "cohort.csv", dtype=str, keep_default_na=False)
    table = table.replace({"": None})
    grade = next(f for f in result.features if f.feature == "grade")
    levels = ["none", "mild", "marked"]
    assert [(p.reader_a, p.reader_b) for p in grade.pairs] == [
        ("g_r1", "g_r2"),
        ("g_r1", "g_r3"),
        ("g_r2", "g_r3"),
    ]
    for pair in grade.pairs:
        assert [k.weights for k in pair.kappas] == ["linear", "quadratic"]
        for k in pair.kappas:
            ref = cohen_kappa(
                table[pair.reader_a], table[pair.reader_b], weights=k.weights, levels=levels
            )
            assert k.estimate == pytest.approx(ref.estimate, rel=TOL)
            assert k.se == pytest.approx(ref.se, rel=TOL)
        assert pair.pabak is None  # three levels: no Byrt indices
    assert grade.pairs[1].n == 39  # g_r3 missed one patient
    fleiss = fleiss_kappa(table[["g_r1", "g_r2", "g_r3"]], levels=levels)
    alpha = krippendorff_alpha(
        table[["g_r1", "g_r2", "g_r3"]], level_of_measurement="ordinal", levels=levels
    )
    stats = {m.statistic: m for m in grade.multi}
    assert stats["fleiss_kappa"].estimate == pytest.approx(fleiss.estimate, rel=TOL)
    assert stats["fleiss_kappa"].se == pytest.approx(fleiss.se, rel=TOL)
    assert stats["fleiss_kappa"].n == 39
    assert stats["krippendorff_alpha"].estimate == pytest.approx(alpha.estimate, rel=TOL)
    complete = table[["g_r1", "g_r2", "g_r3"]].dropna()
    assert grade.agreement == pytest.approx((complete.nunique(axis=1) == 1).mean(), rel=TOL)


def test_constant_feature_is_a_named_warning_not_a_nan_row(tmp_path: Path) -> None:
    result = _run(_ordinal_study(tmp_path), tmp_path / "out")
    blush = next(f for f in result.features if f.feature == "blush")
    assert blush.undefined is not None and "kappa is undefined" in blush.undefined
    assert blush.pairs[0].kappas == [] and blush.multi == []
    assert blush.agreement == 1.0
    assert any(w.startswith("blush (Whole cohort): kappa is undefined") for w in result.warnings)
    text = json.dumps(result.model_dump(mode="json"))
    assert "NaN" not in text


def test_features_subset_sets_and_unknown_feature(tmp_path: Path) -> None:
    units = """
[[unit]]
id = "agree"
use = "semantic_agreement"
features = ["grade"]
sets = ["train", "test"]
"""
    result = _run(_ordinal_study(tmp_path, units=units), tmp_path / "out")
    assert [(f.feature, f.set) for f in result.features] == [("grade", "train"), ("grade", "test")]
    assert sum(f.n for f in result.features) == 39
    bad = units.replace('["grade"]', '["grade", "nope"]')
    with pytest.raises(InputErrors, match="needs column 'nope'"):
        prepare(_ordinal_study(tmp_path, units=bad))


def test_study_without_semantic_features_fails_the_unit(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    root.mkdir()
    cohort_frame().to_csv(root / "cohort.csv", index=False)
    spec = root / "study.toml"
    spec.write_text(SPEC + '\n[[unit]]\nid = "agree"\nuse = "semantic_agreement"\n')
    results = run_prepared(prepare(spec), tmp_path / "out", use_cache=False)
    (record,) = results.units
    assert record.status == "failed"
    assert "the study declares no semantic features" in (record.error or "")


def test_report_lists_disagreements_in_the_appendix(tmp_path: Path) -> None:
    spec = _ordinal_study(tmp_path)
    out = tmp_path / "out"
    run_prepared(prepare(spec), out, use_cache=False)
    saved = json.loads((out / "results.json").read_text(encoding="utf-8"))
    compiled = compile_report(out, saved, pdf=False)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Appendix: patient listings" in html
    assert "Patients on whom the readers disagreed" in html
    assert not compiled.problems
    remark = next(u for u in saved["units"] if u["id"] == "agree")
    assert 5 in remark["remark_items"]


def test_blinding_is_quoted_from_the_assay_narrative() -> None:
    from remarkit.plugins.agreement.semantic_agreement_text import blinding_sentence

    assay = "Serum AFP by immunoassay; CT features read by two radiologists blinded to outcome."
    assert blinding_sentence(assay) == "CT features read by two radiologists blinded to outcome."
    assert blinding_sentence("None (synthetic values).") == ""
