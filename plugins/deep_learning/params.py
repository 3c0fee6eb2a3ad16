"""Parameters and typed result of the ``deep_score`` unit."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from remarkit import UnitParams, UnitResult

Architecture = Literal["cnn", "resnet18"]
ARCHITECTURE_LABELS: dict[str, str] = {"cnn": "small CNN", "resnet18": "ResNet18"}
DEFAULT_ARCHITECTURES: tuple[Architecture, ...] = ("cnn", "resnet18")


class DeepScoreParams(UnitParams):
    """The ``[[unit]]`` table of a deep-learning phase score."""

    phase: str = Field(description="Image phase in the manifest (e.g. 'arterial')")
    label: int = Field(default=1, description="Tumour label value in the tumour mask")
    liver_label: int = Field(default=1, description="Liver label value in the liver mask")
    tolerance: float = Field(
        default=1e-3, gt=0, description="Geometry tolerance of image vs masks (mm / cosine)"
    )
    window_level: float = Field(default=60.0, description="Window level (HU)")
    window_width: float = Field(default=400.0, gt=0, description="Window width (HU)")
    margin_mm: float = Field(
        default=10.0, ge=0, description="Margin added around the liver's bounding box (mm)"
    )
    size: int = Field(default=64, ge=16, le=512, description="Side of the square network input")
    architectures: list[Architecture] = Field(
        default_factory=lambda: list(DEFAULT_ARCHITECTURES),
        min_length=1,
        description="Candidate architectures; the one with the best internal AUC is kept",
    )
    selection: Literal["one_se", "best"] = Field(
        default="one_se",
        description="'one_se': the fewest-parameter architecture whose internal AUC is within "
        "one DeLong standard error of the best; 'best': the highest internal AUC",
    )
    pretrained: Path | None = Field(
        default=None,
        description="Local ResNet18 weights (.safetensors, or a torch state dict loaded with "
        "weights_only=True); relative to the study folder",
    )
    validation_fraction: float = Field(
        default=0.2, gt=0, lt=0.5, description="Share of the training set held out internally"
    )
    max_epochs: int = Field(default=30, ge=1, le=1000, description="Epoch limit")
    patience: int = Field(
        default=6, ge=1, description="Epochs without internal-validation loss improvement"
    )
    batch_size: int = Field(default=16, ge=2, description="Mini-batch size")
    learning_rate: float = Field(default=1e-3, gt=0, description="Adam learning rate")
    weight_decay: float = Field(default=1e-4, ge=0, description="Adam weight decay (L2)")
    flip: bool = Field(default=True, description="Random horizontal and vertical flips")
    max_rotation: float = Field(
        default=10.0, ge=0, le=45, description="Random rotation range (+/- degrees)"
    )
    cnn_channels: list[int] = Field(
        default_factory=lambda: [8, 16, 32],
        min_length=1,
        max_length=6,
        description="Channels of the small CNN's convolution blocks",
    )
    threads: int = Field(
        default=1,
        ge=1,
        le=64,
        description="Torch CPU threads, fixed for bitwise reproducibility; 1 by default because "
        "the small inputs gain little from more and busy cores slow spinning threads badly",
    )
    gradcam_patients: list[str] = Field(
        default_factory=list, description="Patients shown with Grad-CAM (empty: pick by score)"
    )
    gradcam_n: int = Field(
        default=2, ge=0, le=10, description="Patients per split picked when none are named"
    )

    @model_validator(mode="after")
    def _distinct_architectures(self) -> DeepScoreParams:
        if len(set(self.architectures)) != len(self.architectures):
            raise ValueError(f"architectures are listed twice: {self.architectures}")
        if self.pretrained is not None and "resnet18" not in self.architectures:
            raise ValueError("'pretrained' weights need 'resnet18' among the architectures")
        return self


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EpochRecord(_Frozen):
    """One epoch of training."""

    epoch: int = Field(description="Epoch number, from 1")
    train_loss: float = Field(description="Mean binary cross-entropy on the fitting patients")
    val_loss: float = Field(description="Binary cross-entropy on the internal validation split")
    val_auc: float = Field(description="AUC on the internal validation split")


class ArchitectureFit(_Frozen):
    """How one candidate architecture trained and scored on the internal validation split."""

    architecture: Architecture = Field(description="The candidate architecture")
    n_parameters: int = Field(description="Trainable parameters")
    pretrained: str | None = Field(description="File the initial weights came from, if any")
    pretrained_notes: list[str] = Field(
        default_factory=list, description="How the pretrained weights were adapted"
    )
    epochs_run: int = Field(description="Epochs trained before early stopping")
    best_epoch: int = Field(description="Epoch with the lowest internal-validation loss (kept)")
    val_loss: float = Field(description="Internal-validation loss at the kept epoch")
    val_auc: float = Field(description="Internal-validation AUC at the kept epoch")
    val_auc_se: float | None = Field(
        description="DeLong standard error of the internal AUC (None when undefined)"
    )
    selected: bool = Field(description="Whether this architecture was kept")
    history: list[EpochRecord] = Field(description="Per-epoch losses and AUC")


class GradCamCase(_Frozen):
    """A patient shown in the Grad-CAM figure."""

    patient: str = Field(description="Patient id")
    split: str = Field(description="Split the patient belongs to (train or test)")
    outcome: int = Field(description="Observed outcome (1 = positive)")
    outcome_label: str = Field(description="Observed outcome as the report shows it")
    score: float = Field(description="Predicted probability")


class Artefact(_Frozen):
    """A file saved with the result."""

    name: str = Field(description="What the file holds")
    path: str = Field(description="Path relative to the output folder")
    sha256: str = Field(description="SHA-256 of the file")


class SliceSummary(_Frozen):
    """Distribution of the selected slices over patients."""

    median_tumour_area_mm2: float = Field(
        description="Median over patients of the tumour area on the selected slice (mm²)"
    )
    min_tumour_area_mm2: float = Field(description="Smallest tumour area on a selected slice (mm²)")
    median_crop_mm: float = Field(description="Median side of the square crop (mm)")


class DeepScoreResult(UnitResult):
    """A deep-learning score for one phase: candidates, the kept model, its artefacts."""

    kind: Literal["deep_score"] = "deep_score"
    phase: str = Field(description="Imaging phase the network scored (e.g. arterial)")
    n_train: int = Field(description="Training-set patients")
    n_fit: int = Field(description="Patients the weights were fitted on")
    n_internal: int = Field(description="Patients of the internal validation split")
    n_test: int = Field(description="Test-set patients (scored, never used in fitting)")
    selected: Architecture = Field(description="Architecture kept by the selection rule")
    selection: str = Field(description="Selection rule applied ('one_se' or 'best')")
    candidates: list[ArchitectureFit] = Field(
        description="Every candidate architecture: how it trained and scored on the internal "
        "validation split"
    )
    slices: SliceSummary = Field(description="Distribution of the selected slices over patients")
    gradcam: list[GradCamCase] = Field(description="Grad-CAM maps of example patients")
    gradcam_layer: str = Field(description="Layer whose activations Grad-CAM weighs")
    artefacts: list[Artefact] = Field(
        description="Saved weights and settings remarkit apply reloads, with their sha256"
    )
    torch_version: str = Field(description="PyTorch version that fitted the weights")
