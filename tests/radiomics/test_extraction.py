"""Cropped extraction equals pyradiomics' uncropped extraction within pyradiomics' 3% tolerance."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pytest
import SimpleITK as sitk  # noqa: N813 - the conventional alias

from remarkit import InputError
from remarkit.plugins.radiomics.cases import CaseTask, case_key, extract_case, read_cached
from remarkit.plugins.radiomics.extraction import CaseError, extract_features, prepare
from remarkit.plugins.radiomics.settings import DEFAULT_PARAMS, load_settings
from tests.radiomics.study import find_case

radiomics = pytest.importorskip("radiomics")
from radiomics import featureextractor  # noqa: E402

TOLERANCE = 0.03  # pyradiomics' own test tolerance (relative)

PARAMS = {
    "resampled": {"resampledPixelSpacing": [1.0, 1.0, 1.0], "interpolator": "sitkBSpline"},
    "native": {},
    "anisotropic": {"resampledPixelSpacing": [0.7, 0.7, 0], "interpolator": "sitkBSpline"},
}


def _yaml(tmp_path: Path, setting: Mapping[str, object], image_types: str) -> Path:
    lines = ["imageType:", image_types, "featureClass:"]
    lines += [f"  {c}:" for c in ("shape", "firstorder", "glcm", "glszm", "gldm")]
    lines += ["setting:", "  binWidth: 25"]
    lines += [f"  {k}: {json.dumps(v)}" for k, v in setting.items()]
    path = tmp_path / "params.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


FILTERS = "  Original: {}\n  LoG:\n    sigma: [1.0, 3.0]\n  Wavelet: {}"


def _volume(centre: tuple[int, int, int], radius: float = 7.0) -> tuple[sitk.Image, sitk.Image]:
    """A 140 x 120 x 36 CT-like volume (0.8 x 0.8 x 2.5 mm) with a textured lesion at ``centre``."""
    rng = np.random.default_rng(3)
    z, y, x = np.indices((36, 120, 140), dtype=float)
    body = 40 + 30 * np.sin(x / 9.0) * np.cos(y / 7.0) + rng.normal(0, 15, z.shape)
    cz, cy, cx = centre
    r = np.sqrt(((z - cz) * 2.5) ** 2 + ((y - cy) * 0.8) ** 2 + ((x - cx) * 0.8) ** 2)
    lesion = r < radius
    body[lesion] += 60 + 40 * np.sin(r[lesion] * 1.7)
    image = sitk.GetImageFromArray(body.round().astype(np.int16))
    mask = sitk.GetImageFromArray(lesion.astype(np.uint8))
    for item in (image, mask):
        item.SetSpacing((0.8, 0.8, 2.5))
        item.SetOrigin((-50.0, 20.0, 100.0))
    return image, mask


def _compare(ours: dict[str, float], reference: dict[str, float]) -> tuple[str, float]:
    reference = {k: float(v) for k, v in reference.items() if not k.startswith("diagnostics_")}
    assert set(ours) == set(reference)
    worst, largest = "", 0.0
    for name, value in reference.items():
        scale = max(abs(value), 1e-9)
        diff = abs(ours[name] - value) / scale if abs(value) > 1e-9 else abs(ours[name] - value)
        if diff > largest:
            worst, largest = name, diff
    return worst, largest


@pytest.mark.parametrize("mode", sorted(PARAMS))
@pytest.mark.parametrize("centre", [(18, 60, 70), (2, 5, 136)], ids=["inside", "at-border"])
def test_cropped_matches_uncropped(tmp_path: Path, mode: str, centre: tuple[int, int, int]) -> None:
    image, mask = _volume(centre)
    path = _yaml(tmp_path, PARAMS[mode], FILTERS)
    ours, _ = extract_features(image, mask, load_settings(path, label=1, tolerance=1e-3))
    reference = featureextractor.RadiomicsFeatureExtractor(str(path)).execute(image, mask)
    worst, largest = _compare(ours, reference)
    print(
        f"{mode} {centre}: {len(ours)} features, largest relative difference {largest:.2e} ({worst})"
    )
    assert largest <= TOLERANCE, (worst, largest)
    cropped, _ = prepare(image, mask, load_settings(path, label=1, tolerance=1e-3))
    if centre[0] > 2:  # away from the borders the filters need far less than the volume
        assert np.prod(cropped.GetSize()) < 0.5 * np.prod(image.GetSize())


def test_whole_image_types_are_not_cropped(tmp_path: Path) -> None:
    image, mask = _volume((18, 60, 70))
    path = _yaml(tmp_path, {}, "  Original: {}\n  Square: {}")
    settings = load_settings(path, label=1, tolerance=1e-3)
    cropped, _ = prepare(image, mask, settings)
    assert cropped.GetSize() == image.GetSize()
    ours, _ = extract_features(image, mask, settings)
    reference = featureextractor.RadiomicsFeatureExtractor(str(path)).execute(image, mask)
    assert _compare(ours, reference)[1] == 0.0


@pytest.mark.parametrize("name", ["brain1", "breast1"])
def test_cropped_matches_uncropped_on_pyradiomics_data(tmp_path: Path, name: str) -> None:
    found = find_case(name)
    if found is None:
        pytest.skip(f"pyradiomics test data ({name}) not found: ../shared/data/pyradiomics absent")
    image, mask = (sitk.ReadImage(str(p)) for p in found)
    for mode in ("resampled", "native"):
        path = _yaml(tmp_path, PARAMS[mode], FILTERS)
        ours, _ = extract_features(image, mask, load_settings(path, label=1, tolerance=1e-3))
        reference = featureextractor.RadiomicsFeatureExtractor(str(path)).execute(*map(str, found))
        worst, largest = _compare(ours, reference)
        print(f"{name} {mode}: largest relative difference {largest:.2e} ({worst})")
        assert largest <= TOLERANCE


def test_single_voxel_mask_is_a_case_error(tmp_path: Path) -> None:
    image, _ = _volume((18, 60, 70))
    array = np.zeros(sitk.GetArrayViewFromImage(image).shape, dtype=np.uint8)
    array[10, 50, 50] = 1
    mask = sitk.GetImageFromArray(array)
    mask.CopyInformation(image)
    settings = load_settings(_yaml(tmp_path, {}, "  Original: {}"), label=1, tolerance=1e-3)
    with pytest.raises(CaseError, match="1 segmented voxel"):
        extract_features(image, mask, settings)
    with pytest.raises(CaseError, match="label 1 is not present"):
        extract_features(image, mask * 0, settings)


def test_case_cache_round_trip_and_atomic_files(tmp_path: Path) -> None:
    image, mask = _volume((18, 60, 70))
    sitk.WriteImage(image, str(tmp_path / "ct.nrrd"))
    sitk.WriteImage(mask, str(tmp_path / "mask.nrrd"))
    settings = load_settings(_yaml(tmp_path, {}, "  Original: {}"), label=1, tolerance=1e-3)
    task = CaseTask(
        "P1",
        "arterial",
        tmp_path / "ct.nrrd",
        tmp_path / "mask.nrrd",
        settings,
        settings.digest(),
        tmp_path / "cache",
    )
    first = extract_case(task)
    assert first.features and not first.cached and first.failure is None
    second = extract_case(task)
    assert second.cached and second.features == first.features
    files = list((tmp_path / "cache" / "radiomics").rglob("*"))
    assert [f.suffix for f in files if f.is_file()] == [".json"]
    memo = [f for f in (tmp_path / "cache" / "sha256").rglob("*") if f.is_file()]
    assert len(memo) == 2  # the image's and the mask's hash, remembered by file identity
    key = case_key(first.image_sha256, first.mask_sha256, settings.digest())
    cache_file = next(f for f in files if f.is_file())
    assert cache_file.stem == key and read_cached(tmp_path / "cache", key) == first.features
    cache_file.write_text("{broken", encoding="utf-8")
    third = extract_case(task)
    assert not third.cached and third.features == first.features
    other_path = _yaml(tmp_path, {}, "  Original: {}")
    other_path.write_text(
        other_path.read_text(encoding="utf-8").replace("binWidth: 25", "binWidth: 10")
    )
    other = load_settings(other_path, label=1, tolerance=1e-3)
    assert other.digest() != settings.digest()


def test_case_problems_are_named(tmp_path: Path) -> None:
    image, mask = _volume((18, 60, 70))
    sitk.WriteImage(image, str(tmp_path / "ct.nrrd"))
    mask.SetOrigin((-49.0, 20.0, 100.0))
    sitk.WriteImage(mask, str(tmp_path / "mask.nrrd"))
    settings = load_settings(_yaml(tmp_path, {}, "  Original: {}"), label=1, tolerance=1e-3)
    task = CaseTask(
        "P7",
        "portal",
        tmp_path / "ct.nrrd",
        tmp_path / "mask.nrrd",
        settings,
        settings.digest(),
        None,
    )
    (problem,) = extract_case(task).problems
    assert problem[0].startswith("patient 'P7', phase 'portal': tumour mask: mask origin")
    assert problem[1].endswith("mask.nrrd")
    missing = CaseTask(
        "P8",
        "portal",
        tmp_path / "none.nrrd",
        tmp_path / "mask.nrrd",
        settings,
        settings.digest(),
        None,
    )
    (problem,) = extract_case(missing).problems
    assert problem[0] == "patient 'P8', phase 'portal': file not found"


def test_parameter_file_errors(tmp_path: Path) -> None:
    default = load_settings(DEFAULT_PARAMS, label=1, tolerance=1e-3)
    assert default.resampling and set(default.image_types) == {"Original", "LoG", "Wavelet"}
    assert default.settings["binWidth"] == 25
    with pytest.raises(InputError, match="parameter file not found"):
        load_settings(tmp_path / "absent.yaml", label=1, tolerance=1e-3)
    bad = tmp_path / "bad.yaml"
    bad.write_text("setting:\n  binWidth: wide\n", encoding="utf-8")
    with pytest.raises(InputError, match="invalid pyradiomics parameter file") as info:
        load_settings(bad, label=1, tolerance=1e-3)
    assert info.value.file == str(bad)
    labelled = tmp_path / "label.yaml"
    labelled.write_text("setting:\n  label: 2\n", encoding="utf-8")
    with pytest.raises(InputError, match="sets label 2, the \\[images\\] section label 1"):
        load_settings(labelled, label=1, tolerance=1e-3)
    assert load_settings(labelled, label=2, tolerance=1e-3).label == 2
