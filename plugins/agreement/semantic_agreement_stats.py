"""Per feature and set: percentage agreement, Cohen's kappa of each reader pair, disagreements.

Every statistic comes from :mod:`remarkit.stats`; this module only selects the patients (those
scored by the readers compared: complete pairs) and shapes the results.
"""

from __future__ import annotations

import itertools

import pandas as pd

from remarkit.engine.semantic.methods import rule_text
from remarkit.engine.semantic.records import SemanticRecord
from remarkit.plugins.agreement.semantic_agreement_result import (
    Disagreement,
    FeatureAgreement,
    KappaEstimate,
    MultiRaterAgreement,
    PairAgreement,
    Set,
)


def _weights(record: SemanticRecord) -> list[str | None]:
    return ["linear", "quadratic"] if record.scale == "ordinal" else [None]


def pair_agreement(
    record: SemanticRecord, a: pd.Series, b: pd.Series, level: float
) -> tuple[PairAgreement, str | None]:
    """Cohen's kappa(s) of two readers on their complete pairs, and why kappa is undefined."""
    from remarkit.stats import cohen_kappa

    kappas: list[KappaEstimate] = []
    first = None
    undefined = None
    for weights in _weights(record):
        res = cohen_kappa(a, b, weights=weights, level=level, levels=record.levels)
        first = first or res
        if res.undefined is not None:
            undefined = res.undefined
            continue
        assert res.estimate is not None and res.se is not None
        assert res.lower is not None and res.upper is not None
        kappas.append(
            KappaEstimate(
                weights="none" if weights is None else weights,
                estimate=res.estimate,
                se=res.se,
                lower=res.lower,
                upper=res.upper,
                observed=res.observed,
                expected=res.expected,
            )
        )
    assert first is not None
    pair = PairAgreement(
        reader_a=str(a.name),
        reader_b=str(b.name),
        n=first.n,
        n_missing=first.n_missing,
        agreement=first.agreement,
        kappas=kappas,
        prevalence_index=first.prevalence_index,
        bias_index=first.bias_index,
        pabak=first.pabak,
        table=[[int(v) for v in row] for row in first.table.to_numpy()],
    )
    return pair, undefined


def feature_agreement(
    record: SemanticRecord,
    scores: pd.DataFrame,
    which: Set,
    set_name: str,
    level: float,
) -> FeatureAgreement:
    """The agreement of the feature's readers on the patients of ``scores`` (one set)."""
    readers = scores[record.readers]
    complete = readers.notna().all(axis=1)
    scored = readers.notna().any(axis=1)
    agree = readers[complete].nunique(axis=1) == 1
    pairs = []
    undefined = None
    for a, b in itertools.combinations(record.readers, 2):
        pair, why = pair_agreement(record, readers[a], readers[b], level)
        pairs.append(pair)
        undefined = undefined or why
    multi, why = multi_rater(record, readers)
    undefined = undefined or why
    return FeatureAgreement(
        feature=record.name,
        label=record.label or record.name,
        set=which,
        set_name=set_name,
        scale=record.scale,
        levels=list(record.levels),
        readers=list(record.readers),
        consensus=rule_text(record),
        n=int(complete.sum()),
        n_incomplete=int((scored & ~complete).sum()),
        agreement=float(agree.mean()) if len(agree) else float("nan"),
        pairs=pairs,
        multi=multi,
        undefined=undefined,
    )


def multi_rater(
    record: SemanticRecord, readers: pd.DataFrame
) -> tuple[list[MultiRaterAgreement], str | None]:
    """Fleiss' kappa (more than two readers) and Krippendorff's alpha (always), when defined."""
    from remarkit.stats import fleiss_kappa, krippendorff_alpha

    found: list[MultiRaterAgreement] = []
    undefined = None
    if len(record.readers) > 2:
        fleiss = fleiss_kappa(readers, levels=record.levels)
        if fleiss.undefined is None:
            assert fleiss.estimate is not None
            found.append(
                MultiRaterAgreement(
                    statistic="fleiss_kappa",
                    estimate=fleiss.estimate,
                    se=fleiss.se,
                    z=fleiss.z,
                    p_value=fleiss.p_value,
                    n=fleiss.n,
                )
            )
        undefined = fleiss.undefined
    alpha = krippendorff_alpha(readers, level_of_measurement=record.scale, levels=record.levels)
    if alpha.undefined is None:
        assert alpha.estimate is not None
        found.append(
            MultiRaterAgreement(
                statistic="krippendorff_alpha", estimate=alpha.estimate, n=alpha.n_units
            )
        )
    return found, undefined or alpha.undefined


def disagreements(
    record: SemanticRecord, scores: pd.DataFrame, consensus: pd.Series
) -> list[Disagreement]:
    """Patients whose readers gave different levels (missing scores aside), in cohort order."""
    readers = scores[record.readers]
    differ = readers.nunique(axis=1) > 1
    return [
        Disagreement(
            patient=str(pid),
            feature=record.name,
            levels=[None if pd.isna(v) else str(v) for v in readers.loc[pid]],
            consensus=None if pd.isna(consensus.loc[pid]) else str(consensus.loc[pid]),
        )
        for pid in readers.index[differ]
    ]
