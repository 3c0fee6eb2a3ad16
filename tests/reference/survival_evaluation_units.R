# Reference values for the survival evaluation units (proportional_hazards,
# survival_discrimination) from R survival.
#
# Run from the repository root:  Rscript tests/reference/survival_evaluation_units.R
# Needs: survival (and splines, base R). Writes next to this script:
#   survival_evaluation_units_expected.csv  section, case, key, term, value:
#     zph rows: cox.zph(fit, transform, terms = TRUE) chisq, df, p per term and GLOBAL, the
#       diagonal of its $var per term, the number of subjects and events;
#     concordance rows: concordance(Surv ~ score, reverse) C, sqrt(var), n per set;
#     auc rows (key "auc", term "<set>@<horizon>"): cumulative/dynamic AUC(t) from its
#       definition (as survival_models.R: cases T <= t with an event weighted 1 / G(T-),
#       controls T > t weighted 1 / G(t), G the Kaplan-Meier of censoring; ties 1/2), the
#       risk score being the score itself (reverse = TRUE) or minus it (reverse = FALSE);
#   survival_evaluation_units_versions.csv  R's and survival's versions (versions.R);
#   survival_evaluation_units_smooth.csv    case, term, index, x, fit, se: plot.cox.zph's smooth
#     of the scaled Schoenfeld residuals (natural spline ns(df = 4, intercept = TRUE) on
#     c(pred.x, x) fitted by least squares, 40 prediction points), its fitted values at pred.x
#     and se = sqrt(var[i, i] * seval): plot.cox.zph draws fit +/- 2 se.
# Data and cases:
#   synthetic: survival_units_cohort.csv (tests/survival/conftest.py survival_frame()), training
#     patients ("set" == "train"), complete cases per model.
#     syn_km:        Surv(os, death) ~ marker + age + stage (reference "I"), transform "km"
#     syn_strat_id:  Surv(os, death) ~ marker + age + strata(sex), transform "identity"
#     syn_marker:    concordance of marker with pfs/progression per set, reverse = TRUE
#   gbsg: /work/shared/data/breast/gbsg.csv (skipped when absent), meno, grade and hormon as
#     factors, the split "train" for rows 2, 3, 5, 6, ... (0-based row index not divisible by 3).
#     gbsg_km:       all patients, Surv(rfstime, status) ~ pgr + age + meno + size + grade +
#                    nodes + hormon, transform "km"
#     gbsg_strat_rank: training patients, pgr + age + meno + size + nodes + hormon +
#                    strata(grade), transform "rank"
#     gbsg_pgr:      concordance of pgr per set, reverse = FALSE (higher pgr, longer survival)
#     gbsg_lp:       the linear predictor of the gbsg_km model fitted on the training patients
#                    (predict(type = "lp") for everyone), concordance per set, reverse = TRUE
# Every fit is coxph(ties = "efron") converged tightly.
suppressPackageStartupMessages({
  library(survival)
  library(splines)
})

source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "versions.R"))
out_dir <- reference_dir

rows <- list()
smooth_rows <- list()
add <- function(section, case, key, term, value) {
  rows[[length(rows) + 1]] <<- data.frame(section = section, case = case, key = key,
                                          term = term, value = sprintf("%.17g", value))
}
fit_cox <- function(formula, data) {
  coxph(formula, data = data, ties = "efron", model = TRUE, x = TRUE, y = TRUE,
        control = coxph.control(eps = 1e-12, toler.chol = 1e-15, iter.max = 100))
}
# plot.cox.zph's smooth and its standard error, as in its source (survival 3.5)
zph_smooth <- function(case, z, df = 4, nsmo = 40) {
  xx <- z$x
  pred.x <- seq(from = min(xx), to = max(xx), length = nsmo)
  lmat <- ns(c(pred.x, xx), df = df, intercept = TRUE)
  pmat <- lmat[1:nsmo, ]
  xmat <- lmat[-(1:nsmo), ]
  for (i in seq_len(ncol(z$y))) {
    y <- z$y[, i]
    keep <- !is.na(y)
    qmat <- qr(xmat[keep, ])
    yhat <- pmat %*% qr.coef(qmat, y[keep])
    bk <- backsolve(qmat$qr[1:df, 1:df], diag(df))
    xtx <- bk %*% t(bk)
    seval <- ((pmat %*% xtx) * pmat) %*% rep(1, df)
    se <- sqrt(z$var[i, i] * seval)
    smooth_rows[[length(smooth_rows) + 1]] <<- data.frame(
      case = case, term = colnames(z$y)[i], index = seq_len(nsmo) - 1L,
      x = sprintf("%.17g", pred.x), fit = sprintf("%.17g", yhat), se = sprintf("%.17g", se))
  }
}
record_zph <- function(section, case, fit, transform) {
  z <- cox.zph(fit, transform = transform, terms = TRUE)
  tb <- z$table
  for (i in seq_len(nrow(tb))) {
    add(section, case, "chisq", rownames(tb)[i], tb[i, "chisq"])
    add(section, case, "df", rownames(tb)[i], tb[i, "df"])
    add(section, case, "p", rownames(tb)[i], tb[i, "p"])
  }
  for (i in seq_len(ncol(z$y))) add(section, case, "var", colnames(z$y)[i], z$var[i, i])
  add(section, case, "n", "", fit$n)
  add(section, case, "events", "", fit$nevent)
  zph_smooth(case, z)
}
cens_km <- function(tm, st) {
  ut <- sort(unique(tm))
  n_risk <- vapply(ut, function(u) sum(tm >= u), numeric(1))
  n_cens <- vapply(ut, function(u) sum(tm == u & st == 0), numeric(1))
  list(time = ut, surv = cumprod(1 - n_cens / n_risk))
}
g_at <- function(g, s) c(1, g$surv)[findInterval(s, g$time) + 1]
g_before <- function(g, s) c(1, g$surv)[findInterval(s, g$time, left.open = TRUE) + 1]
auc_cd <- function(tm, st, mk, t) {
  case <- tm <= t & st == 1
  ctrl <- tm > t
  if (!any(case) || !any(ctrl)) return(NA_real_)
  g <- cens_km(tm, st)
  wi <- 1 / g_before(g, tm[case])
  wj <- rep(1 / g_at(g, t), sum(ctrl))
  comp <- outer(mk[case], mk[ctrl], function(a, b) (a > b) + 0.5 * (a == b))
  sum(outer(wi, wj) * comp) / (sum(wi) * sum(wj))
}
record_c <- function(section, case, data, time, event, score, reverse, horizons = numeric()) {
  for (s in c("train", "test")) {
    d <- data[data$set == s & !is.na(data[[score]]) & !is.na(data[[time]]) &
                !is.na(data[[event]]), ]
    cc <- concordance(as.formula(paste0("Surv(", time, ", ", event, ") ~ ", score)), data = d,
                      reverse = reverse)
    add(section, case, "c", s, cc$concordance)
    add(section, case, "se", s, sqrt(cc$var))
    add(section, case, "n", s, nrow(d))
    add(section, case, "events", s, sum(d[[event]]))
    risk <- if (reverse) d[[score]] else -d[[score]]
    for (t in horizons) {
      add(section, case, "auc", paste0(s, "@", t), auc_cd(d[[time]], d[[event]], risk, t))
      add(section, case, "cases", paste0(s, "@", t), sum(d[[time]] <= t & d[[event]] == 1))
      add(section, case, "controls", paste0(s, "@", t), sum(d[[time]] > t))
    }
  }
}

# --- synthetic -----------------------------------------------------------------------------
syn <- read.csv(file.path(out_dir, "survival_units_cohort.csv"), na.strings = "NA")
syn$stage <- factor(syn$stage, levels = c("I", "II", "III"))
syn$sex <- factor(syn$sex, levels = c("F", "M"))
train <- syn[syn$set == "train", ]
d <- train[complete.cases(train[, c("marker", "age", "stage", "os", "death")]), ]
record_zph("synthetic", "syn_km", fit_cox(Surv(os, death) ~ marker + age + stage, d), "km")
d <- train[complete.cases(train[, c("marker", "age", "sex", "os", "death")]), ]
record_zph("synthetic", "syn_strat_id",
           fit_cox(Surv(os, death) ~ marker + age + strata(sex), d), "identity")
record_c("synthetic", "syn_marker", syn, "pfs", "progression", "marker", TRUE, c(6, 12, 24))

# --- GBSG ----------------------------------------------------------------------------------
gbsg_path <- "/work/shared/data/breast/gbsg.csv"
if (file.exists(gbsg_path)) {
  g <- read.csv(gbsg_path)
  for (f in c("meno", "hormon")) g[[f]] <- factor(g[[f]], levels = c("0", "1"))
  g$grade <- factor(g$grade, levels = c("1", "2", "3"))
  g$set <- ifelse((seq_len(nrow(g)) - 1) %% 3 == 0, "test", "train")
  gtrain <- g[g$set == "train", ]
  full <- Surv(rfstime, status) ~ pgr + age + meno + size + grade + nodes + hormon
  record_zph("gbsg", "gbsg_km", fit_cox(full, g), "km")
  record_zph("gbsg", "gbsg_strat_rank",
             fit_cox(Surv(rfstime, status) ~ pgr + age + meno + size + nodes + hormon +
                       strata(grade), gtrain), "rank")
  record_c("gbsg", "gbsg_pgr", g, "rfstime", "status", "pgr", FALSE, c(365, 730, 1825))
  g$lp <- predict(fit_cox(full, gtrain), newdata = g, type = "lp")
  record_c("gbsg", "gbsg_lp", g, "rfstime", "status", "lp", TRUE, c(365, 730, 1825))
}

out <- do.call(rbind, rows)
write.csv(out, file.path(out_dir, "survival_evaluation_units_expected.csv"), row.names = FALSE,
          quote = TRUE)
write.csv(do.call(rbind, smooth_rows), file.path(out_dir, "survival_evaluation_units_smooth.csv"),
          row.names = FALSE, quote = TRUE)
write_versions("survival_evaluation_units", "survival")
