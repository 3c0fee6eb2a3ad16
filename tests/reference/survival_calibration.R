# Reference values for survival_calibration_scores and the survival_calibration unit.
#
# Run from the repository root:  Rscript tests/reference/survival_calibration.R
# Needs: survival. Data: /work/shared/data/breast/gbsg.csv (the script stops when absent).
# GBSG with patients 0, 3, 6, ... (0-based row position) as the test set and the others as the
# training set; coxph(Surv(rfstime, status) ~ pgr + age + size + nodes + grade) (grade a factor,
# Efron ties) fitted on the training set, frozen, applied to the test set: lp =
# predict(type = "lp") and S(1826 | x) = summary(survfit(fit, newdata), times = 1826,
# extend = TRUE). Calibration at 1826 days on the test set: KM at 1826 (log CI) in 5 groups
# cut(surv, unique(quantile(surv, seq(0, 1, 1/5))), include.lowest = TRUE), mean predicted
# survival per group, and the slope of coxph(Surv(rfstime, status) ~ lp) with its SE and Wald CI.
# Writes survival_calibration_groups.csv, survival_calibration_slope.csv and
# survival_calibration_versions.csv (R's and survival's versions).
suppressPackageStartupMessages(library(survival))

source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "versions.R"))
out_dir <- reference_dir
save <- function(df, name) {
  for (nm in names(df)) if (is.numeric(df[[nm]])) df[[nm]] <- sprintf("%.17g", df[[nm]])
  write.csv(df, file.path(out_dir, name), row.names = FALSE, quote = TRUE)
}

gbsg_path <- "/work/shared/data/breast/gbsg.csv"
stopifnot(file.exists(gbsg_path))
g <- read.csv(gbsg_path)
g$grade <- factor(g$grade, levels = c("1", "2", "3"))
is_test <- (seq_len(nrow(g)) - 1) %% 3 == 0
train <- g[!is_test, ]
test <- g[is_test, ]
horizon <- 1826
fit <- coxph(Surv(rfstime, status) ~ pgr + age + size + nodes + grade, data = train,
             ties = "efron", control = coxph.control(eps = 1e-12, toler.chol = 1e-15,
                                                    iter.max = 100))
test$lp <- predict(fit, newdata = test, type = "lp")
sm <- summary(survfit(fit, newdata = test), times = horizon, extend = TRUE)
pred <- as.numeric(sm$surv[1, ])
grp <- cut(pred, unique(quantile(pred, seq(0, 1, 1 / 5))), include.lowest = TRUE)
rows <- list()
for (k in seq_along(levels(grp))) {
  sub <- test[as.integer(grp) == k, ]
  km <- summary(survfit(Surv(rfstime, status) ~ 1, data = sub), times = horizon, extend = TRUE)
  rows[[k]] <- data.frame(
    group = k, n = nrow(sub), events = sum(sub$status == 1 & sub$rfstime <= horizon),
    predicted = mean(pred[as.integer(grp) == k]), observed = km$surv,
    observed_lower = km$lower, observed_upper = km$upper
  )
}
save(do.call(rbind, rows), "survival_calibration_groups.csv")
sf <- coxph(Surv(rfstime, status) ~ lp, data = test,
            control = coxph.control(eps = 1e-12, toler.chol = 1e-15, iter.max = 100))
save(data.frame(
  n = nrow(test), events = sum(test$status), slope = unname(coef(sf)),
  se = unname(sqrt(vcov(sf)[1, 1])), lower = confint(sf)[1, 1], upper = confint(sf)[1, 2]
), "survival_calibration_slope.csv")
write_versions("survival_calibration", "survival")
