"""The generated Methods section's software list and references.

Software: Python, remarkit and the libraries the units that ran used (:func:`used_libraries`).

References: the checklists' papers, then each unit's ``citations`` (in run order, once each),
then the papers of the libraries the run relied on: NumPy, SciPy and pandas always (remarkit's
statistics stand on them), any other library when a unit's Methods paragraph names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from remarkit.engine.unit import pretty_name

#: library -> (names a Methods paragraph may use for it, reference)
LIBRARY_CITATIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "numpy": (
        ("numpy",),
        "Harris CR, Millman KJ, van der Walt SJ, et al. Array programming with NumPy. "
        "Nature 2020;585:357-362.",
    ),
    "scipy": (
        ("scipy",),
        "Virtanen P, Gommers R, Oliphant TE, et al. SciPy 1.0: fundamental algorithms for "
        "scientific computing in Python. Nat Methods 2020;17:261-272.",
    ),
    "pandas": (
        ("pandas",),
        "McKinney W. Data structures for statistical computing in Python. Proceedings of the "
        "9th Python in Science Conference 2010:56-61.",
    ),
    "statsmodels": (
        ("statsmodels",),
        "Seabold S, Perktold J. statsmodels: econometric and statistical modeling with Python. "
        "Proceedings of the 9th Python in Science Conference 2010:92-96.",
    ),
    "lifelines": (
        ("lifelines",),
        "Davidson-Pilon C. lifelines: survival analysis in Python. J Open Source Softw "
        "2019;4(40):1317.",
    ),
    "scikit-learn": (
        ("scikit-learn", "sklearn"),
        "Pedregosa F, Varoquaux G, Gramfort A, et al. Scikit-learn: machine learning in Python. "
        "J Mach Learn Res 2011;12:2825-2830.",
    ),
    "xgboost": (
        ("xgboost",),
        "Chen T, Guestrin C. XGBoost: a scalable tree boosting system. Proceedings of the 22nd "
        "ACM SIGKDD International Conference on Knowledge Discovery and Data Mining 2016:785-794.",
    ),
    "pyradiomics": (
        ("pyradiomics",),
        "van Griethuysen JJM, Fedorov A, Parmar C, et al. Computational radiomics system to "
        "decode the radiographic phenotype. Cancer Res 2017;77(21):e104-e107.",
    ),
    "SimpleITK": (
        ("simpleitk",),
        "Lowekamp BC, Chen DT, Ibanez L, Blezek D. The design of SimpleITK. Front Neuroinform "
        "2013;7:45.",
    ),
    "torch": (
        ("pytorch", "torch"),
        "Paszke A, Gross S, Massa F, et al. PyTorch: an imperative style, high-performance deep "
        "learning library. Adv Neural Inf Process Syst 2019;32:8024-8035.",
    ),
    "shap": (
        ("shap",),
        "Lundberg SM, Lee SI. A unified approach to interpreting model predictions. Adv Neural "
        "Inf Process Syst 2017;30:4765-4774.",
    ),
    "matplotlib": (
        ("matplotlib",),
        "Hunter JD. Matplotlib: a 2D graphics environment. Comput Sci Eng 2007;9(3):90-95.",
    ),
    "pysam": (
        ("pysam", "htslib"),
        "Bonfield JK, Marshall J, Danecek P, et al. HTSlib: C library for reading/writing "
        "high-throughput sequencing data. GigaScience 2021;10(2):giab007.",
    ),
}
ALWAYS_CITED = ("numpy", "scipy", "pandas")
REMARK_ELABORATION = (
    "Altman DG, McShane LM, Sauerbrei W, Taube SE. Reporting recommendations for tumor marker "
    "prognostic studies (REMARK): explanation and elaboration. PLoS Med 2012;9(5):e1001216."
)


@dataclass(frozen=True)
class MethodsEntry:
    """One unit's Methods paragraph."""

    unit_id: str
    name: str
    version: str
    text: str
    title: str = ""


def unit_title(unit: dict[str, Any]) -> str:
    """A unit record's human title (its unit class's title; older records: the name, pretty)."""
    return str(unit.get("title") or pretty_name(str(unit.get("name", ""))))


def methods_entries(results: dict[str, Any]) -> list[MethodsEntry]:
    """The Methods paragraphs of the units that ran, in run order."""
    return [
        MethodsEntry(
            str(u["id"]),
            str(u["name"]),
            str(u["version"]),
            str(u["methods"]).strip(),
            unit_title(u),
        )
        for u in results.get("units", [])
        if u.get("status") == "ok" and str(u.get("methods", "")).strip()
    ]


def _mentions(text: str, aliases: tuple[str, ...]) -> bool:
    return any(re.search(rf"(?<![\w-]){re.escape(a)}(?![\w-])", text) for a in aliases)


def cited_libraries(results: dict[str, Any]) -> list[str]:
    """Libraries whose papers the run cites, in LIBRARY_CITATIONS order."""
    text = " ".join(e.text for e in methods_entries(results)).lower()
    recorded = set(results.get("libraries", {}))
    return [
        name
        for name, (aliases, _) in LIBRARY_CITATIONS.items()
        if name in ALWAYS_CITED or (name in recorded and _mentions(text, aliases))
    ]


def references(results: dict[str, Any], leading: list[str]) -> list[str]:
    """The numbered reference list: ``leading`` (checklists), unit citations, libraries; once each."""
    refs: list[str] = []
    candidates = list(leading)
    for unit in results.get("units", []):
        if unit.get("status") == "ok":
            candidates.extend(str(c) for c in unit.get("citations", []))
    candidates.extend(LIBRARY_CITATIONS[name][1] for name in cited_libraries(results))
    for ref in candidates:
        if ref.strip() and ref not in refs:
            refs.append(ref)
    return refs


def used_libraries(results: dict[str, Any]) -> list[str]:
    """The recorded libraries the units that ran used, in the record's order.

    numpy, pandas and scipy always (remarkit's statistics stand on them); matplotlib when a unit
    drew a figure; any other library when a unit's Methods paragraph names it. A clinical-only
    study thus lists no torch, pyradiomics, SimpleITK or xgboost.
    """
    ran = [u for u in results.get("units", []) if u.get("status") == "ok"]
    text = " ".join(e.text for e in methods_entries(results)).lower()
    drew = any((u.get("result") or {}).get("figures") for u in ran)
    used: list[str] = []
    for name in results.get("libraries", {}):
        aliases = LIBRARY_CITATIONS[name][0] if name in LIBRARY_CITATIONS else None
        if (
            name in ALWAYS_CITED
            or (name == "matplotlib" and drew)
            or (aliases is not None and _mentions(text, aliases))
        ):
            used.append(name)
    return used


def software(results: dict[str, Any]) -> list[tuple[str, str]]:
    """(name, version) of Python, remarkit and the libraries the units that ran used.

    Every recorded library, used or not, stays in the provenance appendix.
    """
    rows = [("Python", str(results.get("platform", {}).get("python", "")))]
    rows.append(("remarkit", str(results.get("remarkit_version", ""))))
    libraries = results.get("libraries", {})
    rows += [(name, str(libraries[name])) for name in used_libraries(results)]
    return rows
