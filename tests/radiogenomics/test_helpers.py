"""Sample-id rules, score groups and Fisher/BH helpers of the radiogenomics plugin."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from remarkit import InputError, InputErrors
from remarkit.demo.genomics import GENOMICS_TOML
from remarkit.engine.api import prepare
from remarkit.engine.plugin_manager import make_plugin_manager
from remarkit.plugins.radiogenomics._common import GroupParams, assign_groups, patient_of
from remarkit.plugins.radiogenomics._tests import bh, fisher_groups
from remarkit.stats.group_tests import fisher_exact
from tests.radiogenomics.conftest import SPEC, demo_cohort


def rule(prefix: int | None = None, pattern: str | None = None) -> SimpleNamespace:
    return SimpleNamespace(barcode_prefix_length=prefix, sample_id_pattern=pattern)


@pytest.mark.parametrize(
    ("sample", "spec", "patient"),
    [
        ("TCGA-DD-A4NG-01A-11R-A28V-07", rule(prefix=12), "TCGA-DD-A4NG"),
        ("TCGA-DD", rule(prefix=12), None),
        ("P7_tumour", rule(pattern=r"^(?P<patient>P\d+)_tumour$"), "P7"),
        ("P7_normal", rule(pattern=r"^(?P<patient>P\d+)_tumour$"), None),
        ("x-P12-y", rule(pattern=r"P(\d+)"), "12"),
        ("x-P12-y", rule(pattern=r"P\d+"), "P12"),
        ("HCC-001", rule(), "HCC-001"),
    ],
)
def test_sample_to_patient_rules(sample: str, spec: SimpleNamespace, patient: str | None) -> None:
    assert patient_of(sample, spec) == patient  # type: ignore[arg-type]


def test_median_split_and_ties_at_the_threshold() -> None:
    params = GroupParams(score="s", high_label="DCB", low_label="Non-DCB")
    scores = pd.Series([0.1, 0.5, 0.5, 0.9, 0.3], index=list("abcde"))
    groups, definition = assign_groups(params, scores, "Score", {})
    assert definition.threshold == 0.5 and definition.rule == "median"
    assert groups.to_dict() == {"a": "Non-DCB", "b": "DCB", "c": "DCB", "d": "DCB", "e": "Non-DCB"}
    with pytest.raises(InputError, match="leaves the 'Non-DCB' group empty"):
        assign_groups(params, pd.Series([1.0, 1.0, 1.0], index=list("abc")), "Score", {})


def test_group_labels_must_differ() -> None:
    with pytest.raises(ValueError, match="must differ"):
        GroupParams(score="s", high_label="A", low_label="A")


def test_fisher_groups_matches_stats_and_handles_untestable_genes() -> None:
    groups = pd.Series(["H"] * 5 + ["L"] * 5)
    mutated = pd.Series([1, 1, 1, 1, 0, 1, 0, 0, 0, 0])
    odds, p = fisher_groups(mutated, groups, ("H", "L"))
    want = fisher_exact(
        pd.Categorical(groups, categories=["H", "L"]),
        pd.Categorical(["m" if v else "w" for v in mutated], categories=["m", "w"]),
    )
    assert (odds, p) == (want.odds_ratio, want.p_value)
    assert fisher_groups(pd.Series([1] * 10), groups, ("H", "L")) == (None, None)
    assert bh([0.01, None, 0.04]) == pytest.approx([0.02, None, 0.04])  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("capture_mb", 'vcf = "genomics/x.vcf"\ncapture_mb', "give either maf or vcf, not both"),
        (
            "barcode_prefix_length = 7",
            'sample_id_pattern = "(HCC"',
            "sample_id_pattern is not a valid regular expression",
        ),
        ("capture_mb", 'sample_id_pattern = "HCC"\ncapture_mb', "not both"),
        ('duplicate_genes = "highest_mean"', 'duplicate_genes = "max"', "duplicate_genes"),
        ("capture_mb = 38.0", "capture_mb = 0", "capture_mb"),
    ],
)
def test_genomics_spec_errors(tmp_path: Path, old: str, new: str, message: str) -> None:
    demo_cohort().to_csv(tmp_path / "cohort.csv", index=False)
    assert old in GENOMICS_TOML
    text = SPEC + GENOMICS_TOML.replace(old, new)
    (tmp_path / "study.toml").write_text(text, encoding="utf-8")
    with pytest.raises(InputErrors, match=message):
        prepare(tmp_path / "study.toml", make_plugin_manager(entry_points=[]))


def test_training_threshold_comes_from_the_applied_model() -> None:
    scores = pd.Series([0.1, 0.4, 0.6, 0.9], index=list("abcd"))
    params = GroupParams(score="m.probability", threshold="training")
    groups, definition = assign_groups(params, scores, "Score", {"m.probability": 0.5})
    assert definition.rule == "training" and definition.threshold == 0.5
    assert list(groups) == ["Low score", "Low score", "High score", "High score"]
    with pytest.raises(
        InputError, match=r"no threshold was fixed on a training set for 'm\.probability'"
    ):
        assign_groups(params, scores, "Score", {"other.probability": 0.5})
