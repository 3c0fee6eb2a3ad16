# Reference values for the logistic recalibration fit on over-confident predictions.
#
# Run from this directory:  Rscript recalibration_overconfident.R
# Needs R >= 4.2 (stats only). Writes recalibration_overconfident_data.csv (y, p: 50 patients
# whose predicted probabilities are far too extreme, calibration slope about 0.2, where plain
# Newton-Raphson from (0, 1) diverges), recalibration_overconfident_expected.csv (intercept and
# slope of glm(y ~ qlogis(p), binomial), as rms::val.prob) and
# recalibration_overconfident_versions.csv. tests/stats/test_recalibration.py compares them.
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "versions.R"))
set.seed(20261203)
n <- 50
lp <- rnorm(n, 0.8, 1.1)
y <- rbinom(n, 1, plogis(lp))
p <- plogis(5 * lp + rnorm(n, 0, 2))
write.csv(data.frame(y = y, p = sprintf("%.17g", p)), "recalibration_overconfident_data.csv",
          row.names = FALSE, quote = FALSE)
data <- read.csv("recalibration_overconfident_data.csv")
fit <- glm(y ~ qlogis(p), binomial, data = data,
           control = glm.control(epsilon = 1e-14, maxit = 100))
write.csv(data.frame(term = c("intercept", "slope"), value = sprintf("%.17g", coef(fit))),
          "recalibration_overconfident_expected.csv", row.names = FALSE, quote = FALSE)
write_versions("recalibration_overconfident")
