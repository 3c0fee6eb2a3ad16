"""Where the public validation data of ``shared/data`` are (the folder beside the checkout).

CI clones the repository into some folder with a copy of ``shared/`` beside it; developers have
it at ``/work/shared``. ``REMARKIT_SHARED_DATA`` overrides both. Tests that need the data skip when
it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

_REPO = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path:
    """The ``shared/data`` folder: $REMARKIT_SHARED_DATA, else beside the checkout, else /work."""
    if "REMARKIT_SHARED_DATA" in os.environ:
        return Path(os.environ["REMARKIT_SHARED_DATA"])
    beside = _REPO.parent / "shared" / "data"
    return beside if beside.is_dir() else Path("/work/shared/data")


#: The GBSG and Rotterdam breast cancer cohorts.
BREAST = shared_data_dir() / "breast"
