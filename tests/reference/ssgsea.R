# Reference values for remarkit.stats.ssgsea (GSVA method = "ssgsea").
#
# Generates a seeded expression matrix (300 genes x 12 samples, heavy ties, one constant gene) and
# six gene sets (sizes 5..60, some genes absent from the matrix, one set with no matched gene),
# runs GSVA's ssGSEA and writes data + expected scores as CSV (17 significant digits) next to
# this script.  Run from the repository root:  Rscript tests/reference/ssgsea.R
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "versions.R"))
suppressPackageStartupMessages(library(GSVA))

out_dir <- file.path("tests", "reference")
set.seed(20240611)

n_genes <- 300
genes <- sprintf("G%03d", seq_len(n_genes))
samples <- sprintf("S%02d", 1:12)
# Columns 1-8: integers with many ties; columns 9-12: two decimals (few ties).
heavy <- sapply(1:8, function(j) round(rnorm(n_genes, mean = j / 4, sd = 4)))
light <- sapply(1:4, function(j) round(rnorm(n_genes, mean = 5, sd = 2), 2))
expr <- cbind(heavy, light)
expr[n_genes, ] <- 3 # a constant gene (GSVA warns, ssGSEA keeps it)
dimnames(expr) <- list(genes, samples)

pick <- function(k) sample(genes, k)
gene_sets <- list(
  SET_A = pick(5),
  SET_B = c(pick(12), "MISSING_1", "MISSING_2"),
  SET_C = {
    g <- pick(25)
    c(g, g[3]) # a gene listed twice: GSVA counts it twice
  },
  SET_D = c(pick(40), "MISSING_3"),
  SET_E = pick(60),
  SET_F = c(pick(8), genes[n_genes]), # includes the constant gene
  SET_NONE = c("MISSING_4", "MISSING_5") # nothing matches: dropped
)

run_ssgsea <- function(tau, norm, min_sz) {
  if (exists("ssgseaParam", mode = "function")) {
    param <- ssgseaParam(expr, gene_sets, alpha = tau, normalize = norm, minSize = min_sz)
    res <- NULL
    invisible(capture.output(res <- gsva(param, verbose = FALSE)))
    res
  } else {
    res <- NULL
    invisible(capture.output(res <- suppressWarnings(gsva(
      expr, gene_sets, method = "ssgsea", tau = tau, ssgsea.norm = norm,
      min.sz = min_sz, verbose = FALSE
    ))))
    res
  }
}

fmt <- function(m) {
  df <- data.frame(set = rownames(m), stringsAsFactors = FALSE)
  for (s in colnames(m)) df[[s]] <- sprintf("%.17g", m[, s])
  df
}

expr_df <- data.frame(gene = genes, stringsAsFactors = FALSE)
for (s in samples) expr_df[[s]] <- sprintf("%.17g", expr[, s])
write.csv(expr_df, file.path(out_dir, "ssgsea_expression.csv"), row.names = FALSE, quote = FALSE)

sets_long <- do.call(rbind, lapply(names(gene_sets), function(nm) {
  data.frame(set = nm, gene = gene_sets[[nm]], stringsAsFactors = FALSE)
}))
write.csv(sets_long, file.path(out_dir, "ssgsea_gene_sets.csv"), row.names = FALSE, quote = FALSE)

cases <- list(
  normalized = list(tau = 0.25, norm = TRUE, min_sz = 1),
  unnormalized = list(tau = 0.25, norm = FALSE, min_sz = 1),
  tau1_min10 = list(tau = 1, norm = TRUE, min_sz = 10)
)
for (nm in names(cases)) {
  cs <- cases[[nm]]
  es <- run_ssgsea(cs$tau, cs$norm, cs$min_sz)
  write.csv(fmt(es), file.path(out_dir, paste0("ssgsea_expected_", nm, ".csv")),
            row.names = FALSE, quote = FALSE)
}

write_versions("ssgsea", "GSVA")
