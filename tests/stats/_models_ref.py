"""Shared loaders for the survival-model references (tests/reference/survival_models.R)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.shared_data import shared_data_dir

REF = Path(__file__).resolve().parent.parent / "reference"
SHARED = shared_data_dir()
GBSG = SHARED / "breast" / "gbsg.csv"
FITTED = 1e-6


def ref(name: str) -> pd.DataFrame:
    """A committed reference table, read at full precision."""
    return pd.read_csv(REF / f"survival_models_{name}.csv", keep_default_na=False, na_values=["NA"])


def dataset(name: str) -> pd.DataFrame:
    """The synthetic data or GBSG (grade as a categorical); skip when GBSG is absent."""
    if name == "synthetic":
        return ref("data")
    if not GBSG.exists():
        pytest.skip(f"GBSG data not found at {GBSG} (set REMARKIT_SHARED_DATA)")
    data = pd.read_csv(GBSG)
    return data.assign(grade=data["grade"].astype(str))


SPECS: dict[str, dict[str, tuple[list[str], list[str]]]] = {
    "synthetic": {
        "full": (["x1", "x2", "grp"], []),
        "reduced": (["x2", "grp"], []),
        "strat": (["x1", "x2", "grp"], ["centre"]),
        "strat_reduced": (["x2", "grp"], ["centre"]),
    },
    "gbsg": {
        "full": (["age", "meno", "size", "grade", "nodes", "pgr", "er", "hormon"], []),
        "reduced": (["age", "meno", "size", "grade", "nodes", "er", "hormon"], []),
        "strat": (["age", "size", "grade", "nodes", "pgr", "er"], ["hormon", "meno"]),
        "strat_reduced": (["age", "size", "grade", "nodes", "er"], ["hormon", "meno"]),
    },
}
TIME = {"synthetic": "time", "gbsg": "rfstime"}


def r_term(term: str) -> str:
    """Our term name as R prints it: 'grp[b]' -> 'grpb'."""
    return term.replace("[", "").replace("]", "")
