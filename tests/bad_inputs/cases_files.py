"""Bad-input cases of the image manifest and images, and of the genomics files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import SimpleITK as sitk  # noqa: N813 - the conventional alias

from tests.bad_inputs.base import Broken, Case, read_rows, replace_in, set_cell, write_rows
from tests.io.dicom import write_dicom_series

IMAGES = "images"
MANIFEST = "images/manifest.csv"


def _manifest_cell(root: Path, row: int, column: str) -> Path:
    rows = read_rows(root / MANIFEST)
    return root / IMAGES / rows[row - 1][rows[0].index(column)]


def _own_mask(
    root: Path, row: int, column: str, change: Callable[[sitk.Image], sitk.Image]
) -> Path:
    """Give manifest ``row`` its own copy of its mask, changed by ``change``; return its path."""
    source = _manifest_cell(root, row, column)
    target = root / IMAGES / f"changed_{row}_{column}.nii.gz"
    sitk.WriteImage(change(sitk.ReadImage(str(source))), str(target))
    set_cell(root / MANIFEST, row, column, target.name)
    return target


def _shift(image: sitk.Image) -> sitk.Image:
    x, y, z = image.GetOrigin()
    image.SetOrigin((x + 7.0, y, z))
    return image


def _spacing(image: sitk.Image) -> sitk.Image:
    sx, sy, sz = image.GetSpacing()
    image.SetSpacing((sx * 1.5, sy, sz))
    return image


def _direction(image: sitk.Image) -> sitk.Image:
    image.SetDirection((0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0))
    return image


def _crop(image: sitk.Image) -> sitk.Image:
    return image[:-2, :, :]


def _flat(image: sitk.Image) -> sitk.Image:
    return image[:, :, image.GetSize()[2] // 2]


def _mask_case(
    name: str, row: int, column: str, change: Callable[[sitk.Image], sitk.Image], text: str
) -> Case:
    def build(root: Path) -> Broken:
        path = _own_mask(root, row, column, change)
        where = f"row {row}, column '{column}': {_where(root, row)}: {path}: {text}"
        return Broken(root / "study.toml", path, where)

    return Case(f"images: {name}", "images", "images", build)


def _where(root: Path, row: int) -> str:
    cells = read_rows(root / MANIFEST)[row - 1]
    return f"patient '{cells[0]}', phase '{cells[1]}'"


def _image_file(name: str, row: int, write: Callable[[Path], None], text: str) -> Case:
    def build(root: Path) -> Broken:
        path = _manifest_cell(root, row, "image")
        write(path)
        return Broken(
            root / "study.toml",
            path,
            f"row {row}, column 'image': {_where(root, row)}: {path}: {text}",
        )

    return Case(f"images: {name}", "images", "images", build)


def _dicom(name: str, row: int, damage: Callable[[list[Path]], None]) -> Case:
    """Row ``row``'s image as a DICOM series folder, one slice damaged by ``damage``."""

    def build(root: Path) -> Broken:
        source = _manifest_cell(root, row, "image")
        folder = root / IMAGES / f"dicom_{row}"
        damage(write_dicom_series(sitk.ReadImage(str(source)), folder))
        set_cell(root / MANIFEST, row, "image", folder.name)
        where = f"row {row}, column 'image': {_where(root, row)}: {folder}: DICOM series: slices"
        return Broken(root / "study.toml", folder, where + " are not evenly spaced")

    return Case(f"images: {name}", "images", "images", build)


def _cut_middle(files: list[Path]) -> None:
    middle = files[len(files) // 2]
    middle.write_bytes(middle.read_bytes()[:-64])


def _folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _manifest(name: str, change: Callable[[Path], None], where: str) -> Case:
    def build(root: Path) -> Broken:
        change(root / MANIFEST)
        return Broken(root / "study.toml", root / MANIFEST, where)

    return Case(f"images: manifest {name}", "images", "images", build)


def _absent_image(root: Path) -> Broken:
    set_cell(root / MANIFEST, 4, "image", "absent.nii.gz")
    path = root / IMAGES / "absent.nii.gz"
    return Broken(
        root / "study.toml",
        path,
        f"row 4, column 'image': {_where(root, 4)}: {path}: file not found",
    )


def _absent_mask(root: Path) -> Broken:
    set_cell(root / MANIFEST, 5, "mask", "nomask.nii.gz")
    path = root / IMAGES / "nomask.nii.gz"
    return Broken(root / "study.toml", path, "row 5, column 'mask'")


def _drop_column(column: str) -> Callable[[Path], None]:
    def change(path: Path) -> None:
        rows = read_rows(path)
        i = rows[0].index(column)
        write_rows(path, [[*r[:i], *r[i + 1 :]] for r in rows])

    return change


def _repeat_row(path: Path) -> None:
    rows = read_rows(path)
    write_rows(path, [*rows, rows[3]])


def _repeat_column(path: Path) -> None:
    rows = read_rows(path)
    write_rows(path, [[*r, "phase" if i == 0 else r[1]] for i, r in enumerate(rows)])


def _short(path: Path) -> None:
    rows = read_rows(path)
    rows[5] = rows[5][:3]
    write_rows(path, rows)


def _latin1(path: Path) -> None:
    text = path.read_text(encoding="utf-8").splitlines()
    text[6] = text[6].replace(",arterial,", ",art\xe9rial,").replace(",portal,", ",p\xf6rtal,")
    path.write_bytes(("\n".join(text) + "\n").encode("latin-1"))


IMAGE_CASES = [
    _image_file("zero-byte image", 2, lambda p: p.write_bytes(b""), "cannot read the image"),
    _image_file(
        "text as image", 3, lambda p: p.write_text("not an image"), "cannot read the image"
    ),
    _image_file("folder without DICOM", 6, _folder, "no DICOM series"),
    _dicom("DICOM series missing a slice", 11, lambda files: files[2].unlink()),
    _dicom("DICOM slice with truncated pixel data", 12, _cut_middle),
    Case("images: image not found", "images", "images", _absent_image),
    Case("images: mask not found", "images", "images", _absent_mask),
    _mask_case("mask 7 mm off", 5, "mask", _shift, "mask origin"),
    _mask_case("mask spacing", 7, "mask", _spacing, "mask spacing"),
    _mask_case("mask size", 8, "mask", _crop, "mask size"),
    _mask_case("liver mask direction", 9, "liver_mask", _direction, "mask direction"),
    _mask_case("2-D mask", 10, "mask", _flat, "a 3-D image is needed"),
    _manifest(
        "without a mask column", _drop_column("mask"), "column 'mask' is not in the image manifest"
    ),
    _manifest(
        "empty cell", lambda p: set_cell(p, 3, "image", ""), "row 3, column 'image': empty cell"
    ),
    _manifest("repeated row", _repeat_row, "is also in row 4"),
    _manifest("repeated column", _repeat_column, "column 'phase'"),
    _manifest("short row", _short, "row 6"),
    _manifest("latin-1", _latin1, "row 7, column 'phase'"),
    _manifest("is a folder", lambda p: (p.unlink(), p.mkdir()), "is a folder"),
]

EXPRESSION = "genomics/expression.tsv"
MAF = "genomics/mutations.maf"
NEO = "genomics/neoantigens.tsv"
GMT = "genomics/hallmark_demo.gmt"


def _genomics(name: str, file: str, change: Callable[[Path], None], where: str) -> Case:
    def build(root: Path) -> Broken:
        change(root / file)
        return Broken(root / "study.toml", root / file, where)

    return Case(f"genomics: {name}", "genomics", "genomics", build)


def _tsv_cell(row: int, column: str, value: str) -> Callable[[Path], None]:
    return lambda path: set_cell(path, row, column, value, sep="\t")


def _tsv_header(old: str, new: str) -> Callable[[Path], None]:
    def change(path: Path) -> None:
        rows = read_rows(path, "\t")
        rows[0][rows[0].index(old)] = new
        write_rows(path, rows, "\t")

    return change


def _first_sample(root: Path) -> str:
    return read_rows(root / EXPRESSION, "\t")[0][1]


def _repeat_sample(path: Path) -> None:
    rows = read_rows(path, "\t")
    rows[0][2] = rows[0][1]
    write_rows(path, rows, "\t")


def _gmt_line(number: int, text: str) -> Callable[[Path], None]:
    def change(path: Path) -> None:
        lines = path.read_text(encoding="utf-8").splitlines()
        lines[number - 1] = text
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    return change


def _absent(name: str, key: str, file: str, what: str) -> Case:
    def build(root: Path) -> Broken:
        replace_in(root / "study.toml", f'"{file}"', '"genomics/absent.tsv"')
        return Broken(root / "study.toml", root / "genomics/absent.tsv", f"{what} not found")

    return Case(f"genomics: {name}", "genomics", "genomics", build)


def _empty_barcode(path: Path) -> None:
    _tsv_cell(4, "Tumor_Sample_Barcode", "")(path)


GENOMICS_CASES = [
    _genomics("expression repeated sample", EXPRESSION, _repeat_sample, "repeated in the header"),
    _genomics("expression inf", EXPRESSION, lambda p: _set_expr(p, 4, 2, "inf"), "row 4"),
    _genomics("expression 1e308", EXPRESSION, lambda p: _set_expr(p, 5, 3, "1e308"), "row 5"),
    _genomics("expression text", EXPRESSION, lambda p: _set_expr(p, 6, 2, "high"), "row 6"),
    _genomics(
        "expression empty gene",
        EXPRESSION,
        lambda p: _set_expr(p, 7, 0, ""),
        "row 7, column 'gene'",
    ),
    _genomics("expression empty file", EXPRESSION, lambda p: p.write_bytes(b""), "empty"),
    _genomics("gene set without genes", GMT, _gmt_line(2, "SET_X\tdescription"), "row 2"),
    _genomics("gene set without name", GMT, _gmt_line(1, "\tdescription\tGENE0001"), "row 1"),
    _genomics(
        "MAF start not an integer",
        MAF,
        _tsv_cell(3, "Start_Position", "12a"),
        "row 3, column 'Start_Position'",
    ),
    _genomics("MAF empty barcode", MAF, _empty_barcode, "row 4, column 'Tumor_Sample_Barcode'"),
    _genomics(
        "MAF without Variant_Type",
        MAF,
        _tsv_header("Variant_Type", "Type"),
        "column 'Variant_Type'",
    ),
    _genomics(
        "MAF repeated column", MAF, _tsv_header("Strand", "Chromosome"), "column 'Chromosome'"
    ),
    _genomics("neoantigen IC50 text", NEO, _tsv_cell(5, "Median MT IC50 Score", "low"), "row 5"),
    _genomics(
        "neoantigen empty sample",
        NEO,
        _tsv_cell(6, "Sample Name", ""),
        "row 6, column 'Sample Name'",
    ),
    _genomics(
        "neoantigen repeated column", NEO, _tsv_header("Start", "Chromosome"), "column 'Chromosome'"
    ),
    _absent("expression absent", "expression", EXPRESSION, "expression matrix"),
    _absent("gene-set file absent", "gene_sets", GMT, "gene-set file"),
]


def _set_expr(path: Path, row: int, column: int, value: str) -> None:
    rows = read_rows(path, "\t")
    rows[row - 1][column] = value
    write_rows(path, rows, "\t")


FILE_CASES = IMAGE_CASES + GENOMICS_CASES
