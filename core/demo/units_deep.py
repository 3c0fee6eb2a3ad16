"""The demo's deep-learning [[unit]] tables: one deep_score per CT phase (A-CNN and P-CNN).

The phantoms are 64 x 64 pixels of 2.5 mm, so a 48-pixel input keeps about their native
resolution over the liver's box. A higher learning rate than the default and a longer patience
suit the phantoms' faint texture signal; early stopping keeps the run short.
"""

from typing import Any

#: Settings both phases share.
_SETTINGS = {"size": 48, "learning_rate": 0.003, "max_epochs": 30, "patience": 8}

DEEP_UNITS: list[dict[str, Any]] = [
    {"id": "a_cnn", "use": "deep_score", "phase": "arterial", **_SETTINGS},
    {"id": "p_cnn", "use": "deep_score", "phase": "portal", **_SETTINGS},
]
