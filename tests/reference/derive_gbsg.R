# Reference values for derived variables ([cohort.derived.NAME]) on the public GBSG data.
#
# Run from this directory:  Rscript derive_gbsg.R [/work/shared/data/breast/gbsg.csv]
# Needs base R only (stats). Reads the GBSG table (686 patients; not copied into the repo) and
# derive_gbsg_split.csv (pid -> train/test, drawn once with numpy default_rng(20260313), see
# tests/engine/test_derive_gbsg.py), derives the same variables as that test's study.toml and
# writes derive_gbsg_expected.csv (section, key, term, value) and derive_gbsg_versions.csv:
#   - counts per level of the cuts (R's cut(): right, include.lowest, default labels) and the
#     regrouping of grade, overall;
#   - missing counts of log(pgr) (pgr <= 0) and of pgr / er (er == 0), per-patient values of
#     log(size), pgr / er and age standardised by the training set's mean and sd (n - 1);
#   - glm(status ~ pgr_pos + nodes_cat + grade_grp + log_size + age_z, binomial) on the training
#     set, and glm(status ~ log_pgr) on its complete cases: coefficients and standard errors.
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "versions.R"))
args <- commandArgs(trailingOnly = TRUE)
path <- if (length(args) > 0) args[1] else "/work/shared/data/breast/gbsg.csv"
gbsg <- read.csv(path, stringsAsFactors = FALSE)
split <- read.csv("derive_gbsg_split.csv", stringsAsFactors = FALSE)
stopifnot(identical(gbsg$pid, split$pid))
gbsg$set <- split$set
train <- gbsg$set == "train"

d <- data.frame(pid = gbsg$pid, status = gbsg$status, set = gbsg$set)
d$pgr_pos <- cut(gbsg$pgr, c(-Inf, 10, Inf), right = FALSE, labels = c("< 10", ">= 10"))
d$nodes_cat <- cut(gbsg$nodes, c(0, 3, 9, Inf), right = TRUE, labels = c("1-3", "4-9", ">= 10"))
d$grade_grp <- factor(ifelse(gbsg$grade %in% c(1, 2), "1-2", "3"), levels = c("1-2", "3"))
d$nodes_low <- cut(gbsg$nodes, c(1, 3, 9, 51), include.lowest = TRUE)
d$pgr_left <- cut(gbsg$pgr, c(0, 10, 100, 2380), right = FALSE, include.lowest = TRUE)
d$size_open <- cut(gbsg$size, c(3, 20, 50, 100))
d$log_size <- log(gbsg$size)
d$log_pgr <- ifelse(gbsg$pgr > 0, log(gbsg$pgr), NA)
ratio <- gbsg$pgr / gbsg$er
d$pgr_er <- ifelse(is.finite(ratio), ratio, NA)
m <- mean(gbsg$age[train])
s <- sd(gbsg$age[train])
d$age_z <- (gbsg$age - m) / s

rows <- list()
add <- function(section, key, term, value) {
  rows[[length(rows) + 1]] <<- data.frame(section = section, key = key, term = term,
                                          value = sprintf("%.17g", value))
}
for (v in c("pgr_pos", "nodes_cat", "grade_grp", "nodes_low", "pgr_left", "size_open")) {
  f <- d[[v]]
  for (lv in levels(f)) add("count", v, lv, sum(f == lv, na.rm = TRUE))
  add("missing", v, "", sum(is.na(f)))
}
for (v in c("log_size", "log_pgr", "pgr_er", "age_z")) {
  add("missing", v, "", sum(is.na(d[[v]])))
  for (i in seq_len(nrow(d))) add("value", v, d$pid[i], ifelse(is.na(d[[v]][i]), NaN, d[[v]][i]))
}
add("standardize", "age_z", "mean", m)
add("standardize", "age_z", "sd", s)
add("standardize", "age_z", "n_fit", sum(train & !is.na(gbsg$age)))

ctl <- glm.control(epsilon = 1e-14, maxit = 100)
emit <- function(key, model) {
  co <- summary(model)$coefficients
  for (term in rownames(co)) {
    add("glm", key, paste0(term, ":coef"), co[term, "Estimate"])
    add("glm", key, paste0(term, ":se"), co[term, "Std. Error"])
  }
  add("glm", key, "n", nobs(model))
}
tr <- d[train, ]
emit("multi", glm(status ~ pgr_pos + nodes_cat + grade_grp + log_size + age_z,
                  family = binomial, data = tr, control = ctl))
emit("log_pgr", glm(status ~ log_pgr, family = binomial, data = tr, control = ctl))

write.csv(do.call(rbind, rows), "derive_gbsg_expected.csv", row.names = FALSE, quote = TRUE)
write_versions("derive_gbsg")
