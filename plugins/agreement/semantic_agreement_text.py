"""The Methods paragraph of semantic_agreement."""

from __future__ import annotations

import re

from remarkit.plugins.agreement.semantic_agreement_result import SemanticAgreementResult


def blinding_sentence(assay: str) -> str:
    """The sentences (or ';' clauses) of ``[study.narrative] assay`` on blinding, else ''."""
    clauses = [
        c.strip().rstrip(".")
        for sentence in re.split(r"(?<=[.!?])\s+", assay.strip())
        for c in sentence.split(";")
    ]
    found = [c[:1].upper() + c[1:] for c in clauses if re.search(r"\bblind", c, re.IGNORECASE)]
    return " ".join(f"{c}." for c in found)


def methods_text(result: SemanticAgreementResult) -> str:
    """Readers, blinding, consensus, the statistics and the complete-pair rule."""
    firsts = {f.feature: f for f in reversed(result.features)}
    features = [firsts[name] for name in dict.fromkeys(f.feature for f in result.features)]
    counts = sorted({len(f.readers) for f in features})
    readers = " or ".join(str(c) for c in counts)
    names = ", ".join(f"{f.label} ({f.feature})" for f in features)
    pct = round(100 * result.level)
    parts = [
        f"{len(features)} semantic feature(s) ({names}) were each scored by {readers} readers."
    ]
    if result.blinding:
        parts.append(result.blinding)
    rules = sorted({re.sub(r" \(column [^)]*\)", "", f.consensus) for f in features})
    parts.append("The consensus analysed was " + "; or ".join(rules) + ".")
    ordinal = any(f.scale == "ordinal" for f in features)
    nominal = any(f.scale == "nominal" for f in features)
    kinds = []
    if nominal:
        kinds.append("unweighted for nominal features")
    if ordinal:
        kinds.append("with linear and with quadratic agreement weights for ordinal features")
    parts.append(
        "Inter-reader agreement was measured by the percentage of patients given the same level "
        f"and Cohen's kappa ({' and '.join(kinds)}) with its large-sample standard error "
        f"(Fleiss, Cohen and Everitt) and {pct}% confidence interval, as R's psych::cohen.kappa."
    )
    if any(p.pabak is not None for f in features for p in f.pairs):
        parts.append(
            "For binary features, where kappa can be low despite high agreement when one level "
            "is rare, the prevalence and bias indices and the prevalence- and bias-adjusted "
            "kappa (PABAK) of Byrt et al. are given."
        )
    if any(len(f.readers) > 2 for f in features):
        parts.append(
            "With more than two readers, kappa is given for every pair of readers, and Fleiss' "
            "kappa over all readers (on the patients every reader scored; standard error and "
            "z test under no agreement beyond chance, as R's irr::kappam.fleiss)."
        )
    if any(s.statistic == "krippendorff_alpha" for f in features for s in f.multi):
        parts.append(
            "Krippendorff's alpha (nominal or ordinal metric, as the feature's scale) used every "
            "patient scored by at least two readers."
        )
    parts.append(
        "Percentage agreement and kappa used the patients scored by the readers compared "
        "(complete pairs); a patient with a reader's score missing was left out of that "
        "comparison."
    )
    return " ".join(parts)
