# Reference values for remarkit.stats.p_adjust (R's stats::p.adjust).
#
# Run from this directory:  Rscript p_adjust.R
# Needs R >= 4.2 (stats only). Writes p_adjust_expected.csv (case, method, n, index, p, adjusted)
# and p_adjust_versions.csv, which tests/stats/test_p_adjust.py compares with p_adjust. Cases:
# a spread of p-values with ties, one with NA entries, one with n larger than the number of
# p-values, a single p-value and p-values at 0 and 1.
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "versions.R"))
cases <- list(
  spread = c(0.01, 0.04, 0.03, 0.20, 0.005, 0.04, 0.50, 0.0001, 0.9, 0.049),
  with_na = c(0.02, NA, 0.001, 0.3, NA, 0.04),
  larger_n = c(0.01, 0.02, 0.03),
  single = c(0.03),
  edges = c(0, 1, 0.5, 0.025, 0.025)
)
ns <- list(larger_n = 7)
methods <- c("holm", "hochberg", "bonferroni", "BH", "BY", "none")
rows <- list()
for (name in names(cases)) {
  p <- cases[[name]]
  n <- if (is.null(ns[[name]])) sum(!is.na(p)) else ns[[name]]
  for (m in methods) {
    adj <- p.adjust(p, method = m, n = n)
    rows[[length(rows) + 1]] <- data.frame(
      case = name, method = m, n = n, index = seq_along(p) - 1L,
      p = ifelse(is.na(p), "NA", sprintf("%.17g", p)),
      adjusted = ifelse(is.na(adj), "NA", sprintf("%.17g", adj))
    )
  }
}
write.csv(do.call(rbind, rows), "p_adjust_expected.csv", row.names = FALSE)
write_versions("p_adjust")
