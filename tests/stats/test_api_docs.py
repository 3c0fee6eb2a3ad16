"""docs/stats.md, the generated reference of remarkit.stats, is up to date and complete."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import remarkit.stats as stats

ROOT = Path(__file__).resolve().parents[2]


def test_stats_reference_is_up_to_date() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_stats_docs.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_export_has_a_section() -> None:
    text = (ROOT / "docs" / "stats.md").read_text(encoding="utf-8")
    for name in stats.__all__:
        assert f"`{name}`" in text, name
