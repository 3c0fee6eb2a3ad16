"""The demo's integrator [[unit]] tables: the reference paper's Figure 4A models.

The integrated radiomics model combines the four phase scores (A-/P-radiomics, A-/P-CNN); the
integrated clinical-radiomics models add its linear predictor (the radiomics signature) to the
clinical predictors, without and with the AFP response. Each draws a nomogram and exports its
frozen model for ``remarkit apply``.
"""

from typing import Any

_SIGNATURE = "integrated_radiomics.linear_predictor"
_CLINICAL = ["platelets", "dilated_vasculature"]

INTEGRATOR_UNITS: list[dict[str, Any]] = [
    {
        "id": "integrated_radiomics",
        "use": "logistic_integrator",
        "title": "Integrated radiomics model",
        "variables": ["a_radiomics.score", "p_radiomics.score", "a_cnn.score", "p_cnn.score"],
        "labels": {
            "a_radiomics.score": "A-radiomics",
            "p_radiomics.score": "P-radiomics",
            "a_cnn.score": "A-CNN",
            "p_cnn.score": "P-CNN",
        },
    },
    {
        "id": "integrated_no_afp",
        "use": "logistic_integrator",
        "title": "Integrated model without AFP response",
        "variables": [_SIGNATURE, *_CLINICAL],
        "labels": {_SIGNATURE: "Radiomics signature"},
    },
    {
        "id": "integrated_afp",
        "use": "logistic_integrator",
        "title": "Integrated model with AFP response",
        "variables": [_SIGNATURE, "afp.response", *_CLINICAL],
        "labels": {_SIGNATURE: "Radiomics signature"},
    },
]
