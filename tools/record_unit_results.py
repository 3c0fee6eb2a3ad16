"""Record one unit record per built-in unit for the unit meta-test (tests/plugin_kit/recorded/).

    python tools/record_unit_results.py --catalogue      # run the conformance catalogue study
    python tools/record_unit_results.py RESULTS.json ... # a finished run (e.g. the demo's)

Each file ``<unit name>.json`` is the unit's record as results.json holds it, with the figures
and the record's file list left out (the meta-test renders without the run's folder; the
conformance check renders the figures). The first record of a unit name found wins; a unit that
is not built in is ignored. Re-record after changing a result model on purpose.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RECORDED = ROOT / "tests" / "plugin_kit" / "recorded"
#: Record fields a fragment never reads and that change on every run.
DROPPED = ("files", "execution", "inputs", "cache_key", "result_sha256")


def trimmed(record: dict[str, Any]) -> dict[str, Any]:
    """The record without its figures, files and run-specific fields."""
    out = {k: v for k, v in record.items() if k not in DROPPED}
    out["result"] = {**record["result"], "figures": []}
    return out


def record_results(results_file: Path, builtin: set[str], done: set[str]) -> list[str]:
    """Write the records of ``results_file``'s built-in units not recorded yet; their names."""
    data = json.loads(results_file.read_text(encoding="utf-8"))
    written = []
    for record in data["units"]:
        name = record["name"]
        if record["status"] != "ok" or name not in builtin or name in done:
            continue
        text = json.dumps(trimmed(record), sort_keys=True, ensure_ascii=False)
        (RECORDED / f"{name}.json").write_text(text + "\n", encoding="utf-8")
        done.add(name)
        written.append(name)
    return written


def catalogue_results(work: Path) -> Path:
    """Run the conformance catalogue study (tests/plugin_kit/test_conformance.py) once."""
    import pandas as pd

    from remarkit.demo import DEFAULT_SEED
    from remarkit.demo.acquisition import add_second_laboratory
    from remarkit.engine.api import prepare, run_prepared
    from remarkit.engine.plugin_manager import make_plugin_manager
    from remarkit.testing import add_units, write_synthetic_study

    sys.path.insert(0, str(ROOT))
    from tests.plugin_kit.test_conformance import CATALOGUE

    spec = write_synthetic_study(work / "study", patients=80, genomics=True)
    table = spec.parent / "cohort.csv"
    add_second_laboratory(pd.read_csv(table), seed=DEFAULT_SEED).to_csv(table, index=False)
    with spec.open("a", encoding="utf-8") as handle:
        handle.write('\n[cohort.variables.afp_baseline_lab2]\ntype = "continuous"\n')
    spec = add_units(spec, CATALOGUE, name="all")
    out = work / "out"
    run_prepared(prepare(spec, make_plugin_manager(entry_points=[])), out, use_cache=False)
    return out / "results.json"


def main(argv: list[str] | None = None) -> int:
    """Record from the catalogue and/or the given results files."""
    from remarkit.engine.plugin_manager import make_plugin_manager

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="*", type=Path, help="results.json files")
    parser.add_argument("--catalogue", action="store_true", help="run the catalogue study")
    args = parser.parse_args(argv)
    registry = make_plugin_manager(entry_points=[]).units()
    builtin = {n for n, o in registry.origins.items() if o.distribution == "remarkit"}
    RECORDED.mkdir(parents=True, exist_ok=True)
    done: set[str] = set()
    files = list(args.results)
    with tempfile.TemporaryDirectory() as tmp:
        if args.catalogue:
            files.insert(0, catalogue_results(Path(tmp)))
        for results_file in files:
            names = record_results(results_file, builtin, done)
            print(f"{results_file}: recorded {', '.join(sorted(names)) or 'nothing new'}")
    missing = sorted(builtin - {p.stem for p in RECORDED.glob("*.json")})
    if missing:
        print(f"no recording yet: {', '.join(missing)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
