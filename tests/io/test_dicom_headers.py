"""A DICOM series' geometry is read from its slices' headers, never its voxels (issue 16,
finding 14): the same grid as the full read, geometry errors still found, and a slice missing
or unreadable (which GDCM leaves out of the series) is an error, not a thinner image."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import SimpleITK as sitk  # noqa: N813 - the conventional alias

from remarkit.errors import InputError
from remarkit.io import ManifestColumns, load_image, read_geometry, read_manifest
from remarkit.io._geometry import Geometry
from remarkit.io.image_headers import check_image_headers
from tests.io.dicom import write_dicom_series

C, S = math.cos(0.3), math.sin(0.3)


def _image(
    spacing: tuple[float, ...] = (0.8, 0.8, 2.5),
    origin: tuple[float, ...] = (-10.0, 5.0, 30.0),
    direction: tuple[float, ...] = (1, 0, 0, 0, 1, 0, 0, 0, 1),
) -> sitk.Image:
    array = np.arange(6 * 10 * 12, dtype=np.int16).reshape(6, 10, 12)
    image = sitk.GetImageFromArray(array)
    image.SetSpacing(spacing)
    image.SetOrigin(origin)
    image.SetDirection([float(v) for v in direction])
    return image


@pytest.fixture
def no_voxels(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every SimpleITK call that reads voxels fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("voxels were read")

    monkeypatch.setattr(sitk.ImageSeriesReader, "Execute", refuse)
    monkeypatch.setattr(sitk.ImageFileReader, "Execute", refuse)
    monkeypatch.setattr(sitk, "ReadImage", refuse)


@pytest.mark.parametrize(
    "grid",
    [
        {},
        {"spacing": (0.7, 0.9, 3.0), "origin": (1.5, -2.0, 100.0)},
        {"direction": (C, -S, 0, S, C, 0, 0, 0, 1)},
        {"direction": (1, 0, 0, 0, C, -S, 0, S, C)},
        {"direction": (1, 0, 0, 0, -1, 0, 0, 0, -1)},
    ],
    ids=["axial", "spacing", "rotated", "oblique", "flipped"],
)
def test_header_geometry_is_the_full_reads(
    tmp_path: Path, grid: dict[str, tuple[float, ...]]
) -> None:
    folder = tmp_path / "series"
    write_dicom_series(_image(**grid), folder)
    full = Geometry.of(load_image(folder))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sitk.ImageSeriesReader, "Execute", _refuse)
        header = read_geometry(folder)
    assert header.size == full.size == (12, 10, 6)
    assert np.allclose(header.spacing, full.spacing, atol=1e-9)
    assert np.allclose(header.origin, full.origin, atol=1e-9)
    assert np.allclose(header.direction, full.direction, atol=1e-6)


def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("voxels were read")


def _study(tmp_path: Path, mask: sitk.Image) -> tuple[Path, Path]:
    """A one-row manifest: a DICOM series image and a NIfTI mask."""
    folder = tmp_path / "ct"
    write_dicom_series(_image(), folder)
    sitk.WriteImage(mask, str(tmp_path / "mask.nii.gz"))
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("patient,phase,image,mask\nP1,portal,ct,mask.nii.gz\n", encoding="utf-8")
    return manifest, folder


def _check(manifest: Path) -> list[str]:
    columns = ManifestColumns()
    parsed = read_manifest(manifest, columns=columns)
    return [e.format() for e in check_image_headers(parsed, columns=columns)]


def _mask(**grid: tuple[float, ...]) -> sitk.Image:
    mask = sitk.Cast(_image(**grid) > 300, sitk.sitkUInt8)
    return mask


def test_series_geometry_is_checked_without_reading_voxels(tmp_path: Path, no_voxels: None) -> None:
    manifest, _ = _study(tmp_path / "good", _mask())
    assert _check(manifest) == []
    manifest, _ = _study(tmp_path / "off", _mask(origin=(-3.0, 5.0, 30.0)))
    (error,) = _check(manifest)
    assert "row 2, column 'mask'" in error and "mask origin" in error
    manifest, _ = _study(tmp_path / "thick", _mask(spacing=(0.8, 0.8, 5.0)))
    (error,) = _check(manifest)
    assert "mask spacing" in error


def test_missing_slice_is_an_error(tmp_path: Path, no_voxels: None) -> None:
    manifest, folder = _study(tmp_path, _mask())
    (folder / "slice003.dcm").unlink()
    (error,) = _check(manifest)
    assert "row 2, column 'image'" in error and str(folder) in error
    assert "slices are not evenly spaced" in error


def test_truncated_slice_is_an_error_not_a_dropped_slice(tmp_path: Path, no_voxels: None) -> None:
    """GDCM leaves a slice whose pixel data are cut short out of the series: the full read gave
    a 5-slice image with the wrong slice spacing; the header check names the gap."""
    manifest, folder = _study(tmp_path, _mask())
    cut = folder / "slice002.dcm"
    cut.write_bytes(cut.read_bytes()[:-50])
    with pytest.raises(InputError, match="slices are not evenly spaced") as exc:
        read_geometry(folder)
    assert exc.value.file == str(folder)
    (error,) = _check(manifest)
    assert "slices are not evenly spaced" in error


def test_slices_of_another_size_are_an_error(tmp_path: Path, no_voxels: None) -> None:
    folder = tmp_path / "series"
    write_dicom_series(_image(), folder)
    small = _image()[:8, :, :]
    other = write_dicom_series(small, tmp_path / "small")
    (folder / "slice005.dcm").unlink()
    other[5].rename(folder / "slice005.dcm")
    with pytest.raises(InputError, match=r"slice slice005.dcm is \(8, 10, 1\)"):
        read_geometry(folder)


def test_single_file_series(tmp_path: Path, no_voxels: None) -> None:
    folder = tmp_path / "one"
    image = _image()[:, :, :1]
    write_dicom_series(image, folder)
    geometry = read_geometry(folder)
    assert geometry.size == (12, 10, 1)
    assert np.allclose(geometry.origin, image.GetOrigin())
