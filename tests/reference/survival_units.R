# Reference values for the survival units (univariable_cox, multivariable_cox) from R survival.
#
# Run from the repository root:  Rscript tests/reference/survival_units.R
# Needs: survival. Writes survival_units_expected.csv next to this script (section, model, key,
# term, value) and survival_units_versions.csv (R's and survival's versions, versions.R). Fits:
#   synthetic: survival_units_cohort.csv (tests/survival/conftest.py survival_frame()), training
#     patients ("set" == "train"), complete cases per model; endpoint os/death; age per SD and
#     marker per doubling (log2), both SDs from the training patients with a value; stage with
#     reference "I", sex with "F"; univariable models of each, then marker adjusted for age and
#     stage on the pfs/progression endpoint (marker per doubling, age per unit) with the model
#     without the marker on the same patients.
#   synthetic, Breslow: the same adjusted model on the pfs endpoint with ties = "breslow" and
#     strata(sex), with and without the marker.
#   gbsg: /work/shared/data/breast/gbsg.csv (skipped when absent), all 686 patients, endpoint
#     rfstime/status; meno, grade and hormon as factors; univariable models of pgr, age, meno,
#     size, grade, nodes, hormon; pgr (per IQR, type-7) adjusted for age, meno, size, grade,
#     nodes, hormon, with and without pgr.
# Every fit is coxph(ties = "efron"); values: coef, se, Wald p per term; the LR, Wald and score
# tests, loglik and concordance per model; the LR test of the marker by anova(reduced, full);
# the full model's linear predictor per patient (predict(type = "lp"), centred at the means) and
# GBSG's predicted survival at 1095 and 1825 days (summary(survfit(fit, newdata), times)) and
# cox.zph(full) (per variable and GLOBAL); concordance() of the linear predictor and of pgr.
suppressPackageStartupMessages(library(survival))

source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "versions.R"))
out_dir <- reference_dir

rows <- list()
add <- function(section, model, key, term, value) {
  rows[[length(rows) + 1]] <<- data.frame(section = section, model = model, key = key,
                                          term = term, value = sprintf("%.17g", value))
}
record <- function(section, model, fit) {
  s <- summary(fit)
  cf <- s$coefficients
  for (i in seq_len(nrow(cf))) {
    add(section, model, "coef", rownames(cf)[i], cf[i, "coef"])
    add(section, model, "se", rownames(cf)[i], cf[i, "se(coef)"])
    add(section, model, "p", rownames(cf)[i], cf[i, "Pr(>|z|)"])
  }
  add(section, model, "n", "", fit$n)
  add(section, model, "events", "", fit$nevent)
  # summary()'s logtest/waldtest/sctest are rounded; take the unrounded fit components
  add(section, model, "lr", "", 2 * (fit$loglik[2] - fit$loglik[1]))
  add(section, model, "wald", "", fit$wald.test)
  add(section, model, "score", "", fit$score)
  add(section, model, "loglik", "", fit$loglik[2])
  add(section, model, "concordance", "", fit$concordance["concordance"])
}
# Term names as remarkit writes them: 'variable' or 'variable[level]'.
rename <- function(fit, factors) {
  nm <- names(fit$coefficients)
  for (f in factors) nm <- sub(paste0("^", f, "(.+)$"), paste0(f, "[\\1]"), nm)
  names(fit$coefficients) <- nm
  fit
}
fit_cox <- function(formula, data, factors, ties = "efron") {
  fit <- coxph(formula, data = data, ties = ties, model = TRUE, control = coxph.control(eps = 1e-12, toler.chol = 1e-15,
                                                                            iter.max = 100))
  rename(fit, factors)
}

# --- synthetic -----------------------------------------------------------------------------
syn <- read.csv(file.path(out_dir, "survival_units_cohort.csv"), na.strings = "NA")
syn$stage <- factor(syn$stage, levels = c("I", "II", "III"))
syn$sex <- factor(syn$sex, levels = c("F", "M"))
train <- syn[syn$set == "train", ]
age_sd <- sd(train$age[!is.na(train$age)])
add("synthetic", "scale", "sd", "age", age_sd)
train$age_sd <- train$age / age_sd
train$marker_log2 <- log2(train$marker)
uni <- list(marker = "marker_log2", age = "age_sd", stage = "stage", sex = "sex")
for (v in names(uni)) {
  d <- train[!is.na(train[[uni[[v]]]]) & !is.na(train$os) & !is.na(train$death), ]
  d[[v]] <- d[[uni[[v]]]]
  fit <- fit_cox(as.formula(paste("Surv(os, death) ~", v)), d, c("stage", "sex"))
  record("synthetic", paste0("uni_", v), fit)
}
d <- train[complete.cases(train[, c("marker", "age", "stage", "pfs", "progression")]), ]
d$marker <- d$marker_log2
full <- fit_cox(Surv(pfs, progression) ~ marker + age + stage, d, "stage")
reduced <- fit_cox(Surv(pfs, progression) ~ age + stage, d, "stage")
alone <- fit_cox(Surv(pfs, progression) ~ marker, d, character())
record("synthetic", "full", full)
record("synthetic", "reduced", reduced)
record("synthetic", "alone", alone)
# the frozen model's linear predictor for every patient (test set included; NA when missing),
# centred at the training means as predict(type = "lp")
everyone <- syn
everyone$marker <- log2(everyone$marker)
lp <- predict(full, newdata = everyone, type = "lp", na.action = na.pass)
for (i in seq_len(nrow(everyone))) if (!is.na(lp[i])) add("synthetic", "full", "lp", everyone$pid[i], lp[i])
a <- anova(reduced, full)
add("synthetic", "added", "lr", "", a[["Chisq"]][2])
add("synthetic", "added", "p", "", a[["Pr(>|Chi|)"]][2])

# Breslow ties, stratified by sex: marker (per doubling) + age + stage with and without marker
d <- train[complete.cases(train[, c("marker", "age", "stage", "sex", "pfs", "progression")]), ]
d$marker <- d$marker_log2
full_b <- fit_cox(Surv(pfs, progression) ~ marker + age + stage + strata(sex), d, "stage",
                  ties = "breslow")
reduced_b <- fit_cox(Surv(pfs, progression) ~ age + stage + strata(sex), d, "stage",
                     ties = "breslow")
record("synthetic", "breslow_strata", full_b)
a <- anova(reduced_b, full_b)
add("synthetic", "breslow_strata_added", "lr", "", a[["Chisq"]][2])
add("synthetic", "breslow_strata_added", "p", "", a[["Pr(>|Chi|)"]][2])

# --- GBSG ----------------------------------------------------------------------------------
gbsg_path <- "/work/shared/data/breast/gbsg.csv"
if (file.exists(gbsg_path)) {
  g <- read.csv(gbsg_path)
  for (f in c("meno", "hormon")) g[[f]] <- factor(g[[f]], levels = c("0", "1"))
  g$grade <- factor(g$grade, levels = c("1", "2", "3"))
  factors <- c("meno", "grade", "hormon")
  for (v in c("pgr", "age", "meno", "size", "grade", "nodes", "hormon")) {
    fit <- fit_cox(as.formula(paste("Surv(rfstime, status) ~", v)), g, factors)
    record("gbsg", paste0("uni_", v), fit)
  }
  iqr <- unname(diff(quantile(g$pgr, c(0.25, 0.75), type = 7)))
  add("gbsg", "scale", "iqr", "pgr", iqr)
  g$pgr <- g$pgr / iqr
  full <- fit_cox(Surv(rfstime, status) ~ pgr + age + meno + size + grade + nodes + hormon, g,
                  factors)
  reduced <- fit_cox(Surv(rfstime, status) ~ age + meno + size + grade + nodes + hormon, g,
                     factors)
  alone <- fit_cox(Surv(rfstime, status) ~ pgr, g, factors)
  record("gbsg", "full", full)
  record("gbsg", "reduced", reduced)
  record("gbsg", "alone", alone)
  # predicted survival at 3 and 5 years (days) for every patient, as survfit.coxph
  sf <- summary(survfit(full, newdata = g), times = c(1095, 1825))
  for (k in 1:2) for (i in seq_len(nrow(g))) {
    add("gbsg", "full", paste0("surv_", c(1095, 1825)[k]), as.character(g$pid[i]), sf$surv[k, i])
  }
  # proportional hazards of the adjusted model (cox.zph, transform "km", terms = TRUE)
  z <- cox.zph(full)
  for (i in seq_len(nrow(z$table))) {
    add("gbsg", "zph", "chisq", rownames(z$table)[i], z$table[i, "chisq"])
    add("gbsg", "zph", "df", rownames(z$table)[i], z$table[i, "df"])
    add("gbsg", "zph", "p", rownames(z$table)[i], z$table[i, "p"])
  }
  lp <- predict(full, type = "lp")
  for (i in seq_len(nrow(g))) add("gbsg", "full", "lp", as.character(g$pid[i]), lp[i])
  # Harrell's C of the linear predictor (a risk score: reverse = TRUE) and of pgr (higher =
  # longer survival), in the whole cohort and in the test rows (every third patient)
  g$lp <- lp
  test <- seq_len(nrow(g)) %% 3 == 1
  for (set in c("all", "test")) {
    d <- if (set == "all") g else g[test, ]
    for (sc in list(list("lp", TRUE), list("pgr", FALSE))) {
      cc <- concordance(as.formula(paste("Surv(rfstime, status) ~", sc[[1]])), data = d,
                        reverse = sc[[2]])
      add("gbsg", paste0("c_", set), "c", sc[[1]], cc$concordance)
      add("gbsg", paste0("c_", set), "se", sc[[1]], sqrt(cc$var))
    }
  }
  a <- anova(reduced, full)
  add("gbsg", "added", "lr", "", a[["Chisq"]][2])
  add("gbsg", "added", "p", "", a[["Pr(>|Chi|)"]][2])
}

out <- do.call(rbind, rows)
write.csv(out, file.path(out_dir, "survival_units_expected.csv"), row.names = FALSE, quote = TRUE)
write_versions("survival_units", "survival")
