"""``remarkit export``: a journal submission folder (Word tables, CSV, print-ready figures,
filled checklists, supplement) written from a compiled report folder; see docs/export.md."""
