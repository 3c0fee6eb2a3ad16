"""multivariable_cox's sentences for the generated Results section (numbers as its tables print)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from remarkit import Sentence, number

if TYPE_CHECKING:
    from remarkit.plugins.survival.multivariable_cox import MultivariableCoxResult


def marker_sentences(result: MultivariableCoxResult) -> list[Sentence]:
    """The marker's adjusted and unadjusted hazard ratios, and what it adds (LR test)."""
    marker = next((v for v in result.model.variables if v.variable == result.marker), None)
    if marker is None or not marker.terms:
        return []
    lv = f"{100 * result.level:g}%"
    unadjusted = {t.term: t for t in result.unadjusted.terms}
    others = [v.label for v in result.model.variables if v.variable != result.marker]
    endpoint = result.endpoint_label.lower() or result.endpoint
    adjusted_for = (
        f"{', '.join(others[:-1])} and {others[-1]}" if len(others) > 1 else "".join(others)
    )
    out: list[Sentence] = []
    for i, term in enumerate(marker.terms):
        what = (
            f"{marker.label} {term.level} (versus {term.reference})"
            if term.level is not None
            else marker.label
        )
        numbers = {
            "hr": number("sig", term.hazard_ratio, digits=3),
            "lo": number("sig", term.lower, digits=3),
            "hi": number("sig", term.upper, digits=3),
            "p": number("p", term.p_value),
        }
        text = (
            f"{what} had a hazard ratio for {endpoint} of {{hr}} ({lv} CI {{lo}} to {{hi}}; "
            f"p = {{p}}) adjusted for {adjusted_for}"
        )
        if i == 0:
            numbers["n"] = number("int", result.model.n)
            numbers["events"] = number("int", result.model.events)
            text += ", in {n} patients with {events} events"
        raw = unadjusted.get(term.term)
        if raw is not None:
            numbers |= {
                "hr_u": number("sig", raw.hazard_ratio, digits=3),
                "lo_u": number("sig", raw.lower, digits=3),
                "hi_u": number("sig", raw.upper, digits=3),
            }
            text += "; unadjusted {hr_u} ({lo_u} to {hi_u})"
        out.append(
            Sentence(text=text + ".", numbers=numbers, topic="marker", about=[result.marker])
        )
    added = result.marker_added
    if added is not None:
        out.append(
            Sentence(
                text=f"Adding {marker.label} to the standard variables gave a likelihood-ratio "
                "chi-square of {chi} (p = {p}) and changed Harrell's C from {c0} to {c1}.",
                numbers={
                    "chi": number("num", added.lr_chisq, digits=2),
                    "p": number("p", added.p_value),
                    "c0": number("num", added.concordance_without, digits=3),
                    "c1": number("num", added.concordance_with, digits=3),
                },
                topic="marker",
                table=2,
                about=[result.marker],
            )
        )
    return out
