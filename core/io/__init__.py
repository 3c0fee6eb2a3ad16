"""Readers and validators for remarkit's input files; each raises ``remarkit.InputError``."""

from remarkit.io.genomics import DuplicateRule, ExpressionMatrix, read_expression
from remarkit.io.gmt import read_gmt
from remarkit.io.images import (
    Geometry,
    ImageManifest,
    ImageRecord,
    ManifestColumns,
    check_pair,
    geometry_problems,
    image_sha256,
    label_problems,
    load_image,
    manifest_sha256,
    read_geometry,
    read_manifest,
    second_mask_errors,
    validate_images,
)
from remarkit.io.maf import MAF_REQUIRED_COLUMNS, read_maf
from remarkit.io.neoantigens import NeoantigenCounts, read_neoantigens
from remarkit.io.table import not_finite, read_table, to_numeric
from remarkit.io.vcf import VcfVariants, read_vcf

__all__ = [
    "MAF_REQUIRED_COLUMNS",
    "DuplicateRule",
    "ExpressionMatrix",
    "Geometry",
    "ImageManifest",
    "ImageRecord",
    "ManifestColumns",
    "NeoantigenCounts",
    "VcfVariants",
    "check_pair",
    "geometry_problems",
    "image_sha256",
    "label_problems",
    "load_image",
    "manifest_sha256",
    "not_finite",
    "read_expression",
    "read_geometry",
    "read_gmt",
    "read_maf",
    "read_manifest",
    "read_neoantigens",
    "read_table",
    "read_vcf",
    "second_mask_errors",
    "to_numeric",
    "validate_images",
]
