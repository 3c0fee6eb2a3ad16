"""The demo's imaging [[unit]] tables (radiomics score per CT phase) and their parameter file."""

from typing import Any

#: File name of the demo's pyradiomics parameter file, written next to study.toml.
RADIOMICS_PARAMS_FILE = "radiomics_params.yaml"

#: The demo's pyradiomics parameter file (pyradiomics' own YAML format). The phantoms have
#: 2.5 mm isotropic voxels, so resampling to 2.5 mm keeps the native grid; LoG at two scales,
#: wavelet (coif1, one level) and every 3-D feature class, as in the unit's default file.
RADIOMICS_PARAMS_YAML = """\
# pyradiomics parameter file of the remarkit demo (synthetic 2.5 mm CT phantoms)
imageType:
  Original: {}
  LoG:
    sigma: [2.5, 5.0]
  Wavelet: {}
featureClass:
  shape:
  firstorder:
  glcm:
  glrlm:
  glszm:
  gldm:
  ngtdm:
setting:
  binWidth: 25
  resampledPixelSpacing: [2.5, 2.5, 2.5]
  interpolator: sitkBSpline
  padDistance: 5
  normalize: false
"""

#: Settings both phases share.
_SETTINGS = {
    "parameter_file": RADIOMICS_PARAMS_FILE,
    "harmonize_batch": "scanner",
    "icc_threshold": 0.75,
}

RADIOMICS_UNITS: list[dict[str, Any]] = [
    {"id": "a_radiomics", "use": "radiomics_score", "phase": "arterial", **_SETTINGS},
    {"id": "p_radiomics", "use": "radiomics_score", "phase": "portal", **_SETTINGS},
]
