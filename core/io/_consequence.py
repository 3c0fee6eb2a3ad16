"""Sequence Ontology consequences (VEP ``CSQ``, SnpEff ``ANN``) -> MAF ``Variant_Classification``.

The rules are vcf2maf's (``GetEffectPriority`` and ``GetVariantClassification``, vcf2maf 1.6):
a consequence such as ``missense_variant&splice_region_variant`` is reduced to its most severe
term, and the term is mapped to a MAF class using the variant type (INS/DEL) and whether the
length change is a multiple of three. A variant without annotation is ``Targeted_Region``, as
vcf2maf labels it.
"""

from __future__ import annotations

#: vcf2maf's severity rank of each SO term (lower = more severe); unknown terms rank 20.
EFFECT_PRIORITY: dict[str, int] = {
    "transcript_ablation": 1,
    "exon_loss_variant": 1,
    "splice_donor_variant": 2,
    "splice_acceptor_variant": 2,
    "stop_gained": 3,
    "frameshift_variant": 3,
    "stop_lost": 3,
    "start_lost": 4,
    "initiator_codon_variant": 4,
    "disruptive_inframe_insertion": 5,
    "disruptive_inframe_deletion": 5,
    "conservative_inframe_insertion": 5,
    "conservative_inframe_deletion": 5,
    "inframe_insertion": 5,
    "inframe_deletion": 5,
    "protein_altering_variant": 5,
    "missense_variant": 6,
    "conservative_missense_variant": 6,
    "rare_amino_acid_variant": 6,
    "transcript_amplification": 7,
    "splice_region_variant": 8,
    "start_retained_variant": 9,
    "stop_retained_variant": 9,
    "synonymous_variant": 9,
    "incomplete_terminal_codon_variant": 10,
    "coding_sequence_variant": 11,
    "mature_miRNA_variant": 11,
    "exon_variant": 11,
    "5_prime_UTR_variant": 12,
    "5_prime_UTR_premature_start_codon_gain_variant": 12,
    "3_prime_UTR_variant": 12,
    "non_coding_exon_variant": 13,
    "non_coding_transcript_exon_variant": 13,
    "non_coding_transcript_variant": 14,
    "nc_transcript_variant": 14,
    "intron_variant": 14,
    "intragenic_variant": 14,
    "INTRAGENIC": 14,
    "NMD_transcript_variant": 15,
    "upstream_gene_variant": 16,
    "downstream_gene_variant": 16,
    "TFBS_ablation": 17,
    "TFBS_amplification": 17,
    "TF_binding_site_variant": 17,
    "regulatory_region_ablation": 17,
    "regulatory_region_amplification": 17,
    "regulatory_region_variant": 17,
    "regulatory_region": 17,
    "feature_elongation": 18,
    "feature_truncation": 18,
    "intergenic_variant": 19,
    "intergenic_region": 19,
}
UNKNOWN_PRIORITY = 20
UNANNOTATED = "Targeted_Region"

_DIRECT: dict[str, str] = {
    "splice_acceptor_variant": "Splice_Site",
    "splice_donor_variant": "Splice_Site",
    "transcript_ablation": "Splice_Site",
    "exon_loss_variant": "Splice_Site",
    "stop_gained": "Nonsense_Mutation",
}
_LATER: dict[str, str] = {
    "missense_variant": "Missense_Mutation",
    "coding_sequence_variant": "Missense_Mutation",
    "conservative_missense_variant": "Missense_Mutation",
    "rare_amino_acid_variant": "Missense_Mutation",
    "transcript_amplification": "Intron",
    "intron_variant": "Intron",
    "INTRAGENIC": "Intron",
    "intragenic_variant": "Intron",
    "splice_region_variant": "Splice_Region",
    "incomplete_terminal_codon_variant": "Silent",
    "synonymous_variant": "Silent",
    "stop_retained_variant": "Silent",
    "NMD_transcript_variant": "Silent",
    "mature_miRNA_variant": "RNA",
    "exon_variant": "RNA",
    "non_coding_exon_variant": "RNA",
    "non_coding_transcript_exon_variant": "RNA",
    "non_coding_transcript_variant": "RNA",
    "nc_transcript_variant": "RNA",
    "5_prime_UTR_variant": "5'UTR",
    "5_prime_UTR_premature_start_codon_gain_variant": "5'UTR",
    "3_prime_UTR_variant": "3'UTR",
    "TF_binding_site_variant": "IGR",
    "regulatory_region_variant": "IGR",
    "regulatory_region": "IGR",
    "intergenic_variant": "IGR",
    "intergenic_region": "IGR",
    "upstream_gene_variant": "5'Flank",
    "downstream_gene_variant": "3'Flank",
}


def effect_priority(term: str) -> int:
    """vcf2maf's severity rank of one SO term."""
    return EFFECT_PRIORITY.get(term, UNKNOWN_PRIORITY)


def most_severe(consequence: str) -> str:
    """The most severe term of an ``&``-joined consequence (first listed on a tie)."""
    terms = [t.strip() for t in consequence.split("&") if t.strip()]
    if not terms:
        return ""
    return min(terms, key=effect_priority)


def variant_classification(effect: str, var_type: str, inframe: bool) -> str:
    """vcf2maf's ``GetVariantClassification`` for one SO term."""
    if not effect:
        return UNANNOTATED
    if effect in _DIRECT:
        return _DIRECT[effect]
    altering = effect == "protein_altering_variant"
    if effect == "frameshift_variant" or (altering and not inframe):
        if var_type == "DEL":
            return "Frame_Shift_Del"
        if var_type == "INS":
            return "Frame_Shift_Ins"
    if effect == "stop_lost":
        return "Nonstop_Mutation"
    if effect in ("initiator_codon_variant", "start_lost"):
        return "Translation_Start_Site"
    if effect.endswith("inframe_insertion") or (altering and inframe and var_type == "INS"):
        return "In_Frame_Ins"
    if effect.endswith("inframe_deletion") or (altering and inframe and var_type == "DEL"):
        return "In_Frame_Del"
    return _LATER.get(effect, UNANNOTATED)
