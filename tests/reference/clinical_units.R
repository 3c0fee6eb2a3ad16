# End-to-end reference values for the marker_response and clinical units on one cohort.
#
# Run from this directory:  Rscript clinical_units.R
# Needs R >= 4.2 with pROC and car. Reads clinical_units_cohort.csv (the demo cohort, seed 2025,
# the columns the test uses) and writes clinical_units_expected.csv (section, key, term, value),
# which tests/clinical/test_reference_r.py compares with the units' results:
#   - AFP decline (% of baseline), its Youden threshold on the training patients with baseline
#     >= 7 ng/ml (pROC coords, best.method = "youden") and AUC; the categories at the clinical
#     60% threshold;
#   - Table 1 by split: Shapiro-Wilk p per group, Welch t.test, wilcox.test(exact = FALSE),
#     chisq.test (Yates on 2 x 2), fisher.test, mean, sd, type-7 quartiles;
#   - univariable glm(binomial) per candidate on the training set: OR, confint.default, Wald p;
#   - the multivariable glm of the candidates with a univariable p < 0.05 (any level), car::vif;
#   - the clinical model afp_response + platelets + dilated_vasculature fitted on train and its
#     predicted probabilities for every patient.
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "versions.R"))
suppressPackageStartupMessages({
  library(pROC)
  library(car)
})

cohort <- read.csv("clinical_units_cohort.csv", na.strings = "NA", stringsAsFactors = FALSE,
                   check.names = FALSE)
cohort$y <- as.integer(cohort$response == "DCB")
cohort$set <- factor(cohort$set, levels = c("train", "test"))
levels_of <- list(
  age_group = c("<60", ">=60"), sex = c("Female", "Male"),
  regimen = c("ICIs + interventional", "ICIs + antiangiogenic",
              "ICIs + antiangiogenic + interventional"),
  cnlc_stage = c("Ib-IIa", "IIb-IIIa"), hbv = c("No", "Yes"), vp_grade = c("Vp1-Vp2", "Vp3-Vp4"),
  afp_group = c("<=400", ">400"), peritumoral_enhancement = c("No", "Yes"),
  regular_margin = c("No", "Yes"), dilated_vasculature = c("No", "Yes"),
  mrecist = c("CR", "PR", "SD", "PD")
)
for (v in names(levels_of)) cohort[[v]] <- factor(cohort[[v]], levels = levels_of[[v]])

rows <- list()
add <- function(section, key, term, value) {
  rows[[length(rows) + 1]] <<- data.frame(section = section, key = key, term = term,
                                          value = sprintf("%.17g", value))
}

# --- AFP response -----------------------------------------------------------------------------
decline <- (cohort$afp_baseline - cohort$afp_1month) / cohort$afp_baseline * 100
fit_set <- cohort$set == "train" & cohort$afp_baseline >= 7
r <- roc(cohort$y[fit_set], decline[fit_set], levels = c(0, 1), direction = "<", quiet = TRUE)
best <- coords(r, "best", best.method = "youden", ret = c("threshold", "sensitivity",
                                                          "specificity"), transpose = FALSE)
add("afp", "youden", "threshold", best$threshold[1])
add("afp", "youden", "sensitivity", best$sensitivity[1])
add("afp", "youden", "specificity", best$specificity[1])
add("afp", "youden", "n_optima", nrow(best))
add("afp", "auc", "auc", as.numeric(auc(r)))
cohort$afp_response <- factor(
  ifelse(cohort$afp_baseline < 7, "AFP < 7 ng/ml",
         ifelse(decline >= 60, "AFP responder", "Non-AFP responder")),
  levels = c("Non-AFP responder", "AFP < 7 ng/ml", "AFP responder"))
for (lv in levels(cohort$afp_response)) {
  add("afp", "count_train", lv, sum(cohort$afp_response[cohort$set == "train"] == lv))
}

# --- Table 1 by split -------------------------------------------------------------------------
continuous <- c("bmi", "tumor_size_mm", "ecog", "platelets", "creatinine", "total_bilirubin",
                "inr", "nlr", "afp_baseline")
for (v in continuous) {
  x <- cohort[[v]]
  for (g in c("train", "test")) {
    xg <- x[cohort$set == g & !is.na(x)]
    add("table1", v, paste0("shapiro_", g), shapiro.test(xg)$p.value)
    add("table1", v, paste0("mean_", g), mean(xg))
    add("table1", v, paste0("sd_", g), sd(xg))
    q <- quantile(xg, c(0.25, 0.5, 0.75), type = 7)
    add("table1", v, paste0("q1_", g), q[[1]])
    add("table1", v, paste0("median_", g), q[[2]])
    add("table1", v, paste0("q3_", g), q[[3]])
    add("table1", v, paste0("missing_", g), sum(cohort$set == g & is.na(x)))
  }
  tt <- t.test(x ~ cohort$set)
  add("table1", v, "t_statistic", tt$statistic)
  add("table1", v, "t_p", tt$p.value)
  ww <- wilcox.test(x ~ cohort$set, exact = FALSE, correct = TRUE)
  add("table1", v, "w_statistic", ww$statistic)
  add("table1", v, "w_p", ww$p.value)
}
categorical <- c("age_group", "sex", "regimen", "cnlc_stage", "hbv", "vp_grade", "afp_group",
                 "afp_response", "peritumoral_enhancement", "regular_margin",
                 "dilated_vasculature", "mrecist")
for (v in categorical) {
  tab <- table(droplevels(cohort[[v]]), cohort$set)
  cs <- suppressWarnings(chisq.test(tab))
  add("table1", v, "chisq_p", cs$p.value)
  add("table1", v, "chisq_statistic", cs$statistic)
  add("table1", v, "min_expected", min(cs$expected))
  add("table1", v, "fisher_p", fisher.test(tab)$p.value)
}

# --- Univariable logistic (training set) ------------------------------------------------------
train <- cohort[cohort$set == "train", ]
candidates <- c("age_group", "sex", "bmi", "tumor_size_mm", "ecog", "regimen", "cnlc_stage", "hbv",
                "vp_grade", "platelets", "creatinine", "total_bilirubin", "inr", "nlr",
                "afp_group", "afp_response", "peritumoral_enhancement", "regular_margin",
                "dilated_vasculature")
term_name <- function(coef_name, vars) {
  for (v in vars) {
    if (coef_name == v) return(v)
    if (startsWith(coef_name, v) && is.factor(cohort[[v]])) {
      return(paste0(v, "[", substring(coef_name, nchar(v) + 1), "]"))
    }
  }
  stop(coef_name)
}
emit_glm <- function(section, key, fit, vars) {
  s <- summary(fit)$coefficients
  ci <- confint.default(fit)
  for (name in rownames(s)[-1]) {
    term <- term_name(name, vars)
    add(section, key, paste0(term, "|or"), exp(s[name, "Estimate"]))
    add(section, key, paste0(term, "|lower"), exp(ci[name, 1]))
    add(section, key, paste0(term, "|upper"), exp(ci[name, 2]))
    add(section, key, paste0(term, "|p"), s[name, "Pr(>|z|)"])
  }
  add(section, key, "(Intercept)|coef", s["(Intercept)", "Estimate"])
  add(section, key, "n", nobs(fit))
}
selected <- character(0)
for (v in candidates) {
  fit <- glm(reformulate(v, "y"), family = binomial, data = train,
             control = glm.control(epsilon = 1e-14, maxit = 100))
  emit_glm("univariable", v, fit, v)
  if (min(summary(fit)$coefficients[-1, "Pr(>|z|)"]) < 0.05) selected <- c(selected, v)
}

# --- Multivariable logistic and VIF -----------------------------------------------------------
multi <- glm(reformulate(selected, "y"), family = binomial, data = train,
             control = glm.control(epsilon = 1e-14, maxit = 100))
emit_glm("multivariable", "model", multi, selected)
for (v in selected) add("multivariable", "selected", v, 1)
g <- vif(multi)
if (is.null(dim(g))) g <- cbind(GVIF = g, Df = 1, "GVIF^(1/(2*Df))" = sqrt(g))
for (v in rownames(g)) {
  add("vif", v, "gvif", g[v, "GVIF"])
  add("vif", v, "df", g[v, "Df"])
  add("vif", v, "gvif_adj", g[v, "GVIF^(1/(2*Df))"])
}

# --- Clinical model with AFP response: predictions for every patient --------------------------
model <- glm(y ~ afp_response + platelets + dilated_vasculature, family = binomial, data = train,
             control = glm.control(epsilon = 1e-14, maxit = 100))
emit_glm("clinical_afp", "model", model, c("afp_response", "platelets", "dilated_vasculature"))
pred <- predict(model, newdata = cohort, type = "response")
for (i in seq_len(nrow(cohort))) add("clinical_afp", "probability", cohort$patient_id[i], pred[[i]])

write.csv(do.call(rbind, rows), "clinical_units_expected.csv", row.names = FALSE, quote = TRUE)
write_versions("clinical_units", c("pROC", "car"))
