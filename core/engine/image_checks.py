"""Before any unit runs: the image manifest reads and every cohort patient's images open."""

from __future__ import annotations

from remarkit.engine.cohort import Cohort
from remarkit.engine.spec import Study
from remarkit.errors import InputError, InputErrors
from remarkit.io import ManifestColumns, read_manifest
from remarkit.io.image_headers import check_image_headers


def image_input_errors(study: Study, cohort: Cohort | None) -> list[InputError]:
    """Problems of the ``[images]`` manifest and of the headers of the images it names for the
    cohort's patients (unreadable, not 3-D, mask off its image's grid), each on its own line.

    The geometry tolerance is the loosest the study allows: ``[images] tolerance`` or a unit's
    own ``tolerance`` parameter (deep-learning units have one).
    """
    spec = study.images
    if spec is None or cohort is None:  # a cohort with errors: those are reported first
        return []
    path = study.resolve(spec.manifest)
    if not path.exists():
        return []  # reported with the other declared files
    columns = ManifestColumns(
        spec.patient_column,
        spec.phase_column,
        spec.image_column,
        spec.mask_column,
        spec.liver_column,
    )
    try:
        manifest = read_manifest(path, columns=columns)
    except InputErrors as exc:
        return list(exc.errors)
    tolerances = [spec.tolerance]
    for unit in study.unit:
        value = unit.params().get("tolerance")
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            tolerances.append(float(value))
    patients = {str(p) for p in cohort.data.index}
    return check_image_headers(
        manifest, columns=columns, patients=patients, tolerance=max(tolerances)
    )
