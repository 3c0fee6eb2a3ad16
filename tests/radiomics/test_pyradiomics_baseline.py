"""pyradiomics' own test cases through remarkit's extraction equal pyradiomics' baseline values.

The baseline (``baseline/baseline_<class>.csv`` in pyradiomics' ``data/``) holds, per test case
and configuration column (e.g. ``brain1_resampling``), the settings used
(``diagnostics_Configuration_Settings``), the enabled image types and the expected value of every
feature. Each column is extracted once through :func:`extract_features` with those settings and
every feature is compared with pyradiomics' tolerance (3% relative). The data live in
``../shared/data/pyradiomics`` (or ``$REMARKIT_SHARED_DATA/pyradiomics``); the lung1/lung2
images ship only in pyradiomics' sdist: point ``$REMARKIT_PYRADIOMICS_DATA`` at its ``data/``.
Tests skip, with the reason, where the files are absent.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pandas as pd
import pytest
import SimpleITK as sitk  # noqa: N813 - the conventional alias

from remarkit.plugins.radiomics.extraction import extract_features
from remarkit.plugins.radiomics.settings import load_settings
from tests.radiomics.study import find_case, pyradiomics_data

pytest.importorskip("radiomics")

TOLERANCE = 0.03
CASES = ("brain1", "brain2", "breast1", "lung1", "lung2")


def _baseline() -> dict[str, pd.DataFrame]:
    for folder in pyradiomics_data():
        files = sorted((folder / "baseline").glob("baseline_*.csv"))
        if files:
            return {f.stem.removeprefix("baseline_"): pd.read_csv(f, index_col=0) for f in files}
    return {}


def _params(tmp_path: Path, column: str, tables: dict[str, pd.DataFrame]) -> tuple[Path, dict]:
    first = next(t[column] for t in tables.values() if column in t.columns)
    settings = ast.literal_eval(first["diagnostics_Configuration_Settings"])
    image_types = ast.literal_eval(first["diagnostics_Configuration_EnabledImageTypes"])
    classes = {name: None for name, t in tables.items() if column in t.columns}
    data = {
        "setting": {k: v for k, v in settings.items() if v is not None and k != "correctMask"},
        "imageType": image_types,
        "featureClass": classes,
    }
    path = tmp_path / f"{column}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path, settings


def _case_mask(mask: sitk.Image, column: str, tables: dict[str, pd.DataFrame]) -> sitk.Image:
    """The label, or for the '<case>_2D' test cases the one slice pyradiomics' tests keep.

    pyradiomics' test utilities cut one axial slice of the label and let ``correctMask``
    resample it onto the image; the baseline records that slice in the corrected mask's bounding
    box. The same mask is built here on the image grid.
    """
    first = next(t[column] for t in tables.values() if column in t.columns)
    if not str(first["diagnostics_Configuration_TestCase"]).endswith("_2D"):
        return mask
    box = ast.literal_eval(first["diagnostics_Mask-corrected_BoundingBox"])
    array = sitk.GetArrayFromImage(mask)
    keep = array[box[2]].copy()
    array[:] = 0
    array[box[2]] = keep
    assert int((array == 1).sum()) == int(first["diagnostics_Mask-corrected_VoxelNum"])
    sliced = sitk.GetImageFromArray(array)
    sliced.CopyInformation(mask)
    return sliced


@pytest.mark.parametrize("case", CASES)
def test_baseline_values(case: str, tmp_path: Path) -> None:
    tables = _baseline()
    if not tables:
        pytest.skip("pyradiomics baseline not found: ../shared/data/pyradiomics is absent")
    found = find_case(case)
    if found is None:
        pytest.skip(
            f"{case} image not found (lung1/lung2 ship in pyradiomics' sdist: set "
            "REMARKIT_PYRADIOMICS_DATA to its data/ folder)"
        )
    image, mask = (sitk.ReadImage(str(p)) for p in found)
    columns = sorted(
        {c for t in tables.values() for c in t.columns if c == case or c.startswith(f"{case}_")}
    )
    assert columns, f"no baseline column for {case}"
    worst: tuple[float, str, str] = (0.0, "", "")
    compared = 0
    for column in columns:
        path, settings = _params(tmp_path, column, tables)
        ours, _ = extract_features(
            image,
            _case_mask(mask, column, tables),
            load_settings(path, label=int(settings.get("label", 1)), tolerance=1e-3),
        )
        for name, table in tables.items():
            if column not in table.columns:
                continue
            expected = table[column][table.index.str.startswith(f"original_{name}_")].dropna()
            for feature, value in expected.items():
                assert feature in ours, f"{column}: {feature} not extracted"
                reference, got = float(value), ours[feature]
                diff = abs(got - reference) / abs(reference) if reference != 0 else abs(got)
                compared += 1
                if diff > worst[0]:
                    worst = (diff, column, str(feature))
                assert diff <= TOLERANCE, (column, feature, got, reference)
    print(
        f"{case}: {compared} baseline values in {len(columns)} configurations; largest relative "
        f"difference {worst[0]:.2e} ({worst[1]}: {worst[2]})"
    )
