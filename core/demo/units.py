"""The demo training study's [[unit]] tables (the radiogenomics units run on their own cohort)."""

from remarkit.demo.units_agreement import AGREEMENT_UNITS
from remarkit.demo.units_clinical import CLINICAL_UNITS
from remarkit.demo.units_deep import DEEP_UNITS
from remarkit.demo.units_evaluators import EVALUATOR_UNITS
from remarkit.demo.units_imaging import RADIOMICS_UNITS
from remarkit.demo.units_integrators import INTEGRATOR_UNITS

DEMO_UNITS = (
    CLINICAL_UNITS
    + AGREEMENT_UNITS
    + RADIOMICS_UNITS
    + DEEP_UNITS
    + INTEGRATOR_UNITS
    + EVALUATOR_UNITS
)
