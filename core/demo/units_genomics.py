"""The demo's radiogenomics [[unit]] tables (the reference paper's Figure 6 and Figure S8).

The paper scores its radiogenomics cohort with the frozen integrated radiomics model; until the
integrator exists the demo relates the genomics of its 36 genomic patients to the clinical model's
probability (``clinical_afp.probability``), split at its median into "DCB" and "Non-DCB".
"""

_SCORE = """score = "clinical_afp.probability"
score_label = "Clinical model probability"
"""

_GROUPS = """high_label = "DCB"
low_label = "Non-DCB"
"""

#: TOML text of the radiogenomics units.
GENOMICS_UNITS = f"""
[[unit]]
id = "gene_sets"
use = "ssgsea_association"
{_SCORE}method = "spearman"
significance = "q"
alpha = 0.05
collection_labels = ["Hallmark gene sets (synthetic)", "Immune gene sets (synthetic)"]

[[unit]]
id = "tmb"
use = "mutation_burden"
{_SCORE}{_GROUPS}top_n = 10

[[unit]]
id = "neoantigens"
use = "neoantigen_load"
{_SCORE}{_GROUPS}"""
