"""Bad input to the deep_score unit gives one clear line per problem."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import SimpleITK as sitk  # noqa: N813
import torch

from remarkit import InputErrors
from remarkit.engine.api import prepare
from remarkit.engine.plugin_manager import Plugins
from tests.deep_learning.conftest import FAST, Runner, StudyCopy


def _failure(run_study: Runner, spec: Path, out: Path) -> str:
    (record,) = run_study(spec, out).units
    assert record.status == "failed"
    assert record.error is not None
    return record.error


def test_absent_phase_names_patients_and_phases(
    study_copy: StudyCopy, run_study: Runner, tmp_path: Path
) -> None:
    spec = study_copy(FAST.replace('phase = "arterial"', 'phase = "portal"'))
    error = _failure(run_study, spec, tmp_path / "out")
    assert "images.csv: 30 patient(s) have no 'portal' row in the image manifest" in error
    assert "(P000, P001, P002, P003, P004 ...); phases present: arterial" in error


def test_mask_problems_name_patient_phase_and_file(
    study_copy: StudyCopy, run_study: Runner, tmp_path: Path
) -> None:
    spec = study_copy(FAST)
    images = spec.parent / "images"
    liver = sitk.ReadImage(str(images / "P007_arterial_liver.nii.gz"))
    sitk.WriteImage(liver * 0, str(images / "P007_arterial_liver.nii.gz"))
    lines = _failure(run_study, spec, tmp_path / "out").splitlines()
    assert any(
        line.endswith(
            "P007_arterial_liver.nii.gz: patient 'P007', phase 'arterial': liver mask: the "
            "mask is empty (every voxel is 0)"
        )
        for line in lines
    )


def test_header_problems_stop_the_study_before_the_unit(
    study_copy: StudyCopy, run_study: Runner, tmp_path: Path
) -> None:
    """Unreadable images and masks off the image's grid are found from the headers by
    `prepare` (issue 16): the study stops with every problem, no unit runs."""
    spec = study_copy(FAST)
    images = spec.parent / "images"
    tumour = sitk.ReadImage(str(images / "P004_arterial_tumour.nii.gz"))
    tumour.SetSpacing((1.0, 1.0, 5.0))
    sitk.WriteImage(tumour, str(images / "P004_arterial_tumour.nii.gz"))
    (images / "P009_arterial_ct.nii.gz").write_bytes(b"not an image")
    with pytest.raises(InputErrors) as info:
        run_study(spec, tmp_path / "out")
    lines = [e.format() for e in info.value.errors]
    assert len(lines) == 2, lines
    assert "patient 'P004', phase 'arterial'" in lines[0] and "mask spacing" in lines[0]
    assert "P004_arterial_tumour.nii.gz" in lines[0]
    assert "patient 'P009', phase 'arterial'" in lines[1] and "cannot read the image" in lines[1]
    assert not (tmp_path / "out").exists()


def test_liver_absent_on_the_tumour_slice(
    study_copy: StudyCopy, run_study: Runner, tmp_path: Path
) -> None:
    spec = study_copy(FAST)
    path = spec.parent / "images" / "P002_arterial_liver.nii.gz"
    tumour = sitk.GetArrayFromImage(
        sitk.ReadImage(str(spec.parent / "images" / "P002_arterial_tumour.nii.gz"))
    )
    liver_image = sitk.ReadImage(str(path))
    liver = sitk.GetArrayFromImage(liver_image)
    z = int(np.argmax(tumour.reshape(tumour.shape[0], -1).sum(axis=1)))
    liver[z] = 0
    out = sitk.GetImageFromArray(liver)
    out.CopyInformation(liver_image)
    sitk.WriteImage(out, str(path))
    error = _failure(run_study, spec, tmp_path / "out")
    assert "patient 'P002', phase 'arterial': the liver mask is empty on the slice" in error


def test_manifest_without_liver_column(
    study_copy: StudyCopy, run_study: Runner, tmp_path: Path
) -> None:
    spec = study_copy(FAST)
    manifest = spec.parent / "images.csv"
    pd.read_csv(manifest).drop(columns="liver_mask").to_csv(manifest, index=False)
    error = _failure(run_study, spec, tmp_path / "out")
    assert "patient 'P000', phase 'arterial': no liver mask in the manifest" in error


def test_unknown_gradcam_patient(study_copy: StudyCopy, run_study: Runner, tmp_path: Path) -> None:
    spec = study_copy(FAST + 'gradcam_patients = ["P001", "X99"]\n')
    error = _failure(run_study, spec, tmp_path / "out")
    assert error == (
        "InputError: field 'unit.a_cnn.gradcam_patients': gradcam_patients not in the cohort: X99"
    )


class _Evil:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (print, ("unpickled",))


def test_unsafe_pretrained_file_fails_the_unit(
    study_copy: StudyCopy, run_study: Runner, tmp_path: Path
) -> None:
    spec = study_copy(FAST.replace('["cnn"]', '["resnet18"]') + 'pretrained = "weights.pt"\n')
    torch.save({"conv1.weight": _Evil()}, spec.parent / "weights.pt")
    error = _failure(run_study, spec, tmp_path / "out")
    assert error.startswith(f"InputError: {spec.parent / 'weights.pt'}: refused to load")
    missing = study_copy(FAST.replace('["cnn"]', '["resnet18"]') + 'pretrained = "none.pt"\n')
    assert "none.pt: weights file not found" in _failure(run_study, missing, tmp_path / "o2")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('architectures = ["cnn", "cnn"]\n', "architectures are listed twice"),
        ("architectures = []\n", "at least 1 item"),
        ('architectures = ["cnn"]\npretrained = "w.pt"\n', "'pretrained' weights need 'resnet18'"),
        ("validation_fraction = 0.7\n", "less than 0.5"),
        ("colour = 1\n", "colour"),
    ],
)
def test_bad_parameters_are_rejected_before_running(
    study_copy: StudyCopy, deep_plugins: Plugins, extra: str, message: str
) -> None:
    units = FAST.replace('architectures = ["cnn"]\n', "") + extra
    with pytest.raises(InputErrors, match=message):
        prepare(study_copy(units), deep_plugins)
