"""Number formatting for reports: the documented Jinja2 filter set.

Results hold raw numbers; only templates format them, through these filters:

- ``p``: p-values: ``<0.001`` below 0.001, three decimals below 0.1, two otherwise (``0.045``,
  ``0.12``).
- ``p_phrase``: the same in a phrase: ``p = 0.045``, ``p < 0.001``.
- ``num(digits=2)``: fixed decimals; integers-valued floats keep the requested decimals.
- ``sig(digits=3)``: significant figures (for ORs, HRs spanning magnitudes).
- ``ci(low, high, digits=2)``: ``low–high``.
- ``est_ci(est, low, high, digits=2)``: ``est (low–high)``.
- ``pct(digits=1)``: a proportion 0-1 as a percentage ``62.1%``.
- ``n_pct(n, total, digits=1)``: ``93 (60.8%)``.

Every filter prints a missing value (None) as an en dash, +inf / -inf as ``inf`` / ``-inf`` and
NaN as ``n.e.`` (not estimable); results.json's string forms ``"Infinity"``, ``"-Infinity"`` and
``"NaN"`` print the same. The report adds a note under each table that shows ``inf`` or ``n.e.``
(:func:`non_finite_note`). A value that rounds to zero never prints a minus sign (``0.00``, not
``-0.00``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

DASH = "\u2013"
MISSING = DASH
INFINITE = "inf"
NOT_ESTIMABLE = "n.e."
#: What each non-finite mark means, for the note under a table that shows it.
MARK_NOTES: dict[str, str] = {
    INFINITE: "inf, infinite (an unbounded estimate or confidence limit, e.g. for a level "
    "with no events)",
    NOT_ESTIMABLE: "n.e., not estimable (undefined for these data)",
}


def _missing(value: Any) -> bool:
    if value is None or isinstance(value, bool):
        return value is None
    try:
        float(value)
    except (TypeError, ValueError):
        return True
    return False


def non_finite_mark(value: Any) -> str | None:
    """``'inf'``/``'-inf'`` for an infinite value, ``'n.e.'`` for NaN, None otherwise."""
    if value is None or isinstance(value, bool):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(x):
        return NOT_ESTIMABLE
    if math.isinf(x):
        return INFINITE if x > 0 else "-" + INFINITE
    return None


def non_finite_note(marks: set[str]) -> str:
    """The table note explaining the marks shown (``inf``, ``-inf``, ``n.e.``), or ''."""
    kinds = {m.lstrip("-") for m in marks}
    parts = [MARK_NOTES[k] for k in (INFINITE, NOT_ESTIMABLE) if k in kinds]
    return "; ".join(parts) + "." if parts else ""


def _unsigned_zero(text: str) -> str:
    """Drop the minus sign of a formatted value that rounds to zero (``-0.00`` -> ``0.00``)."""
    if text.startswith("-") and not any(c in "123456789" for c in text.split("e")[0]):
        return text[1:]
    return text


def p_value(value: Any) -> str:
    """Format a p-value as journals do: ``<0.001``, ``0.013``, ``0.12``."""
    if _missing(value):
        return MISSING
    mark = non_finite_mark(value)
    if mark is not None:
        return mark
    p = float(value)
    if p < 0.001:
        return "<0.001"
    if p < 0.1:
        return f"{p:.3f}"
    return f"{p:.2f}" if p < 0.995 else "1.00"


def p_phrase(value: Any) -> str:
    """A p-value in a sentence or annotation: ``p = 0.013``, ``p < 0.001`` (never ``p = <0.001``)."""
    shown = p_value(value)
    return f"p < {shown[1:]}" if shown.startswith("<") else f"p = {shown}"


def num(value: Any, digits: int = 2) -> str:
    """Fixed decimals; ``inf``/``-inf``/``n.e.`` for non-finite values."""
    if _missing(value):
        return MISSING
    mark = non_finite_mark(value)
    if mark is not None:
        return mark
    return _unsigned_zero(f"{float(value):.{digits}f}")


def sig(value: Any, digits: int = 3) -> str:
    """Significant figures, without scientific notation for ordinary magnitudes."""
    if _missing(value):
        return MISSING
    mark = non_finite_mark(value)
    if mark is not None:
        return mark
    x = float(value)
    if x == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(x)))
    if magnitude >= 6 or magnitude <= -5:
        return f"{x:.{digits - 1}e}"
    decimals = max(0, digits - 1 - magnitude)
    return _unsigned_zero(f"{x:.{decimals}f}")


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
    mark = non_finite_mark(value)
    if mark is not None:
        return mark
    return _unsigned_zero(f"{100 * float(value):.{digits}f}") + "%"


def n_pct(n: Any, total: Any, digits: int = 1) -> str:
    """A count with its percentage of ``total``: ``93 (60.8%)``."""
    if _missing(n) or non_finite_mark(n) is not None:
        return MISSING if _missing(n) else str(non_finite_mark(n))
    if _missing(total) or non_finite_mark(total) is not None or float(total) == 0:
        return f"{int(float(n))}"
    share = _unsigned_zero(f"{100 * float(n) / float(total):.{digits}f}")
    return f"{int(float(n))} ({share}%)"


FILTERS: dict[str, Callable[..., str]] = {
    "p": p_value,
    "p_phrase": p_phrase,
    "num": num,
    "sig": sig,
    "ci": ci,
    "est_ci": est_ci,
    "pct": pct,
    "n_pct": n_pct,
}
