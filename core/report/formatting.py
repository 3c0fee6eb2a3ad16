"""Number formatting for reports: the documented Jinja2 filter set.

Results hold raw numbers; only templates format them, through these filters:

- ``p``: p-values: ``<0.001`` below 0.001, three decimals below 0.1, two otherwise (``0.045``,
  ``0.12``); None/NaN as an en dash.
- ``num(digits=2)``: fixed decimals; integers-valued floats keep the requested decimals.
- ``sig(digits=3)``: significant figures (for ORs, HRs spanning magnitudes).
- ``ci(low, high, digits=2)``: ``low–high``.
- ``est_ci(est, low, high, digits=2)``: ``est (low–high)``.
- ``pct(digits=1)``: a proportion 0-1 as a percentage ``62.1%``.
- ``n_pct(n, total, digits=1)``: ``93 (60.8%)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

DASH = "\u2013"
MISSING = DASH


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def p_value(value: Any) -> str:
    """Format a p-value as journals do: ``<0.001``, ``0.013``, ``0.12``."""
    if _missing(value):
        return MISSING
    p = float(value)
    if p < 0.001:
        return "<0.001"
    if p < 0.1:
        return f"{p:.3f}"
    return f"{p:.2f}" if p < 0.995 else "1.00"


def num(value: Any, digits: int = 2) -> str:
    """Fixed decimals; infinite values as ``∞``."""
    if _missing(value):
        return MISSING
    x = float(value)
    if math.isinf(x):
        return "\u221e" if x > 0 else "-\u221e"
    return f"{x:.{digits}f}"


def sig(value: Any, digits: int = 3) -> str:
    """Significant figures, without scientific notation for ordinary magnitudes."""
    if _missing(value):
        return MISSING
    x = float(value)
    if math.isinf(x):
        return "\u221e" if x > 0 else "-\u221e"
    if x == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(x)))
    if magnitude >= 6 or magnitude <= -5:
        return f"{x:.{digits - 1}e}"
    decimals = max(0, digits - 1 - magnitude)
    return f"{x:.{decimals}f}"


def ci(low: Any, high: Any, digits: int = 2) -> str:
    """A confidence interval ``low–high``."""
    return f"{num(low, digits)}{DASH}{num(high, digits)}"


def est_ci(est: Any, low: Any, high: Any, digits: int = 2) -> str:
    """An estimate with its interval: ``2.35 (1.20–4.65)``."""
    return f"{num(est, digits)} ({ci(low, high, digits)})"


def pct(value: Any, digits: int = 1) -> str:
    """A proportion (0-1) as a percentage."""
    if _missing(value):
        return MISSING
    return f"{100 * float(value):.{digits}f}%"


def n_pct(n: Any, total: Any, digits: int = 1) -> str:
    """A count with its percentage of ``total``: ``93 (60.8%)``."""
    if _missing(n):
        return MISSING
    if _missing(total) or float(total) == 0:
        return f"{int(n)}"
    return f"{int(n)} ({100 * float(n) / float(total):.{digits}f}%)"


FILTERS: dict[str, Callable[..., str]] = {
    "p": p_value,
    "num": num,
    "sig": sig,
    "ci": ci,
    "est_ci": est_ci,
    "pct": pct,
    "n_pct": n_pct,
}
