"""The image manifest and image/mask checks: every input problem is named by patient, phase, file."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import SimpleITK as sitk  # noqa: N813 - the conventional alias

from remarkit.errors import InputError, InputErrors
from remarkit.io import (
    ManifestColumns,
    check_pair,
    image_sha256,
    load_image,
    read_geometry,
    read_manifest,
    validate_images,
)

SIZE = (12, 10, 6)  # x, y, z


def _image(
    values: np.ndarray | None = None,
    *,
    spacing: tuple[float, ...] = (1.0, 1.0, 2.0),
    origin: tuple[float, ...] = (0.0, 0.0, 0.0),
    direction: tuple[float, ...] = (1, 0, 0, 0, 1, 0, 0, 0, 1),
) -> sitk.Image:
    array = values if values is not None else np.arange(np.prod(SIZE)).reshape(SIZE[::-1])
    image = sitk.GetImageFromArray(array.astype(np.int16))
    image.SetSpacing(spacing)
    image.SetOrigin(origin)
    image.SetDirection([float(v) for v in direction])
    return image


def _mask(
    label: int = 1,
    *,
    spacing: tuple[float, ...] = (1.0, 1.0, 2.0),
    origin: tuple[float, ...] = (0.0, 0.0, 0.0),
    direction: tuple[float, ...] = (1, 0, 0, 0, 1, 0, 0, 0, 1),
) -> sitk.Image:
    array = np.zeros(SIZE[::-1], dtype=np.uint8)
    array[2:4, 3:6, 4:8] = label
    image = sitk.GetImageFromArray(array)
    image.SetSpacing(spacing)
    image.SetOrigin(origin)
    image.SetDirection([float(v) for v in direction])
    return image


def _study(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    manifest = tmp_path / "manifest.csv"
    pd.DataFrame(rows).to_csv(manifest, index=False)
    return manifest


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """Two patients x two phases, all valid."""
    rows = []
    for pid in ("P1", "P2"):
        sitk.WriteImage(_mask(), str(tmp_path / f"{pid}_mask.nii.gz"))
        sitk.WriteImage(_mask(), str(tmp_path / f"{pid}_liver.nrrd"))
        for phase in ("arterial", "portal"):
            sitk.WriteImage(_image(), str(tmp_path / f"{pid}_{phase}.mha"))
            rows.append(
                {
                    "patient": pid,
                    "phase": phase,
                    "image": f"{pid}_{phase}.mha",
                    "mask": f"{pid}_mask.nii.gz",
                    "liver_mask": f"{pid}_liver.nrrd",
                }
            )
    return _study(tmp_path, rows)


def _errors(manifest: Path, **kwargs: object) -> list[str]:
    options: dict = {"patients": ["P1", "P2"], "phases": ["arterial", "portal"], **kwargs}
    return [e.format() for e in validate_images(read_manifest(manifest), **options)]


def test_valid_manifest_reads_and_validates(good: Path) -> None:
    manifest = read_manifest(good)
    assert manifest.phases() == ["arterial", "portal"]
    record = manifest.get("P2", "portal")
    assert record is not None and record.image == good.parent / "P2_portal.mha"
    assert record.liver_mask == good.parent / "P2_liver.nrrd" and record.row == 5
    assert set(manifest.for_phase("arterial")) == {"P1", "P2"}
    assert len(manifest.frame()) == 4
    assert _errors(good, need_liver=True) == []


def test_formats_nifti_nrrd_mha_read_alike(tmp_path: Path) -> None:
    image = _image()
    for name in ("a.nii", "a.nii.gz", "a.nrrd", "a.mha"):
        sitk.WriteImage(image, str(tmp_path / name))
        loaded = load_image(tmp_path / name)
        assert np.array_equal(sitk.GetArrayFromImage(loaded), sitk.GetArrayFromImage(image))
        geometry = read_geometry(tmp_path / name)
        assert geometry.size == SIZE and geometry.spacing == (1.0, 1.0, 2.0)


def test_dicom_series_folder(tmp_path: Path) -> None:
    folder = tmp_path / "series"
    folder.mkdir()
    image = _image(spacing=(0.8, 0.8, 2.5), origin=(-10.0, 5.0, 30.0))
    writer = sitk.ImageFileWriter()
    writer.KeepOriginalImageUIDOn()
    for z in range(SIZE[2]):
        piece = image[:, :, z]
        position = image.TransformIndexToPhysicalPoint((0, 0, z))
        for tag, value in (
            ("0008|0060", "CT"),
            ("0020|000d", "1.2.826.0.1.3680043.2.1125.1"),
            ("0020|000e", "1.2.826.0.1.3680043.2.1125.1.2"),
            ("0020|0032", "\\".join(f"{v:.6f}" for v in position)),
            ("0020|0037", "1\\0\\0\\0\\1\\0"),
            ("0020|0013", str(z + 1)),
            ("0028|0030", "0.8\\0.8"),
        ):
            piece.SetMetaData(tag, value)
        writer.SetFileName(str(folder / f"slice{z:03d}.dcm"))
        writer.Execute(piece)
    loaded = load_image(folder)
    assert loaded.GetSize() == SIZE
    assert np.allclose(loaded.GetSpacing(), (0.8, 0.8, 2.5))
    assert np.allclose(loaded.GetOrigin(), (-10.0, 5.0, 30.0))
    assert np.array_equal(sitk.GetArrayFromImage(loaded), sitk.GetArrayFromImage(image))
    assert len(image_sha256(folder)) == 64
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="no DICOM series"):
        load_image(empty)


def test_missing_and_unreadable_files(good: Path) -> None:
    (good.parent / "P1_arterial.mha").unlink()
    (good.parent / "P2_mask.nii.gz").write_bytes(b"not an image at all")
    errors = _errors(good)
    assert any(
        "patient 'P1', phase 'arterial': image: file not found" in e and "P1_arterial.mha" in e
        for e in errors
    )
    unreadable = [e for e in errors if "P2_mask.nii.gz" in e]
    assert len(unreadable) == 2  # both phases share the mask
    assert all("tumour mask: cannot read the image" in e for e in unreadable)
    assert any("patient 'P2', phase 'portal'" in e for e in unreadable)


@pytest.mark.parametrize(
    ("geometry", "expected"),
    [
        ({"spacing": (1.0, 1.0, 2.5)}, "mask spacing (1, 1, 2.5) differs from image spacing"),
        ({"origin": (0.0, 0.5, 0.0)}, "mask origin (0, 0.5, 0) differs from image origin"),
        ({"direction": (0, 1, 0, 1, 0, 0, 0, 0, 1)}, "mask direction"),
    ],
)
def test_geometry_mismatch_beyond_tolerance(
    good: Path, geometry: dict[str, tuple[float, ...]], expected: str
) -> None:
    sitk.WriteImage(_mask(1, **geometry), str(good.parent / "P2_mask.nii.gz"))
    errors = _errors(good)
    assert len(errors) == 2
    assert all(expected in e and "P2_mask.nii.gz" in e and "patient 'P2'" in e for e in errors)


def test_geometry_within_tolerance_passes_and_tolerance_is_a_parameter(good: Path) -> None:
    sitk.WriteImage(_mask(origin=(0.0, 0.0, 0.0004)), str(good.parent / "P1_mask.nii.gz"))
    assert _errors(good) == []
    errors = _errors(good, tolerance=1e-4)
    assert len(errors) == 2 and all("by 0.0004 mm (tolerance 0.0001)" in e for e in errors)


def test_size_mismatch(good: Path) -> None:
    small = sitk.GetImageFromArray(np.ones((6, 10, 11), dtype=np.uint8))
    small.SetSpacing((1.0, 1.0, 2.0))
    sitk.WriteImage(small, str(good.parent / "P1_mask.nii.gz"))
    errors = _errors(good, phases=["portal"])
    assert errors == [
        f"{good.parent / 'P1_mask.nii.gz'}: patient 'P1', phase 'portal': tumour mask: mask "
        "size [11, 10, 6] differs from image size [12, 10, 6]"
    ]


def test_label_absent_and_empty_mask(good: Path) -> None:
    sitk.WriteImage(_mask(label=2), str(good.parent / "P1_mask.nii.gz"))
    empty = sitk.GetImageFromArray(np.zeros(SIZE[::-1], dtype=np.uint8))
    empty.SetSpacing((1.0, 1.0, 2.0))
    sitk.WriteImage(empty, str(good.parent / "P2_liver.nrrd"))
    errors = _errors(good, phases=["arterial"])
    assert any("P1" in e and "holds no voxel with label 1 (labels present: 2)" in e for e in errors)
    assert any("patient 'P2', phase 'arterial': liver mask: the mask is empty" in e for e in errors)
    relabelled = _errors(good, phases=["arterial"], label=2)
    assert not any("P1_mask" in e for e in relabelled)
    assert any(
        "P2_mask" in e and "no voxel with label 2 (labels present: 1)" in e for e in relabelled
    )


def test_patient_missing_a_phase(good: Path) -> None:
    table = pd.read_csv(good)
    table = table[~((table["patient"] == "P2") & (table["phase"] == "portal"))]
    table.to_csv(good, index=False)
    errors = _errors(good, patients=["P1", "P2", "P3"])
    assert f"{good}: patient 'P2' has no 'portal' row in the image manifest" in errors
    assert f"{good}: patient 'P3' has no 'arterial' row in the image manifest" in errors


def test_liver_mask_required_when_asked(good: Path) -> None:
    table = pd.read_csv(good).drop(columns="liver_mask")
    table.to_csv(good, index=False)
    assert _errors(good) == []
    errors = _errors(good, need_liver=True)
    assert len(errors) == 4 and all("no liver mask in the manifest" in e for e in errors)


def test_manifest_structure_errors(tmp_path: Path) -> None:
    path = _study(tmp_path, [{"patient": "P1", "phase": "arterial", "image": "a.nii"}])
    with pytest.raises(InputErrors) as info:
        read_manifest(path)
    assert [e.message for e in info.value.errors] == ["column 'mask' is not in the image manifest"]
    rows = [
        {"patient": "P1", "phase": "arterial", "image": "a.nii", "mask": "m.nii"},
        {"patient": "P1", "phase": "arterial", "image": "b.nii", "mask": "m.nii"},
        {"patient": "P2", "phase": "", "image": "c.nii", "mask": "m.nii"},
    ]
    with pytest.raises(InputErrors) as info:
        read_manifest(_study(tmp_path, rows))
    text = [e.format() for e in info.value.errors]
    assert any("row 3: patient 'P1', phase 'arterial' is also in row 2" in t for t in text)
    assert any("row 4, column 'phase': empty cell" in t for t in text)
    with pytest.raises(InputErrors, match="file not found"):
        read_manifest(tmp_path / "absent.csv")


def test_custom_columns_and_base_dir(tmp_path: Path) -> None:
    rows = [{"id": "P1", "ct_phase": "portal", "ct": "x/a.nii", "roi": "x/m.nii"}]
    path = _study(tmp_path, rows)
    columns = ManifestColumns(patient="id", phase="ct_phase", image="ct", mask="roi")
    manifest = read_manifest(path, base_dir=tmp_path / "data", columns=columns)
    record = manifest.get("P1", "portal")
    assert record is not None and record.image == (tmp_path / "data" / "x" / "a.nii").resolve()
    assert record.liver_mask is None


def test_check_pair_and_non_scalar_or_2d_images(tmp_path: Path) -> None:
    assert check_pair(_image(), _mask()) == []
    assert check_pair(_image(), _mask(label=3), label=3) == []
    flat = sitk.GetImageFromArray(np.zeros((8, 8), dtype=np.int16))
    sitk.WriteImage(flat, str(tmp_path / "flat.nrrd"))
    with pytest.raises(InputError, match="a 3-D image is needed, this one is 2-D"):
        load_image(tmp_path / "flat.nrrd")
    with pytest.raises(InputError, match="a 3-D image is needed"):
        read_geometry(tmp_path / "flat.nrrd")
    rgb = sitk.GetImageFromArray(np.zeros((4, 8, 8, 3), dtype=np.uint8), isVector=True)
    sitk.WriteImage(rgb, str(tmp_path / "rgb.nrrd"))
    with pytest.raises(InputError, match="3 components per voxel"):
        load_image(tmp_path / "rgb.nrrd")


def test_image_hash_follows_content(tmp_path: Path) -> None:
    path = tmp_path / "a.nrrd"
    sitk.WriteImage(_image(), str(path))
    first = image_sha256(path)
    assert image_sha256(path) == first
    sitk.WriteImage(_image(np.zeros(SIZE[::-1])), str(path))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert image_sha256(path) != first
    with pytest.raises(InputError, match="file not found"):
        image_sha256(tmp_path / "absent.nrrd")


def test_image_hash_memo_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "a.nrrd"
    sitk.WriteImage(_image(), str(path))
    memo = tmp_path / "memo"
    digest = image_sha256(path, memo_dir=memo)
    (entry,) = [p for p in memo.rglob("*") if p.is_file()]
    assert entry.read_text(encoding="ascii") == digest
    entry.write_text("f" * 64)  # the memo is trusted while the file's identity is unchanged
    assert image_sha256(path, memo_dir=memo) == "f" * 64
    sitk.WriteImage(_image(np.ones(SIZE[::-1])), str(path))  # rewritten: new identity
    assert image_sha256(path, memo_dir=memo) not in (digest, "f" * 64)
