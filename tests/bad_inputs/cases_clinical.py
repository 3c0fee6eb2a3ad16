"""Bad-input cases of the spec (study.toml), the cohort table and the command line."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from tests.bad_inputs.base import Broken, Case, read_rows, replace_in, set_cell, write_rows


def _spec(old: str, new: str, where: str, file: str = "study.toml", make: str = "") -> Case:
    """Replace ``old`` by ``new`` in study.toml; the error names ``file`` (in the study folder).

    ``make``: a file to create first (with junk content).
    """

    def build(root: Path) -> Broken:
        spec = root / "study.toml"
        replace_in(spec, old, new)
        if make:
            (root / make).write_bytes(b"PK\x03\x04 not a table")
        return Broken(spec, root / file, where)

    return Case(f"spec: {where} ({new.strip()[:30]})", "spec", "clinical", build)


SPEC_CASES = [
    _spec("seed = 7", 'seed = 7\ncolour = "blue"', "field 'study.colour'"),
    _spec('title = "Bad-input corpus study"\n', "", "field 'study.title'"),
    _spec("seed = 7", 'seed = "seven"', "field 'study.seed'"),
    _spec("[cohort.split]", "[cohort.split\n", "line "),
    _spec('type = "categorical"', 'type = "ordinal"', "field 'cohort.variables.stage.type'"),
    _spec('reference = "I"', 'reference = "IV"', "field 'cohort.variables.stage'"),
    _spec(
        '[cohort.variables.age]\ntype = "continuous"',
        '[cohort.variables.age]\ntype = "continuous"\nlevels = ["a"]',
        "field 'cohort.variables.age'",
    ),
    _spec('id = "pid"', 'id = "pid"\nsamples = "first"', "field 'cohort'"),
    _spec("excluded = 5", "excluded = 4", "field 'cohort.flow[2]'"),
    _spec(
        'excluded = 5\n\n[[cohort.flow]]\nlabel = "analysed"\nn = 40',
        'excluded = 4\n\n[[cohort.flow]]\nlabel = "analysed"\nn = 41',
        "field 'cohort.flow': the patient flow ends at 41",
    ),
    _spec(
        'label = "enrolled"\nn = 45', 'label = "enrolled"\nexcluded = 45', "field 'cohort.flow[0]'"
    ),
    _spec("excluded = 5", "n = 40", "field 'cohort.flow[1]': step 'no images' gives n = 40"),
    _spec("excluded = 5", "excluded = -5", "field 'cohort.flow.1.excluded'"),
    _spec('use = "univariable_logistic"', 'use = "univariate_logistic"', "field 'unit[0].use'"),
    _spec(
        'variables = ["stage", "age"]', 'variables = ["stage", "age"]\nalpha = 2', "unit[0](uni)"
    ),
    _spec('variables = ["stage", "age"]', 'variables = "stage"', "unit[0](uni)"),
    _spec('variables = ["stage", "age"]', 'variables = ["stage", "weight"]', "unit(uni)"),
    _spec('id = "uni"', 'id = "1uni"', "field 'unit.0.id'"),
    _spec(
        '[cohort.outcome]\ncolumn = "response"',
        '[cohort.outcome]\ncolumn = "reply"',
        "field 'cohort.outcome.column'",
        "cohort.csv",
    ),
    _spec('positive = "yes"', 'positive = "Yes"', "field 'cohort.outcome.positive'", "cohort.csv"),
    _spec(
        'table = "cohort.csv"',
        'table = "cohort.xlsx"',
        "unsupported table format",
        "cohort.xlsx",
        make="cohort.xlsx",
    ),
    _spec(
        "[[unit]]",
        '[images]\nmanifest = "images.csv"\n\n[[unit]]',
        "image manifest not found",
        "images.csv",
    ),
    _spec(
        "[cohort.variables.age]",
        '[cohort.endpoints."2nd"]\ntime = "months"\nevent = "dead"\n\n[cohort.variables.age]',
        "field 'cohort'",
    ),
]


def _cohort(name: str, mutate: object, where: str) -> Case:
    def build(root: Path) -> Broken:
        table = root / "cohort.csv"
        mutate(table)  # type: ignore[operator]
        return Broken(root / "study.toml", table, where)

    return Case(f"cohort: {name}", "cohort", "clinical", build)


def _cell(row: int, column: str, value: str) -> object:
    return lambda table: set_cell(table, row, column, value)


def _duplicate_column(table: Path) -> None:
    rows = read_rows(table)
    write_rows(table, [[*r[:6], "1" if i else "marker", *r[6:]] for i, r in enumerate(rows)])


def _short_row(table: Path) -> None:
    rows = read_rows(table)
    rows[6] = rows[6][:-2]
    write_rows(table, rows)


def _long_row(table: Path) -> None:
    rows = read_rows(table)
    rows[9] = [*rows[9], "extra"]
    write_rows(table, rows)


def _latin1(table: Path) -> None:
    rows = read_rows(table)
    rows[4][rows[0].index("stage")] = "II\xe9"
    text = "\n".join(",".join(r) for r in rows) + "\n"
    table.write_bytes(text.encode("latin-1"))


def _trimmed_duplicate(table: Path) -> None:
    rows = read_rows(table)
    write_rows(table, [[*r, " age" if i == 0 else "50"] for i, r in enumerate(rows)])


def _folder(table: Path) -> None:
    table.unlink()
    table.mkdir()


def _unclosed_quote(table: Path) -> None:
    text = table.read_text(encoding="utf-8").splitlines()
    text[3] = '"' + text[3]
    table.write_text("\n".join(text) + "\n", encoding="utf-8")


def _no_test_events(table: Path) -> None:
    rows = read_rows(table)
    s, r = rows[0].index("set"), rows[0].index("response")
    write_rows(
        table, [rows[0]] + [[*x[:r], "no", *x[r + 1 :]] if x[s] == "test" else x for x in rows[1:]]
    )


COHORT_CASES = [
    _cohort("repeated column", _duplicate_column, "column 'marker'"),
    _cohort("short row", _short_row, "row 7"),
    _cohort("long row", _long_row, "row 10"),
    _cohort("latin-1 byte", _latin1, "row 5, column 'stage'"),
    _cohort("names equal after trimming", _trimmed_duplicate, "column 'age'"),
    _cohort("a folder", _folder, "is a folder"),
    _cohort("empty file", lambda t: t.write_bytes(b""), "the file is empty"),
    _cohort("unclosed quote", _unclosed_quote, "line "),
    _cohort(
        "inf", _cell(5, "marker", "inf"), "column 'marker': non-finite value(s) 'inf' in row 5"
    ),
    _cohort("-inf", _cell(6, "marker", "-inf"), "row 6"),
    _cohort("Infinity", _cell(7, "age", "Infinity"), "column 'age'"),
    _cohort("1e309", _cell(8, "age", "1e309"), "row 8"),
    _cohort("1e308", _cell(9, "marker", "1e308"), "row 9"),
    _cohort("inf survival time", _cell(3, "months", "inf"), "column 'months'"),
    _cohort(
        "non-numeric",
        _cell(4, "marker", "high"),
        "column 'marker': non-numeric value(s) 'high' in row 4",
    ),
    _cohort("negative time", _cell(5, "months", "-3"), "column 'months': negative survival time"),
    _cohort("event value", _cell(6, "dead", "2"), "column 'dead'"),
    _cohort("missing id", _cell(7, "pid", ""), "column 'pid': patient id is missing in row 7"),
    _cohort("duplicate id", _cell(8, "pid", "P00"), "rows 2, 8"),
    _cohort("level", _cell(9, "stage", "IV"), "column 'stage'"),
    _cohort("split value", _cell(10, "set", "tset"), "row 10"),
    _cohort("outcome not binary", _cell(11, "response", "maybe"), "column 'response'"),
    _cohort("no test events", _no_test_events, "column 'response'"),
]


def _nan_literal(root: Path) -> Broken:
    replace_in(root / "study.toml", 'id = "pid"', 'id = "pid"\nmissing = ["NA"]')
    set_cell(root / "cohort.csv", 12, "marker", "nan")
    return Broken(root / "study.toml", root / "cohort.csv", "row 12")


def _absent_table(root: Path) -> Broken:
    (root / "cohort.csv").unlink()
    return Broken(root / "study.toml", root / "cohort.csv", "file not found")


def _absent_column(root: Path) -> Broken:
    rows = read_rows(root / "cohort.csv")
    i = rows[0].index("marker")
    write_rows(root / "cohort.csv", [[*r[:i], *r[i + 1 :]] for r in rows])
    return Broken(root / "study.toml", root / "cohort.csv", "field 'cohort.variables.marker'")


def _tsv_short_row(root: Path) -> Broken:
    rows = read_rows(root / "cohort.csv")
    rows[3] = rows[3][:2]
    write_rows(root / "cohort.tsv", rows, sep="\t")
    replace_in(root / "study.toml", '"cohort.csv"', '"cohort.tsv"')
    return Broken(root / "study.toml", root / "cohort.tsv", "row 4")


def _parquet_repeated(root: Path) -> Broken:
    rows = read_rows(root / "cohort.csv")
    names = [*rows[0], "age"]
    columns = [pa.array([r[i] for r in rows[1:]]) for i in range(len(rows[0]))]
    columns.append(pa.array(["1"] * (len(rows) - 1)))
    pq.write_table(pa.table(columns, names=names), root / "cohort.parquet")
    replace_in(root / "study.toml", '"cohort.csv"', '"cohort.parquet"')
    return Broken(root / "study.toml", root / "cohort.parquet", "column 'age'")


def _jobs(value: str) -> Case:
    def build(root: Path) -> Broken:
        return Broken(root / "study.toml", None, "argument --jobs", ("--jobs", value))

    return Case(f"cli: --jobs {value}", "cli", "clinical", build)


OTHER_CASES = [
    Case("cohort: nan literal not declared missing", "cohort", "clinical", _nan_literal),
    Case("cohort: table absent", "cohort", "clinical", _absent_table),
    Case("cohort: column named in the spec absent", "cohort", "clinical", _absent_column),
    Case("cohort: TSV short row", "cohort", "clinical", _tsv_short_row),
    Case("cohort: parquet repeated column", "cohort", "clinical", _parquet_repeated),
    _jobs("0"),
    _jobs("-1"),
]

CLINICAL_CASES = SPEC_CASES + COHORT_CASES + OTHER_CASES
