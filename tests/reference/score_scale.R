# Reference values for scores per training SD (issue 20.7): odds ratios of a continuous score
# derived by an upstream unit are reported per SD of the training patients in the fit.
#
# Run from this directory:  Rscript score_scale.R
# Needs R >= 4.2 (stats only). Reads score_scale_cohort.csv (tests/clinical/conftest.py's
# clinical_frame(), written once) and writes score_scale_expected.csv (section, key, term, value)
# and score_scale_versions.csv, which tests/clinical/test_score_scale.py compares with the units.
# On the training set:
#   - the clinical model glm(y ~ platelets + vessel); its predicted probability p is the score;
#   - sd(p) (n - 1) over the training patients in the fit;
#   - glm(y ~ I(p / sd(p)) + age): OR, confint.default bounds, Wald p of the score per SD (what
#     logistic_model and logistic_integrator with in-sample training scores report);
#   - glm(y ~ I(p / sd(p))): the univariable_logistic row of the score per SD.
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "versions.R"))
cohort <- read.csv("score_scale_cohort.csv", stringsAsFactors = FALSE)
train <- cohort[cohort$set == "train", ]
train$y <- as.integer(train$response == "yes")
train$vessel <- factor(train$vessel, levels = c("No", "Yes"))
ctrl <- glm.control(epsilon = 1e-14, maxit = 100)

rows <- list()
add <- function(section, key, term, value) {
  rows[[length(rows) + 1]] <<- data.frame(section = section, key = key, term = term,
                                          value = sprintf("%.17g", value))
}
add_fit <- function(section, fit, terms, names) {
  s <- summary(fit)$coefficients
  ci <- confint.default(fit)
  for (i in seq_along(terms)) {
    add(section, names[i], "odds_ratio", exp(coef(fit)[[terms[i]]]))
    add(section, names[i], "lower", exp(ci[terms[i], 1]))
    add(section, names[i], "upper", exp(ci[terms[i], 2]))
    add(section, names[i], "p_value", s[terms[i], 4])
  }
}

clinical <- glm(y ~ platelets + vessel, family = binomial, data = train, control = ctrl)
train$score <- predict(clinical, newdata = train, type = "response")
sd_score <- sd(train$score)
add("factor", "clin.probability", "sd", sd_score)
add("factor", "clin.probability", "n", sum(!is.na(train$score)))
train$score_sd <- train$score / sd_score

model <- glm(y ~ score_sd + age, family = binomial, data = train, control = ctrl)
add_fit("model", model, c("score_sd", "age"), c("clin.probability", "age"))
per_unit <- glm(y ~ score + age, family = binomial, data = train, control = ctrl)
add_fit("model_per_unit", per_unit, "score", "clin.probability")
univariable <- glm(y ~ score_sd, family = binomial, data = train, control = ctrl)
add_fit("univariable", univariable, "score_sd", "clin.probability")

write.csv(do.call(rbind, rows), "score_scale_expected.csv", row.names = FALSE)
write_versions("score_scale")
