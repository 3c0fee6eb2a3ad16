"""Before any unit runs: every [genomics] file the study declares reads without error."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from remarkit.engine.spec import Study
from remarkit.errors import InputError, InputErrors
from remarkit.io import read_expression, read_gmt, read_maf, read_neoantigens, read_vcf


def genomics_input_errors(study: Study) -> list[InputError]:
    """The first problem of each declared genomics file (expression matrix, gene sets, MAF or
    VCF, neoantigen table) as its reader reports it; absent files are reported elsewhere."""
    g = study.genomics
    if g is None:
        return []
    readers: list[tuple[Path, Callable[[], object]]] = []
    if g.expression is not None:
        path = study.resolve(g.expression)
        expression = partial(
            read_expression,
            path,
            gene_column=g.expression_gene_column,
            duplicates=g.duplicate_genes,
        )
        readers.append((path, expression))
    readers += [(study.resolve(p), partial(read_gmt, study.resolve(p))) for p in g.gene_sets]
    if g.maf is not None:
        readers.append((study.resolve(g.maf), partial(read_maf, study.resolve(g.maf))))
    if g.vcf is not None:
        vcf = study.resolve(g.vcf)
        readers.append((vcf, partial(read_vcf, vcf, pass_only=g.vcf_pass_only)))
    if g.neoantigens is not None:
        neo = study.resolve(g.neoantigens)
        neoantigens = partial(
            read_neoantigens,
            neo,
            sample_column=g.neoantigen_sample_column,
            count_column=g.neoantigen_count_column,
            ic50_column=g.neoantigen_ic50_column,
            ic50_cutoff=g.neoantigen_ic50_nm,
        )
        readers.append((neo, neoantigens))
    errors: list[InputError] = []
    for path, read in readers:
        if not path.exists():
            continue
        try:
            read()
        except InputErrors as exc:
            errors.extend(exc.errors)
        except InputError as exc:
            errors.append(exc if exc.file else InputError(exc.message, file=str(path)))
    return errors
