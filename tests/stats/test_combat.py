"""ComBat against R sva 3.46 (tests/reference/combat.R): fit, frozen application, bad input."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from remarkit import InputError, RemarkitWarning
from remarkit.modeling.combat import ComBatModel, Prior, apply_combat, fit_combat

REF = Path(__file__).resolve().parents[1] / "reference"
FEATURES = [f"f{i}" for i in range(1, 11)]
COVARIATES = ["age", "sex"]


def _data() -> pd.DataFrame:
    return pd.read_csv(REF / "combat_data.csv", index_col="id")


def _fit(data: pd.DataFrame, covariates: bool = True, prior: Prior = "parametric") -> ComBatModel:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RemarkitWarning)
        covariate_frame = data[COVARIATES] if covariates else None
        return fit_combat(data[FEATURES], data["batch"], covariate_frame, prior=prior)


def _apply(model: ComBatModel, data: pd.DataFrame) -> pd.DataFrame:
    covariates = data[COVARIATES] if model.covariates else None
    return apply_combat(model, data[FEATURES], data["batch"], covariates)


def _expected(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / f"combat_expected_{name}.csv", index_col="id")


def _close(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(got.columns) == FEATURES
    assert_allclose(got.loc[expected.index].to_numpy(), expected.to_numpy(), rtol=1e-6, atol=0)


@pytest.mark.parametrize(
    ("name", "covariates", "prior"),
    [
        ("cov", True, "parametric"),
        ("nocov", False, "parametric"),
        ("nonpar", True, "nonparametric"),
    ],
)
def test_fit_and_apply_on_the_same_data_equal_sva(
    name: str, covariates: bool, prior: Prior
) -> None:
    data = _data()
    model = _fit(data, covariates, prior)
    assert model.prior == prior
    _close(_apply(model, data), _expected(name))


def test_training_subset_equals_sva_and_frozen_test_rows_equal_r() -> None:
    data = _data()
    train, test = data[data["set"] == "train"], data[data["set"] == "test"]
    model = _fit(train)
    _close(_apply(model, train), _expected("train"))
    _close(_apply(model, test), _expected("frozen"))


def test_frozen_application_is_the_formula_with_training_estimates() -> None:
    data = _data()
    train, test = data[data["set"] == "train"], data[data["set"] == "test"]
    model = _fit(train)
    got = _apply(model, test)
    # by hand: m = grand mean + age * b_age + [sex == M] * b_sexM; z = (x - m) / sqrt(v);
    # adjusted = m + (z - gamma*) / sqrt(delta*) * sqrt(v)
    assert model.terms == ["age", "sex[M]"]
    for patient in test.index[:6]:
        row = test.loc[patient]
        b = model.batches.index(str(row["batch"]))
        for j, name in enumerate(model.adjusted):
            b_age, b_sex = (model.covariate_coefficients[t][j] for t in range(2))
            m = model.grand_mean[j] + row["age"] * b_age + (row["sex"] == "M") * b_sex
            v = model.pooled_variance[j]
            z = (row[name] - m) / np.sqrt(v)
            expected = m + (z - model.gamma_star[b][j]) / np.sqrt(model.delta_star[b][j]) * np.sqrt(
                v
            )
            assert got.loc[patient, name] == pytest.approx(expected, rel=1e-12)
    # the frozen model does not depend on which rows it is applied to with them
    together = _apply(model, data)
    assert_allclose(
        together.loc[train.index].to_numpy(), _apply(model, train).to_numpy(), rtol=1e-14
    )
    assert_allclose(together.loc[test.index].to_numpy(), got.to_numpy(), rtol=1e-14)


def test_a_feature_constant_within_a_batch_is_passed_through_with_a_warning() -> None:
    data = _data()
    with pytest.warns(RemarkitWarning, match="not harmonised: f10"):
        model = fit_combat(data[FEATURES], data["batch"], data[COVARIATES])
    assert model.unadjusted == ["f10"]
    assert "f10" not in model.adjusted
    assert_allclose(_apply(model, data)["f10"].to_numpy(), data["f10"].to_numpy(), rtol=0)


def test_json_round_trip_gives_the_same_model_and_output() -> None:
    data = _data()
    model = _fit(data)
    again = ComBatModel.model_validate_json(model.model_dump_json())
    assert again == model
    assert _apply(again, data).equals(_apply(model, data))


def test_non_finite_values_stay_non_finite_when_applied() -> None:
    data = _data()
    model = _fit(data)
    broken = data.copy()
    broken.iloc[0, broken.columns.get_loc("f1")] = np.nan
    out = _apply(model, broken)
    assert np.isnan(out.iloc[0]["f1"])
    assert np.isfinite(out.drop(index=out.index[0]).to_numpy()).all()


def test_a_batch_unseen_at_training_names_the_value_and_column() -> None:
    data = _data()
    model = _fit(data[data["batch"] != "C"])
    with pytest.raises(InputError, match=r"column 'batch': batch 'C' was not among") as err:
        _apply(model, data)
    assert "\n" not in str(err.value)


def test_a_batch_with_one_training_sample_is_an_error() -> None:
    data = _data()
    rows = data[(data["batch"] != "C") | (data.index == "S60")]
    with pytest.raises(InputError, match=r"column 'batch': batch\(es\) C \(1\) have fewer than 2"):
        _fit(rows)


@pytest.mark.filterwarnings("ignore::remarkit.errors.RemarkitWarning")
def test_bad_inputs_are_one_line_errors() -> None:
    data = _data()
    missing_batch = data["batch"].copy()
    missing_batch.iloc[3] = None
    with pytest.raises(InputError, match=r"column 'batch': missing batch value\(s\) \(rows S04\)"):
        fit_combat(data[FEATURES], missing_batch)
    confounded = data[COVARIATES].assign(site=data["batch"])
    with pytest.raises(InputError, match="confounded with the batch"):
        fit_combat(data[FEATURES], data["batch"], confounded)
    nonfinite = data[FEATURES].copy()
    nonfinite.iloc[5, 2] = np.inf
    with pytest.raises(
        InputError, match=r"column 'f3': 1 non-finite value\(s\) \(first: row S06\)"
    ):
        fit_combat(nonfinite, data["batch"])
    model = _fit(data)
    other = data.assign(sex=data["sex"].replace({"M": "X"}))
    with pytest.raises(InputError, match=r"column 'sex': level\(s\) \['X'\] were not among"):
        _apply(model, other)
    with pytest.raises(InputError, match="column 'f2': the ComBat model needs feature"):
        apply_combat(model, data[FEATURES].drop(columns="f2"), data["batch"], data[COVARIATES])
    with pytest.raises(InputError, match="column 'age': the ComBat model needs this covariate"):
        apply_combat(model, data[FEATURES], data["batch"], data[["sex"]])


def test_batch_difference_test_equals_r_kruskal_test() -> None:
    from remarkit.plugins.radiomics.harmonize import kruskal_by_batch

    data = _data()
    expected = pd.read_csv(REF / "combat_expected_kruskal.csv", index_col="feature")
    batch = data["batch"].astype(str)
    after = _apply(_fit(data), data)
    for when, frame in (("before", data[FEATURES]), ("after", after)):
        h, p = kruskal_by_batch(frame, batch)
        assert_allclose(h, expected[f"statistic_{when}"].to_numpy(), rtol=1e-9)
        assert_allclose(p, expected[f"p_{when}"].to_numpy(), rtol=1e-9)
