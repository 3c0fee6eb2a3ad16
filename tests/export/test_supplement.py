"""supplement.pdf: the report's methods, REMARK profile and provenance, nothing else."""

from __future__ import annotations

from pypdf import PdfReader

from tests.export.conftest import Exported


def test_supplement_holds_methods_profile_and_provenance(exported: Exported) -> None:
    text = "\n".join(p.extract_text() for p in PdfReader(exported.folder / "supplement.pdf").pages)
    flat = " ".join(text.split())
    for wanted in (
        "S1. Methods in detail",
        "Means of age by outcome with normal-theory 95% CIs (NumPy).",
        "S2. Reporting profile",
        "Table S1. REMARK profile: marker and further variables",
        "S3. Provenance",
        "Input files and their sha256",
        exported.results["spec_sha256"][:12],  # shortened in the appendix
    ):
        assert wanted in flat, wanted
    assert "Mean age by outcome" not in flat  # results tables stay in the report
    assert "status and evidence of each item" not in flat  # the checklists are their own forms
    assert exported.manifest["supplement"] == {
        "file": "supplement.pdf",
        "tables": 8,
    }  # + parameters
