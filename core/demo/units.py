"""The demo's [[unit]] tables: every analytic unit remarkit ships, as the paper uses them."""

from remarkit.demo.units_clinical import CLINICAL_UNITS
from remarkit.demo.units_deep import DEEP_UNITS
from remarkit.demo.units_evaluators import EVALUATOR_UNITS
from remarkit.demo.units_genomics import GENOMICS_UNITS
from remarkit.demo.units_imaging import RADIOMICS_UNITS
from remarkit.demo.units_integrators import INTEGRATOR_UNITS

DEMO_UNITS = (
    CLINICAL_UNITS
    + RADIOMICS_UNITS
    + DEEP_UNITS
    + INTEGRATOR_UNITS
    + EVALUATOR_UNITS
    + GENOMICS_UNITS
)
