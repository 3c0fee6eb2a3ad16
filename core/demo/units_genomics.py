"""The demo's radiogenomics [[unit]] tables (the reference paper's Figure 6 and Figure S8).

As in the paper, the radiogenomics cohort (36 patients with CT, RNA and DNA) is scored with the
frozen integrated radiomics model (``remarkit apply``); its probability is split at the median
into "DCB" and "Non-DCB" groups.
"""

from typing import Any

_SCORE = {"score": "integrated_radiomics.probability", "score_label": "Integrated radiomics model"}
_GROUPS = {"high_label": "DCB", "low_label": "Non-DCB"}

#: The radiogenomics units.
GENOMICS_UNITS: list[dict[str, Any]] = [
    {
        "id": "gene_sets",
        "use": "ssgsea_association",
        **_SCORE,
        "method": "spearman",
        "significance": "q",
        "alpha": 0.05,
        "collection_labels": ["Hallmark gene sets (synthetic)", "Immune gene sets (synthetic)"],
    },
    {"id": "tmb", "use": "mutation_burden", **_SCORE, **_GROUPS, "top_n": 10},
    {"id": "neoantigens", "use": "neoantigen_load", **_SCORE, **_GROUPS},
]
