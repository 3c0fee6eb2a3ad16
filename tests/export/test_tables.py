"""tables.docx equals the report's tables cell for cell, and results.json through the filters."""

from __future__ import annotations

import csv
from typing import Any

from remarkit.export.parse import parse_report
from remarkit.export.word_tables import layout
from remarkit.report.formatting import est_ci, n_pct, p_value, sig
from tests.export.conftest import Exported


def word_tables(exported: Exported) -> list[tuple[str, list[list[str]]]]:
    """(caption paragraph, grid of cell texts) of every table in tables.docx."""
    import docx

    document = docx.Document(str(exported.folder / "tables.docx"))
    body = document.element.body
    captions: list[str] = []
    last = ""
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
            if text.startswith("Table "):
                last = text
        elif tag == "tbl":
            captions.append(last)
    grids = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return list(zip(captions, grids, strict=True))


def by_caption(exported: Exported, start: str) -> list[list[str]]:
    found = [grid for caption, grid in word_tables(exported) if start in caption]
    assert len(found) == 1, start
    return found[0]


def test_every_report_table_is_in_the_word_file_cell_for_cell(exported: Exported) -> None:
    html = (exported.report / "report.html").read_text(encoding="utf-8")
    tables, _ = parse_report(html)
    words = word_tables(exported)
    assert (
        len(tables) == len(words) == 14
    )  # the provenance appendix: units, parameters, libraries, timings
    for table, (caption, grid) in zip(tables, words, strict=True):
        assert caption == f"Table {table.number}. {table.caption}"
        placed, width = layout(table.rows)
        assert len(grid) == len(table.rows) and all(len(row) == width for row in grid)
        for r, c, cell in placed:
            assert grid[r][c] == cell.text, (table.number, r, c)


def _unit(exported: Exported, unit_id: str) -> dict[str, Any]:
    return next(u for u in exported.results["units"] if u["id"] == unit_id)


def test_group_table_cells_are_the_results_through_the_report_filters(exported: Exported) -> None:
    result = _unit(exported, "groups")["result"]
    grid = by_caption(exported, "Mean age by outcome")
    assert grid[0] == ["Group", "Mean (95% CI)", "p"]
    expected = [
        [r["label"], est_ci(r["mean"], r["low"], r["high"]), p_value(r["p"])]
        for r in result["rows"]
    ]
    assert grid[1:] == expected
    assert grid[1][2] == "<0.001" and grid[2][2] == "\u2013"


def test_generic_and_cohort_tables_match_results(exported: Exported) -> None:
    std = _unit(exported, "std")["result"]
    grid = by_caption(exported, "std (test_standardise): result values")
    assert grid[1:] == [["mean", sig(std["mean"], 4)], ["sd", sig(std["sd"], 4)]]
    cohort = exported.results["cohort"]
    grid = by_caption(exported, "Analysed cohort: patients and outcome events by split")
    assert grid[3][:2] == ["All", str(cohort["n"])]
    events = cohort["events_train"] + cohort["events_test"]
    assert grid[3][2] == n_pct(events, cohort["n"])


def test_notes_follow_their_table(exported: Exported) -> None:
    import docx

    document = docx.Document(str(exported.folder / "tables.docx"))
    texts = [p.text for p in document.paragraphs]
    caption = texts.index("Table 3. Mean age by outcome")
    assert texts[caption + 1] == "Normal-theory 95% CIs; p from a test stub."


def test_csv_holds_the_unrounded_numbers(exported: Exported) -> None:
    rows = _unit(exported, "groups")["result"]["rows"]
    with (exported.folder / "tables" / "groups__rows.csv").open(encoding="utf-8") as handle:
        read = list(csv.DictReader(handle))
    assert [r["label"] for r in read] == [r["label"] for r in rows]
    for got, want in zip(read, rows, strict=True):
        for key in ("mean", "low", "high"):
            assert float(got[key]) == want[key]  # exact: the full float, not the printed one
    assert read[1]["p"] == "" and float(read[0]["p"]) == 0.0004
    with (exported.folder / "tables" / "std.csv").open(encoding="utf-8") as handle:
        values = {r["field"]: r["value"] for r in csv.DictReader(handle)}
    assert float(values["mean"]) == _unit(exported, "std")["result"]["mean"]
    assert values["mean"] != sig(float(values["mean"]), 4)  # not the report's rounding


def test_manifest_links_tables_to_their_csv(exported: Exported) -> None:
    tables = {t["number"]: t for t in exported.manifest["tables"]}
    assert tables[3]["unit"] == "groups"
    assert tables[3]["csv"] == ["tables/groups.csv", "tables/groups__rows.csv"]
    assert "tables/cohort.csv" in tables[1]["csv"]
    for entry in exported.manifest["csv"]:
        assert (exported.folder / entry).is_file()
