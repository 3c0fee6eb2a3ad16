"""The optional second tumour mask of the image manifest: parsing, checks, `remarkit validate`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import SimpleITK as sitk  # noqa: N813 - the conventional alias

from remarkit.cli.main import main
from remarkit.demo.second_masks import add_second_masks, second_segmentation, write_second_mask
from remarkit.engine.spec import ImagesSpec
from remarkit.io import (
    ManifestColumns,
    manifest_sha256,
    read_manifest,
    second_mask_errors,
    validate_images,
)
from tests.io.test_images import _image, _mask


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    """Three patients, one phase; P1 and P3 have a second mask, P2's cell is empty."""
    rows = []
    for pid in ("P1", "P2", "P3"):
        sitk.WriteImage(_image(), str(tmp_path / f"{pid}.mha"))
        sitk.WriteImage(_mask(), str(tmp_path / f"{pid}_mask.nii.gz"))
        second = ""
        if pid != "P2":
            second = f"{pid}_mask2.nii.gz"
            sitk.WriteImage(_mask(), str(tmp_path / second))
        rows.append(
            {
                "patient": pid,
                "phase": "arterial",
                "image": f"{pid}.mha",
                "mask": f"{pid}_mask.nii.gz",
                "mask2": second,
            }
        )
    path = tmp_path / "manifest.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_second_mask_column_is_read_and_an_empty_cell_means_none(manifest: Path) -> None:
    parsed = read_manifest(manifest)
    seconds = {r.patient: r.second_mask for r in parsed.records}
    assert seconds == {
        "P1": manifest.parent / "P1_mask2.nii.gz",
        "P2": None,
        "P3": manifest.parent / "P3_mask2.nii.gz",
    }
    assert parsed.frame()["second_mask"].isna().tolist() == [False, True, False]
    assert second_mask_errors(parsed) == []
    assert validate_images(parsed, patients=["P1", "P2", "P3"], phases=["arterial"]) == []


def test_without_the_column_no_record_has_a_second_mask(manifest: Path) -> None:
    table = pd.read_csv(manifest).drop(columns=["mask2"])
    table.to_csv(manifest, index=False)
    parsed = read_manifest(manifest)
    assert all(r.second_mask is None for r in parsed.records)
    assert "second_mask" in parsed.frame().columns


def test_the_column_name_is_configurable(manifest: Path) -> None:
    table = pd.read_csv(manifest).rename(columns={"mask2": "reader_b"})
    table.to_csv(manifest, index=False)
    assert all(r.second_mask is None for r in read_manifest(manifest).records)
    spec = ImagesSpec(manifest=manifest, second_mask_column="reader_b")
    columns = spec.manifest_columns()
    assert columns == ManifestColumns(second_mask="reader_b")
    parsed = read_manifest(manifest, columns=columns)
    assert parsed.records[0].second_mask == manifest.parent / "P1_mask2.nii.gz"


def test_second_masks_enter_the_manifest_hash(manifest: Path) -> None:
    n, before = manifest_sha256(read_manifest(manifest))
    assert n == 8  # 3 images, 3 masks, 2 second masks
    array = np.zeros((6, 10, 12), dtype=np.uint8)
    array[1:5, 2:7, 3:9] = 1
    bigger = sitk.GetImageFromArray(array)
    bigger.SetSpacing((1.0, 1.0, 2.0))
    sitk.WriteImage(bigger, str(manifest.parent / "P3_mask2.nii.gz"))
    assert manifest_sha256(read_manifest(manifest))[1] != before


@pytest.mark.parametrize(
    ("geometry", "expected"),
    [
        ({"spacing": (1.0, 1.0, 2.5)}, "mask spacing (1, 1, 2.5) differs from image spacing"),
        ({"origin": (0.0, 0.5, 0.0)}, "mask origin (0, 0.5, 0) differs from image origin"),
        ({"direction": (0, 1, 0, 1, 0, 0, 0, 0, 1)}, "mask direction"),
    ],
)
def test_second_mask_with_another_geometry_is_one_line_naming_row_patient_phase_file(
    manifest: Path, geometry: dict[str, tuple[float, ...]], expected: str
) -> None:
    path = manifest.parent / "P3_mask2.nii.gz"
    sitk.WriteImage(_mask(1, **geometry), str(path))
    parsed = read_manifest(manifest)
    (error,) = second_mask_errors(parsed)
    text = error.format()
    assert "\n" not in text
    assert text.startswith(
        f"{path}: image manifest row 4, patient 'P3', phase 'arterial': second tumour mask: "
    )
    assert expected in text
    via_validate = validate_images(parsed, patients=["P1", "P2", "P3"], phases=["arterial"])
    assert [e.format() for e in via_validate] == [text]
    assert second_mask_errors(parsed, patients=["P1", "P2"]) == []


def test_second_mask_size_and_label_problems(manifest: Path) -> None:
    small = sitk.GetImageFromArray(np.ones((6, 10, 11), dtype=np.uint8))
    small.SetSpacing((1.0, 1.0, 2.0))
    sitk.WriteImage(small, str(manifest.parent / "P1_mask2.nii.gz"))
    sitk.WriteImage(_mask(label=2), str(manifest.parent / "P3_mask2.nii.gz"))
    errors = [e.format() for e in second_mask_errors(read_manifest(manifest), label=1)]
    assert len(errors) == 2
    assert "row 2, patient 'P1'" in errors[0] and "mask size [11, 10, 6] differs" in errors[0]
    assert "row 4, patient 'P3'" in errors[1]
    assert "holds no voxel with label 1 (labels present: 2)" in errors[1]


def test_missing_second_mask_file_is_named(manifest: Path) -> None:
    (manifest.parent / "P1_mask2.nii.gz").unlink()
    (error,) = second_mask_errors(read_manifest(manifest))
    assert error.file == str(manifest.parent / "P1_mask2.nii.gz")
    assert "image manifest row 2, patient 'P1', phase 'arterial': second tumour mask" in str(error)
    assert "file not found" in str(error)


STUDY = """\
[study]
title = "second masks"

[cohort]
table = "cohort.csv"
id = "patient_id"

[cohort.split]
column = "set"

[images]
manifest = "manifest.csv"
"""


def test_remarkit_validate_reports_a_bad_second_mask(
    manifest: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = manifest.parent
    pd.DataFrame({"patient_id": ["P1", "P2", "P3"], "set": ["train", "train", "test"]}).to_csv(
        folder / "cohort.csv", index=False
    )
    (folder / "study.toml").write_text(STUDY, encoding="utf-8")
    assert main(["validate", str(folder / "study.toml")]) == 0
    sitk.WriteImage(_mask(1, origin=(0.0, 0.0, 3.0)), str(folder / "P1_mask2.nii.gz"))
    capsys.readouterr()
    assert main(["validate", str(folder / "study.toml")]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "image manifest row 2, patient 'P1', phase 'arterial': second tumour mask" in err[0]
    assert "P1_mask2.nii.gz" in err[0] and "mask origin" in err[0]


def test_second_segmentation_is_one_voxel_eroded_or_dilated(tmp_path: Path) -> None:
    array = np.zeros((9, 11, 13), dtype=np.uint8)
    array[2:7, 3:8, 4:10] = 1
    mask = sitk.GetImageFromArray(array)
    mask.SetSpacing((0.8, 0.8, 2.0))
    mask.SetOrigin((1.0, -2.0, 3.0))
    eroded = sitk.GetArrayFromImage(second_segmentation(mask, "eroded"))
    dilated = sitk.GetArrayFromImage(second_segmentation(mask, "dilated"))
    assert eroded.sum() < array.sum() < dilated.sum()
    assert np.all(eroded <= array) and np.all(array <= dilated)
    assert eroded[4, 5, 6] == 1 and eroded[2, 3, 4] == 0 and dilated[1, 5, 6] == 1
    path = tmp_path / "mask.nii.gz"
    sitk.WriteImage(mask, str(path))
    changes = {write_second_mask(path, tmp_path / f"s{i}.nii.gz", seed=[7, i]) for i in range(8)}
    assert changes == {"eroded", "dilated"}
    again = write_second_mask(path, tmp_path / "again.nii.gz", seed=[7, 3])
    assert again == write_second_mask(path, tmp_path / "again2.nii.gz", seed=[7, 3])
    written = sitk.ReadImage(str(tmp_path / "again.nii.gz"))
    original = sitk.ReadImage(str(path))
    assert written.GetSpacing() == original.GetSpacing()
    assert written.GetOrigin() == original.GetOrigin()
    assert written.GetPixelID() == original.GetPixelID()
    tiny = np.zeros((9, 11, 13), dtype=np.uint8)
    tiny[4, 5, 6] = 1
    sitk.WriteImage(sitk.GetImageFromArray(tiny), str(path))
    seeds = [[7, i] for i in range(8)]
    assert {write_second_mask(path, tmp_path / "t.nii.gz", seed=s) for s in seeds} == {"dilated"}


def test_add_second_masks_writes_files_and_the_column(manifest: Path) -> None:
    table = pd.read_csv(manifest).drop(columns=["mask2"])
    table.to_csv(manifest, index=False)
    changes = add_second_masks(manifest, patients=["P2", "P3"], seed=11)
    assert set(changes) == {"P2", "P3"}
    parsed = read_manifest(manifest)
    seconds = {r.patient: r.second_mask for r in parsed.records}
    assert seconds["P1"] is None
    assert seconds["P2"] == manifest.parent / "P2_mask_second.nii.gz"
    assert seconds["P2"] is not None and seconds["P2"].is_file()
    assert second_mask_errors(parsed) == []
