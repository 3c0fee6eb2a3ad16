# Reference values for remarkit.stats.pool_rubin (Rubin's rules as mice::pool).
#
# Generates a seeded synthetic cohort with missing values in a continuous (marker), a binary
# (node) and a three-level (grade) variable, imputes it with mice (m = 5, default methods: pmm,
# logreg, polyreg; the outcome and the survival time/event are in the imputation model), and
# writes next to this script, with 17 significant digits:
#   mice_completed.csv   the m completed data sets (long format, column imp = 1..m)
#   mice_pool.csv        summary(pool(fit), conf.int = TRUE) joined with pool(fit)$pooled, per
#                        model (glm binomial: response ~ marker + node + grade + age;
#                        coxph: Surv(time, status) ~ marker + node + grade + age) and term;
#                        the glm is converged to epsilon 1e-14
#   mice_versions.csv    R and package versions
#
# Run from anywhere:  Rscript tests/reference/mice_pool.R   (R 4.2.2, mice 3.15.0, survival 3.5-3)
suppressPackageStartupMessages({
  library(mice)
  library(survival)
})

source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "versions.R"))
out_dir <- reference_dir
num <- function(x) sprintf("%.17g", x)

set.seed(20261203)
n <- 160
age <- round(rnorm(n, 60, 9))
marker <- round(rlnorm(n, 1, 0.5), 2)
node <- rbinom(n, 1, plogis(-0.5 + 0.4 * (marker - 3)))
grade <- factor(sample(c("G1", "G2", "G3"), n, replace = TRUE, prob = c(0.3, 0.4, 0.3)))
lp <- -2 + 0.45 * marker + 0.8 * node + 0.5 * (grade == "G2") + 1.0 * (grade == "G3") +
  0.02 * (age - 60)
response <- rbinom(n, 1, plogis(lp))
haz <- exp(0.3 * marker + 0.6 * node + 0.4 * (grade == "G3"))
time <- round(rexp(n, 0.05 * haz), 2) + 0.01
cens <- runif(n, 5, 40)
status <- as.integer(time <= cens)
time <- pmin(time, round(cens, 2))
# MAR: missingness of marker and node depends on the (observed) age and response
marker[runif(n) < plogis(-2.2 + 0.05 * (age - 60) + 0.8 * response)] <- NA
node[runif(n) < plogis(-2.0 + 0.6 * response)] <- NA
grade[sample(n, 14)] <- NA
d <- data.frame(age = age, marker = marker, node = factor(node), grade = grade,
                response = response, time = time, status = status)
imp <- mice(d, m = 5, maxit = 10, seed = 4321, printFlag = FALSE)
stopifnot(identical(unname(imp$method[c("marker", "node", "grade")]),
                    c("pmm", "logreg", "polyreg")))

long <- complete(imp, action = "long")
out <- data.frame(imp = long$.imp, row = long$.id, age = long$age, marker = num(long$marker),
                  node = as.character(long$node), grade = as.character(long$grade),
                  response = long$response, time = num(long$time), status = long$status)
write.csv(out, file.path(out_dir, "mice_completed.csv"), row.names = FALSE)

pooled_rows <- function(model, fit) {
  p <- pool(fit)
  s <- summary(p, conf.int = TRUE, conf.level = 0.95)
  q <- p$pooled
  data.frame(model = model, term = as.character(s$term), m = q$m, estimate = num(s$estimate),
             std_error = num(s$std.error), statistic = num(s$statistic), df = num(s$df),
             p_value = num(s$p.value), lower = num(s[["2.5 %"]]), upper = num(s[["97.5 %"]]),
             ubar = num(q$ubar), b = num(q$b), t = num(q$t), dfcom = num(q$dfcom),
             riv = num(q$riv), lambda = num(q$lambda), fmi = num(q$fmi))
}
# glm's default epsilon (1e-8) stops after ~4 IRLS steps with SEs ~1e-4 (relative) from the
# converged ones; converge fully so the reference is the maximum-likelihood fit.
tight <- glm.control(epsilon = 1e-14, maxit = 100)
fit_glm <- with(imp, glm(response ~ marker + node + grade + age, family = binomial,
                         control = tight))
fit_cox <- with(imp, coxph(Surv(time, status) ~ marker + node + grade + age, ties = "efron"))
res <- rbind(pooled_rows("glm", fit_glm), pooled_rows("coxph", fit_cox))
write.csv(res, file.path(out_dir, "mice_pool.csv"), row.names = FALSE)

write_versions("mice", c("mice", "survival"))
cat("written to", out_dir, "\n")
