"""The radiomics score's out-of-fold training scores (score_oof): selection and XGBoost refitted
within each fold, so a patient's out-of-fold score never depends on its own outcome."""

from __future__ import annotations

import numpy as np
import pandas as pd

from remarkit.modeling.crossfit import crossfit_folds
from remarkit.plugins.radiomics.model import cross_validated_auc
from remarkit.plugins.radiomics.params import RadiomicsParams

PARAMS = RadiomicsParams(phase="arterial", n_estimators=20, lasso_cs=5, lasso_folds=3, cv_folds=3)


def _features(n: int = 60, p: int = 12) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(4)
    x = rng.normal(size=(n, p))
    y = (x[:, 0] + 0.5 * x[:, 1] + rng.normal(scale=1.0, size=n) > 0).astype(int)
    return pd.DataFrame(x, columns=[f"f{i}" for i in range(p)]), y


def test_out_of_fold_scores_ignore_own_outcome_and_repeat() -> None:
    x, y = _features()
    folds = crossfit_folds(y, PARAMS.cv_folds, seed=11)
    auc, per_fold, oof = cross_validated_auc(x, y, PARAMS, 3, folds)
    _, _, again = cross_validated_auc(x, y, PARAMS, 3, folds)
    assert np.array_equal(oof, again)
    assert len(per_fold) == 3 and 0.5 < auc <= 1.0
    held = folds == 1
    flipped = y.copy()
    flipped[held] = 1 - flipped[held]
    _, _, after = cross_validated_auc(x, flipped, PARAMS, 3, folds)
    assert np.array_equal(oof[held], after[held])
    assert not np.allclose(oof[~held], after[~held])
