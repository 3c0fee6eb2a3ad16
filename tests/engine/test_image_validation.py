"""`remarkit validate` reads every image header of the cohort (issue 16, finding 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
import SimpleITK as sitk  # noqa: N813 - the conventional alias

from remarkit.cli.main import main
from remarkit.testing.study import write_synthetic_study


@pytest.fixture(scope="module")
def image_study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 30-patient synthetic study with CT phantoms (written once; tests copy it)."""
    return write_synthetic_study(tmp_path_factory.mktemp("img") / "study", images=True, patients=30)


def _copy(study: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "study"
    shutil.copytree(study.parent, target)
    return target / "study.toml"


def _manifest_rows(spec: Path) -> list[list[str]]:
    lines = (spec.parent / "images" / "manifest.csv").read_text(encoding="utf-8").splitlines()
    return [line.split(",") for line in lines]


def _validate(spec: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["validate", str(spec)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, [line for line in err.splitlines() if line.strip()]


def test_a_valid_image_study_validates(
    image_study: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = _validate(image_study, capsys)
    assert code == 0, lines


def test_zero_byte_image(
    image_study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = _copy(image_study, tmp_path)
    row = _manifest_rows(spec)[3]  # spreadsheet row 4
    image = spec.parent / "images" / row[2]
    image.write_bytes(b"")
    code, lines = _validate(spec, capsys)
    assert code == 2
    manifest = spec.parent / "images" / "manifest.csv"
    assert len(lines) == 1, lines
    assert lines[0].startswith(
        f"error: {manifest}: row 4, column 'image': patient '{row[0]}', phase '{row[1]}': "
        f"{image}: cannot read the image"
    )


def test_mask_seven_millimetres_off(
    image_study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = _copy(image_study, tmp_path)
    rows = _manifest_rows(spec)
    patient = rows[1][0]
    mask = spec.parent / "images" / rows[1][3]
    shifted = sitk.ReadImage(str(mask))
    origin = list(shifted.GetOrigin())
    shifted.SetOrigin((origin[0] + 7.0, origin[1], origin[2]))
    sitk.WriteImage(shifted, str(mask))
    code, lines = _validate(spec, capsys)
    assert code == 2
    # the tumour mask is shared by both phases of the patient: one line per manifest row
    phases = [r for r in rows[1:] if r[0] == patient]
    assert len(lines) == len(phases), lines
    assert f"row 2, column 'mask': patient '{patient}', phase '{rows[1][1]}': {mask}: " in lines[0]
    assert "mask origin" in lines[0] and "by 7 mm" in lines[0]


def test_run_stops_before_any_unit(
    image_study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = _copy(image_study, tmp_path)
    row = _manifest_rows(spec)[5]
    (spec.parent / "images" / row[4]).write_bytes(b"not an image")
    out = tmp_path / "out"
    assert main(["run", str(spec), "--out", str(out), "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert "column 'liver_mask'" in err and "cannot read the image" in err
    assert not out.exists()


def test_images_of_patients_outside_the_cohort_are_not_read(
    image_study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = _copy(image_study, tmp_path)
    manifest = spec.parent / "images" / "manifest.csv"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text + "NOT-IN-COHORT,arterial,absent.nii.gz,absent.nii.gz,\n")
    code, lines = _validate(spec, capsys)
    assert code == 0, lines
