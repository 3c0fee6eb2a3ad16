"""The demo's evaluator [[unit]] tables: the reference paper's Table 3, Table S5, Figures 4-5.

Discrimination, comparison, calibration and decision curves cover the clinical models
(``logistic_model`` units ``clinical_no_afp`` and ``clinical_afp``) and the four phase scores;
survival and group comparisons the clinical and integrated clinical-radiomics models.
"""

from typing import Any


def _scores(*columns: tuple[str, str]) -> list[dict[str, str]]:
    return [{"column": column, "label": label} for column, label in columns]


_CLINICAL = (
    ("clinical_no_afp.probability", "Clinical model without AFP response"),
    ("clinical_afp.probability", "Clinical model with AFP response"),
)
_INTEGRATED = (
    ("integrated_no_afp.probability", "Integrated model without AFP response"),
    ("integrated_afp.probability", "Integrated model with AFP response"),
)
#: The integrated clinical-radiomics models' probabilities.
INTEGRATED_SCORES = _scores(*_INTEGRATED)
#: The clinical and the integrated clinical-radiomics models' probabilities.
CLINICAL_SCORES = _scores(*_CLINICAL, *_INTEGRATED)
#: Every model's score: clinical, phase scores, integrated radiomics and integrated models.
ALL_SCORES = _scores(
    *_CLINICAL,
    ("a_radiomics.score", "A-radiomics"),
    ("p_radiomics.score", "P-radiomics"),
    ("a_cnn.score", "A-CNN"),
    ("p_cnn.score", "P-CNN"),
    ("integrated_radiomics.probability", "Integrated radiomics model"),
    *_INTEGRATED,
)
#: Survival times (months) of the numbers-at-risk rows.
RISK_TIMES = [0, 12, 24, 36, 48, 60]

EVALUATOR_UNITS: list[dict[str, Any]] = [
    {"id": "performance", "use": "discrimination", "subgroup": "regimen", "scores": ALL_SCORES},
    {"id": "auc_comparison", "use": "model_comparison", "scores": ALL_SCORES},
    {"id": "calibration", "use": "calibration", "scores": ALL_SCORES},
    {
        "id": "survival_by_model",
        "use": "survival_stratification",
        "scores": CLINICAL_SCORES,
        "risk_times": RISK_TIMES,
    },
    {
        "id": "scores_by_resection",
        "use": "group_comparison",
        "group": "resection",
        "subset": [{"outcome": "positive"}],
        "scores": CLINICAL_SCORES,
    },
    {
        "id": "scores_by_pcr",
        "use": "group_comparison",
        "group": "pcr",
        "subset": [{"column": "resection", "levels": ["Yes"]}],
        "scores": CLINICAL_SCORES,
    },
    {
        "id": "scores_by_mrecist",
        "use": "group_comparison",
        "group": "mrecist",
        "scores": CLINICAL_SCORES,
    },
    {"id": "decision_curves", "use": "decision_curve", "population": "test", "scores": ALL_SCORES},
    {
        "id": "internal_validation",
        "use": "internal_validation",
        "n_boot": 200,
        "models": [
            {
                "label": "Clinical model without AFP response",
                "predictors": ["platelets", "dilated_vasculature"],
            },
            {
                "label": "Clinical model with AFP response",
                "predictors": ["afp.response", "platelets", "dilated_vasculature"],
            },
        ],
    },
]
