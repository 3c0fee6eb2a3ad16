"""The evidence rules of each REMARK item, as data (``RULES[item number]``).

Rules built from :mod:`remarkit.plugins.checklists.remark_content`; the judges that need more
than "a field is filled" or "a unit ran" are defined here, each with the item it serves.
"""

from __future__ import annotations

from remarkit import EvidenceRule
from remarkit.plugins.checklists.remark_content import (
    BASELINE,
    MULTIVARIABLE,
    Results,
    fitted_variables,
    marker_variables,
    ok_units,
    remark,
    result_of,
    stated,
    survival_run,
    unit_ran,
)
from remarkit.plugins.checklists.remark_rules import univariable_of_marker

R = "study.narrative.remark."
#: Units that check a model's assumptions or calibration (REMARK 18).
ASSUMPTION_CHECKS = ("calibration", "survival_calibration", "proportional_hazards")


def _flow_exclusions(results: Results) -> str | None:
    flow = (results.get("cohort") or {}).get("flow") or []
    if any(step.get("excluded") for step in flow):
        return None
    return "no step of [[cohort.flow]] gives the number excluded"


def _images_segmented(results: Results) -> str | None:
    imaging = any(True for _ in ok_units(results, "radiomics_score", "deep_score"))
    if not imaging or remark(results, "segmentation"):
        return None
    return "images were analysed but [study.narrative.remark] segmentation is empty"


def _reproducibility(results: Results) -> str | None:
    cohort = results.get("cohort") or {}
    lacking = []
    if cohort.get("semantic") and not any(True for _ in ok_units(results, "semantic_agreement")):
        lacking.append("semantic features without reader agreement (semantic_agreement)")
    for unit in ok_units(results, "radiomics_score"):
        if not result_of(unit).get("reproducibility"):
            lacking.append(f"radiomics unit {unit['id']} without a second segmentation")
    markers = [u["id"] for u in ok_units(results, "marker_response")]
    repeated = any(True for _ in ok_units(results, "marker_reproducibility"))
    if markers and not repeated:
        lacking.append("the marker was not measured twice (marker_reproducibility)")
    return "; ".join(lacking) or None


def _blinding(results: Results) -> str | None:
    if remark(results, "blinding"):
        return None
    for unit in ok_units(results, "semantic_agreement"):
        if result_of(unit).get("blinding"):
            return None
    return "blinding to the outcome is not stated ([study.narrative.remark] blinding)"


def _survival_origin(results: Results) -> str | None:
    endpoints = (results.get("cohort") or {}).get("endpoints") or []
    if not endpoints and survival_run(results):
        return "a survival analysis ran but results.json records no survival endpoint"
    lacking = [str(e.get("name")) for e in endpoints if not str(e.get("origin", "")).strip()]
    if lacking:
        return f"no time origin for {', '.join(lacking)} (set origin under [cohort.survival])"
    return None


def _follow_up(results: Results) -> str | None:
    if not survival_run(results):
        return None
    if any(True for _ in ok_units(results, "survival_stratification", "univariable_cox")):
        return None
    return "no survival unit reports the median follow-up (survival_stratification does)"


def _epv(results: Results) -> str | None:
    for unit in ok_units(results):
        if result_of(unit).get("epv") is not None:
            return None
    return "no model reports its events per variable"


def _missing_data(results: Results) -> str | None:
    if remark(results, "missing_data"):
        return None
    if any((result_of(u).get("missing_data") or {}).get("method") for u in ok_units(results)):
        return None
    return (
        "no unit records its missing-data method and [study.narrative.remark] missing_data is empty"
    )


def _cutoff(results: Results) -> str | None:
    for unit in ok_units(results):
        result = result_of(unit)
        if unit.get("name") == "marker_response" and not result.get("threshold_source"):
            return f"marker unit {unit['id']} does not say how its cut-off was chosen"
    return None


def _flow_counts(results: Results) -> str | None:
    flow = (results.get("cohort") or {}).get("flow") or []
    if flow and flow[-1].get("n") is not None:
        return None
    return "the last [[cohort.flow]] step does not give the number analysed"


def _events(results: Results) -> str | None:
    cohort = results.get("cohort") or {}
    if cohort.get("outcome") or survival_run(results):
        return (
            None
            if any(result_of(u).get("events") is not None for u in ok_units(results))
            else ("no analysis reports its number of events")
        )
    return None


def _baseline_missing(results: Results) -> str | None:
    for unit in ok_units(results, BASELINE):
        rows = result_of(unit).get("rows") or []
        if rows and all("missing" in (row.get("total") or {}) for row in rows):
            return None
    return "no baseline table gives the numbers of missing values"


def _marker_in_baseline(results: Results) -> str | None:
    markers = marker_variables(results)
    for unit in ok_units(results, BASELINE):
        if markers & {str(row.get("variable")) for row in result_of(unit).get("rows") or []}:
            return None
    return "no baseline table shows the distribution of a marker variable"


def _marker_by_groups(results: Results) -> str | None:
    markers = marker_variables(results)
    if not markers:
        return "no marker variable is known (set [study.narrative.remark] marker_variables)"
    for unit in ok_units(results, BASELINE, "group_comparison"):
        result = result_of(unit)
        if result.get("by") in markers or result.get("group") in markers:
            return None
    return (
        f"no baseline table or group comparison is split by a marker variable "
        f"({', '.join(sorted(markers))})"
    )


def _univariable_marker(results: Results) -> str | None:
    markers = marker_variables(results)
    for unit in ok_units(results, "univariable_logistic", "univariable_cox"):
        if unit.get("name") == "univariable_cox":
            # the Cox unit's own check: the marker named and fitted (a named, unfitted one is not)
            if result_of(unit).get("marker") in markers and univariable_of_marker(unit) is None:
                return None
        elif markers & fitted_variables(unit):
            return None
    return "no univariable analysis estimates the marker's effect"


def _km(results: Results) -> str | None:
    if not survival_run(results):
        return None
    markers = marker_variables(results)
    if any(result_of(u).get("marker") in markers for u in ok_units(results, "univariable_cox")):
        return None
    for unit in ok_units(results, "survival_stratification"):
        if markers & {str(s.get("column")) for s in result_of(unit).get("scores") or []}:
            return None
    return "no Kaplan-Meier analysis of the survival endpoint by the marker"


def _multivariable_marker(results: Results) -> str | None:
    markers = marker_variables(results)
    for unit in ok_units(results, *MULTIVARIABLE):
        fitted = fitted_variables(unit)
        if markers & fitted and len(fitted) >= 2:
            return None
    return "no multivariable model holds the marker and another variable"


def _adjusted(results: Results) -> str | None:
    standard = {str(v) for v in remark(results, "standard_variables") or []}
    if not standard:
        return "the standard prognostic variables are not named ([study.narrative.remark])"
    markers = marker_variables(results)
    reasons = []
    for unit in ok_units(results, *MULTIVARIABLE):
        result = result_of(unit)
        fitted = fitted_variables(unit)
        if unit.get("name") == "multivariable_cox":
            kept = {str(v) for v in result.get("adjust") or []}
        elif result.get("selection") == "univariable":
            kept = {str(v) for v in result.get("forced") or []}
            if not standard <= kept:
                reasons.append(
                    f"unit {unit['id']} selected its variables by univariable significance "
                    "instead of adjusting for the standard variables"
                )
                continue
        else:
            kept = fitted
        if markers & fitted and standard <= kept:
            return None
        reasons.append(f"unit {unit['id']} does not hold the marker and every standard variable")
    return "; ".join(reasons) or "no multivariable model was fitted"


def _assumptions(results: Results) -> str | None:
    if any(True for _ in ok_units(results, *ASSUMPTION_CHECKS)):
        return None
    return "no check of model assumptions or calibration ran"


def _whole_pipeline(results: Results) -> str | None:
    for unit in ok_units(results, "internal_validation"):
        if any(model.get("selection") for model in result_of(unit).get("models") or []):
            return None
    return (
        "no internal validation repeats the variable selection and the fit in each replicate "
        "(internal_validation: a model's selection)"
    )


RULES: dict[int, tuple[EvidenceRule, ...]] = {
    1: (
        stated("item1.marker", "study.markers", "the marker is named"),
        stated("item1.objective", "study.objective", "the objective is stated"),
        stated("item1.hypotheses", "study.hypotheses", "the pre-specified hypotheses are stated"),
    ),
    2: (
        stated("item2.patients", "study.narrative.patients", "patient source and eligibility"),
        EvidenceRule("item2.exclusions", "the flow gives the numbers excluded", _flow_exclusions),
    ),
    3: (
        stated("item3.regimens", R + "treatment_regimens", "the drugs or regimens are listed"),
        stated("item3.allocation", R + "treatment_allocation", "how treatment was chosen"),
    ),
    4: (
        stated("item4.material", "study.narrative.specimens", "the material (or images) used"),
        stated("item4.acquisition", R + "acquisition", "how specimens or images were acquired"),
        stated("item4.preservation", R + "preservation", "how they were preserved and stored"),
        EvidenceRule(
            "item4.segmentation", "how images were segmented", _images_segmented, conditional=True
        ),
    ),
    5: (
        stated("item5.protocol", "study.narrative.assay", "the assay or imaging protocol"),
        EvidenceRule(
            "item5.reproducibility",
            "each measurement's reproducibility is shown",
            _reproducibility,
            conditional=True,
        ),
        EvidenceRule("item5.blinding", "reading was blinded to the outcome", _blinding),
    ),
    6: (
        stated("item6.design", "study.design", "how cases were selected"),
        stated("item6.period", "study.period", "the period and end of follow-up"),
        EvidenceRule(
            "item6.follow_up", "the median follow-up is reported", _follow_up, conditional=True
        ),
    ),
    7: (
        stated("item7.endpoints", "study.endpoints", "every endpoint is defined"),
        EvidenceRule(
            "item7.time_origin",
            "every survival endpoint declares its time origin",
            _survival_origin,
            conditional=True,
        ),
    ),
    8: (stated("item8.variables", "cohort.variables", "the candidate variables are listed"),),
    9: (
        stated("item9.rationale", "study.narrative.sample_size", "the sample-size rationale"),
        EvidenceRule("item9.epv", "a model reports its events per variable", _epv),
    ),
    10: (
        unit_ran(
            "item10.methods",
            "analysis units wrote the Methods",
            *MULTIVARIABLE,
            "univariable_logistic",
            "univariable_cox",
            "logistic_model",
        ),
        stated("item10.variable_entry", R + "variable_entry", "how variables entered models"),
        EvidenceRule("item10.missing_data", "how missing data were handled", _missing_data),
    ),
    11: (
        EvidenceRule(
            "item11.marker_entry",
            "how the marker entered the analyses",
            lambda r: None if marker_variables(r) else "no marker variable is known",
        ),
        EvidenceRule("item11.cutoff", "how any cut-off was determined", _cutoff, conditional=True),
    ),
    12: (
        stated("item12.flow", "cohort.flow", "the flow of patients is given"),
        EvidenceRule("item12.counts", "the flow ends with the number analysed", _flow_counts),
        EvidenceRule(
            "item12.events", "the analyses give their numbers of events", _events, conditional=True
        ),
    ),
    13: (
        unit_ran("item13.baseline", "a baseline table ran", BASELINE),
        EvidenceRule(
            "item13.missing", "the numbers of missing values are given", _baseline_missing
        ),
        EvidenceRule("item13.marker", "the marker's distribution is shown", _marker_in_baseline),
    ),
    14: (
        EvidenceRule(
            "item14.marker_groups", "the marker against the standard variables", _marker_by_groups
        ),
    ),
    15: (
        EvidenceRule(
            "item15.marker", "a univariable estimate of the marker's effect", _univariable_marker
        ),
        EvidenceRule(
            "item15.km",
            "Kaplan-Meier curves of the marker for a survival endpoint",
            _km,
            conditional=True,
        ),
    ),
    16: (
        EvidenceRule(
            "item16.model",
            "a multivariable model with the marker and others",
            _multivariable_marker,
        ),
    ),
    17: (
        EvidenceRule(
            "item17.adjusted",
            "the marker adjusted for every standard variable, whether significant or not",
            _adjusted,
            essential=True,
        ),
    ),
    18: (
        EvidenceRule("item18.assumptions", "checks of assumptions or calibration", _assumptions),
        EvidenceRule(
            "item18.whole_pipeline",
            "a validation or sensitivity analysis that repeats the whole pipeline",
            _whole_pipeline,
        ),
    ),
    19: (
        stated("item19.interpretation", "study.narrative.interpretation", "an interpretation"),
        stated(
            "item19.limitations",
            "study.narrative.limitations",
            "the study's limitations",
            essential=True,
        ),
    ),
    20: (stated("item20.implications", "study.narrative.implications", "the implications"),),
}
