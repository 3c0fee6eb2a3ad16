"""Regenerate docs/units.md from the built-in units' Params models.

Run after adding a unit or changing its parameters: ``.venv/bin/python tools/gen_unit_docs.py``
(``--check`` only reports whether the committed file is stale).
"""

from __future__ import annotations

import sys
from pathlib import Path

from remarkit.cli.unit_docs import main

DOCS = Path(__file__).resolve().parents[1] / "docs" / "units.md"

if __name__ == "__main__":
    sys.exit(main([str(DOCS), *sys.argv[1:]]))
