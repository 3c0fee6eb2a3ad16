"""The demo's reproducibility [[unit]] tables: the baseline AFP measured by two laboratories."""

AGREEMENT_UNITS = """
[[unit]]
id = "afp_reproducibility"
use = "marker_reproducibility"
first = "afp_baseline"
second = "afp_baseline_lab2"
log = true
"""
