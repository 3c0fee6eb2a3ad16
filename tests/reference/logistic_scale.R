# Reference values for the continuous scales of univariable_logistic / multivariable_logistic.
#
# Run from this directory:  Rscript logistic_scale.R
# Needs R >= 4.2 (stats only). Reads clinical_units_cohort.csv (the demo cohort) and writes
# logistic_scale_expected.csv (section, key, term, value) and logistic_scale_versions.csv, which
# tests/clinical/test_logistic_scale.py compares with the units' results. On the training set:
#   - the scale factors: sd(x) (n - 1) and IQR(x) (type-7 quartiles) of the observed values;
#   - univariable glm(binomial) of y on x / sd(x), x / IQR(x) and log2(x): OR (exp(coef)),
#     confint.default bounds, Wald p;
#   - the multivariable glm of y on platelets / sd, log2(afp_baseline) and dilated_vasculature.
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "versions.R"))
cohort <- read.csv("clinical_units_cohort.csv", na.strings = "NA", stringsAsFactors = FALSE,
                   check.names = FALSE)
train <- cohort[cohort$set == "train", ]
train$y <- as.integer(train$response == "DCB")
train$dilated_vasculature <- factor(train$dilated_vasculature, levels = c("No", "Yes"))

rows <- list()
add <- function(section, key, term, value) {
  rows[[length(rows) + 1]] <<- data.frame(section = section, key = key, term = term,
                                          value = sprintf("%.17g", value))
}
ctrl <- glm.control(epsilon = 1e-14, maxit = 100)
add_fit <- function(section, key, fit, terms, names) {
  s <- summary(fit)$coefficients
  ci <- confint.default(fit)
  for (i in seq_along(terms)) {
    add(section, key, paste0(names[i], ":odds_ratio"), exp(coef(fit)[[terms[i]]]))
    add(section, key, paste0(names[i], ":lower"), exp(ci[terms[i], 1]))
    add(section, key, paste0(names[i], ":upper"), exp(ci[terms[i], 2]))
    add(section, key, paste0(names[i], ":p_value"), s[terms[i], 4])
  }
}

sd_of <- function(x) sd(x, na.rm = TRUE)
iqr_of <- function(x) IQR(x, na.rm = TRUE, type = 7)
scales <- list(platelets = "sd", tumor_size_mm = "iqr", nlr = "sd", afp_baseline = "log2")
train_scaled <- train
for (v in names(scales)) {
  x <- train[[v]]
  how <- scales[[v]]
  if (how == "sd") {
    add("factor", v, "sd", sd_of(x))
    train_scaled[[v]] <- x / sd_of(x)
  } else if (how == "iqr") {
    add("factor", v, "iqr", iqr_of(x))
    train_scaled[[v]] <- x / iqr_of(x)
  } else {
    train_scaled[[v]] <- log2(x)
  }
  add("factor", v, "n", sum(!is.na(x)))
  fit <- glm(reformulate(v, "y"), family = binomial, data = train_scaled, control = ctrl)
  add_fit("univariable", v, fit, v, v)
}
multi <- glm(y ~ platelets + afp_baseline + dilated_vasculature, family = binomial,
             data = train_scaled, control = ctrl)
add_fit("multivariable", "model", multi,
        c("platelets", "afp_baseline", "dilated_vasculatureYes"),
        c("platelets", "afp_baseline", "dilated_vasculature[Yes]"))

write.csv(do.call(rbind, rows), "logistic_scale_expected.csv", row.names = FALSE)
write_versions("logistic_scale")
