"""The Methods paragraph of the deep_score unit."""

from __future__ import annotations

from remarkit.plugins.deep_learning.params import (
    ARCHITECTURE_LABELS,
    DeepScoreParams,
    DeepScoreResult,
)


def _g(value: float) -> str:
    return f"{value:g}"


def methods_text(result: DeepScoreResult, params: DeepScoreParams) -> str:
    """Say what was done, with the parameters, the selection rule and the torch version."""
    phase = params.phase
    kept = next(f for f in result.candidates if f.selected)
    described = []
    for fit in result.candidates:
        if fit.architecture == "cnn":
            blocks = "-".join(str(c) for c in params.cnn_channels)
            text = (
                f"a small CNN ({len(params.cnn_channels)} blocks of 3x3 convolution, batch "
                f"normalisation and ReLU with {blocks} channels and 2x2 max pooling, global "
                f"average pooling, dropout 0.25 and one logit; {fit.n_parameters:,} parameters)"
            )
        else:
            init = (
                f"initialised from the local weights file {fit.pretrained} "
                f"({'; '.join(fit.pretrained_notes) or 'loaded as is'})"
                if fit.pretrained
                else "randomly initialised"
            )
            text = (
                "a ResNet18 (residual blocks 2-2-2-2, 64-512 channels, one-channel 7x7 stem, one "
                f"logit; {fit.n_parameters:,} parameters; {init})"
            )
        described.append(text)
    augment = []
    if params.flip:
        augment.append("random horizontal and vertical flips")
    if params.max_rotation > 0:
        augment.append(f"random rotations of up to ±{_g(params.max_rotation)}°")
    augmentation = " and ".join(augment) if augment else "no augmentation"
    rule = (
        "The kept architecture was the one with the fewest parameters whose internal-validation "
        "AUC lay within one DeLong standard error of the best internal AUC (one-standard-error "
        "rule)."
        if params.selection == "one_se" and len(result.candidates) > 1
        else "The architecture with the highest internal-validation AUC was kept (ties: lower "
        "internal loss)."
    )
    aucs = "; ".join(
        f"{ARCHITECTURE_LABELS[f.architecture]} AUC {f.val_auc:.3f}"
        + (f" (SE {f.val_auc_se:.3f})" if f.val_auc_se is not None else "")
        + f", loss {f.val_loss:.3f}, "
        f"best epoch {f.best_epoch} of {f.epochs_run}"
        for f in result.candidates
    )
    return (
        f"Deep-learning score ({phase} phase). For each patient the axial slice with the largest "
        f"tumour cross-section (label {params.label}) was taken, cropped to a square around the "
        f"liver mask's bounding box on that slice with a {_g(params.margin_mm)} mm margin, "
        f"windowed (level {_g(params.window_level)} HU, width {_g(params.window_width)} HU, "
        f"scaled to 0-1) and resampled to {params.size}x{params.size} pixels with anti-aliasing. "
        f"Candidate architecture(s), implemented in PyTorch {result.torch_version} on the CPU: "
        f"{'; '.join(described)}. Only the training set (n = {result.n_train}) was used: it was "
        f"split, stratified by outcome, into {result.n_fit} fitting and {result.n_internal} "
        "internal-validation patients. Each candidate was trained with binary cross-entropy and "
        f"the Adam optimiser (learning rate {_g(params.learning_rate)}, weight decay "
        f"{_g(params.weight_decay)}, batch size {params.batch_size}) for up to "
        f"{params.max_epochs} epochs with {augmentation}, stopped after {params.patience} epochs "
        f"without a lower internal-validation loss and restored to its best epoch. {rule} The "
        f"test set (n = {result.n_test}) was used neither for training nor for selection "
        f"({aucs}; kept: {ARCHITECTURE_LABELS[kept.architecture]}). Its predicted probability "
        f"is the patient's score. Training was seeded and deterministic (torch deterministic "
        f"algorithms, {params.threads} CPU thread(s)). Grad-CAM maps were computed on layer "
        f"{result.gradcam_layer} of the kept model. The weights (safetensors) and preprocessing "
        "settings are saved with the results so that new cohorts can be scored without refitting."
    )
