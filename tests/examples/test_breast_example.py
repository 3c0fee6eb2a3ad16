"""The breast example (GBSG 2): checked-in spec = packaged spec; `remarkit demo --study breast`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from remarkit.cli.main import main
from remarkit.demo.breast import breast_study_toml, gbsg2_frame

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "breast" / "study.toml"


def test_checked_in_example_is_the_packaged_spec() -> None:
    assert EXAMPLE.read_text("utf-8") == breast_study_toml(), (
        "examples/breast/study.toml and core/demo/breast_study.toml differ: copy one onto the other"
    )


def test_gbsg2_frame_is_the_published_trial() -> None:
    frame = gbsg2_frame(2025)
    assert len(frame) == 686
    assert int(frame["recurrence"].sum()) == 299
    assert frame["patient_id"].is_unique
    counts = frame.groupby("set")["recurrence"].agg(["size", "sum"])
    assert counts.loc["train", "size"] == 457 and counts.loc["test", "size"] == 229
    assert frame.equals(gbsg2_frame(2025))


@pytest.mark.slow
def test_demo_breast_runs_and_the_audit_credits_the_right_units(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "breast"
    assert main(["demo", "--study", "breast", "--out", str(out)]) == 0
    assert (out / "report.pdf").stat().st_size > 0
    capsys.readouterr()
    assert main(["audit", str(out), "--json"]) == 0
    audit = json.loads(capsys.readouterr().out)
    items = {item["number"]: item for item in audit["checklists"][0]["items"]}
    wanted = {
        11: "cox_univariable",
        14: "table_by_pgr",
        15: "cox_univariable",
        16: "cox_adjusted",
        17: "cox_adjusted",
    }
    for number, unit in wanted.items():
        assert items[number]["status"] == "reported", items[number]
        assert any(unit in e["label"] for e in items[number]["evidence"]), items[number]
    assert not any("km_pgr" in e["label"] for e in items[16]["evidence"])
