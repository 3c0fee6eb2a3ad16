"""Reference values for ``remarkit.stats.ssgsea(..., variant="gseapy")``.

Scores the data written by ``ssgsea.R`` (``ssgsea_expression.csv``, ``ssgsea_gene_sets.csv``)
with gseapy's own ``ssgsea`` and writes ``ssgsea_expected_gseapy.csv`` (normalised scores, NES)
and ``ssgsea_expected_gseapy_es.csv`` (raw ES), 17 significant digits.
Run from the repository root: ``.venv/bin/python tests/reference/ssgsea_gseapy.py``
(needs ``pip install gseapy``; the tests only read the CSV files).
"""

from __future__ import annotations

from pathlib import Path

import gseapy
import pandas as pd

HERE = Path(__file__).resolve().parent


def main() -> None:
    """Run gseapy on the R-generated data and write the expected scores."""
    expression = pd.read_csv(HERE / "ssgsea_expression.csv", index_col=0)
    long = pd.read_csv(HERE / "ssgsea_gene_sets.csv")
    gene_sets = {name: list(g) for name, g in long.groupby("set", sort=False)["gene"]}
    result = gseapy.ssgsea(
        data=expression,
        gene_sets=gene_sets,
        outdir=None,
        sample_norm_method="rank",
        correl_norm_type="rank",
        weight=0.25,
        min_size=1,
        max_size=100_000,
        permutation_num=0,
        threads=1,
        verbose=False,
    )
    table = result.res2d
    order = [s for s in gene_sets if s in set(table["Term"])]
    for column, suffix in (("NES", ""), ("ES", "_es")):
        wide = table.pivot(index="Term", columns="Name", values=column).astype(float)
        wide = wide.loc[order, expression.columns]
        wide.index.name = "set"
        out = wide.map(lambda v: f"{v:.17g}")
        out.to_csv(HERE / f"ssgsea_expected_gseapy{suffix}.csv")
    print(f"gseapy {gseapy.__version__}: {len(order)} sets scored")


if __name__ == "__main__":
    main()
