# Reference values for remarkit.stats group tests and logistic regression.
#
# Generates a seeded synthetic cohort (ties, missing values, a rare category, a 3-level factor)
# and writes, next to this script, the data and R's results with 17 significant digits:
#   clinical_cohort.csv          the cohort
#   clinical_group_tests.csv     t.test, wilcox.test, kruskal.test, chisq.test, fisher.test
#   clinical_chisq_tables.csv    observed and expected tables of the chisq.test cases
#   clinical_fisher_tables.csv   fixed contingency tables used by the fisher.test / chisq.test cases
#   clinical_logistic.csv        glm(binomial): coefficients, SE, z, p, Wald and profile CIs
#   clinical_vif.csv             car::vif on the logistic fits
#
# Run from anywhere:  Rscript tests/reference/clinical_stats.R   (R 4.2.2, car 3.1-1, MASS 7.3-58)
suppressPackageStartupMessages(library(car))

source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "versions.R"))
out_dir <- reference_dir
num <- function(x) sprintf("%.17g", x)
long <- list()
add <- function(test, case, quantity, value) {
  long[[length(long) + 1L]] <<- data.frame(test = test, case = case, quantity = quantity,
                                           value = num(value))
}

# ---- cohort -------------------------------------------------------------------------------
set.seed(20240611)
n <- 150
group2 <- sample(c("A", "B"), n, replace = TRUE, prob = c(0.45, 0.55))
sex <- sample(c("F", "M"), n, replace = TRUE)
age <- round(rnorm(n, 62, 10))                                   # integers: many ties
marker <- round(rlnorm(n, ifelse(group2 == "B", 1.25, 1.0), 0.6), 1)  # one decimal: ties
score <- round(rnorm(n), 6)                                      # no ties (exact Wilcoxon)
grade <- sample(c("G1", "G2", "G3"), n, replace = TRUE, prob = c(0.3, 0.45, 0.25))
stage <- sample(c("I", "II", "III", "IV"), n, replace = TRUE, prob = c(0.36, 0.34, 0.24, 0.06))
lp <- -1.6 + 0.35 * marker + 0.6 * (grade == "G2") + 1.1 * (grade == "G3") +
  0.03 * (age - 62) + 0.4 * (sex == "M")
response <- rbinom(n, 1, plogis(lp))
marker[sample(n, 6)] <- NA
grade[sample(n, 4)] <- NA
stopifnot(!anyDuplicated(score))
cohort <- data.frame(id = seq_len(n), age = age, marker = marker, score = score,
                     group2 = group2, sex = sex, grade = grade, stage = stage,
                     response = response)
out <- cohort
out$marker <- ifelse(is.na(marker), NA, num(marker))
out$score <- num(score)
write.csv(out, file.path(out_dir, "clinical_cohort.csv"), row.names = FALSE)
d <- cohort
d$grade <- factor(d$grade, levels = c("G1", "G2", "G3"))
d$stage <- factor(d$stage)

# ---- t tests --------------------------------------------------------------------------------
t_case <- function(case, x, g, var.equal) {
  ok <- complete.cases(x, g)
  x <- x[ok]
  g <- factor(g[ok])
  r <- t.test(x ~ g, var.equal = var.equal)
  test <- if (var.equal) "t_student" else "t_welch"
  add(test, case, "statistic", r$statistic)
  add(test, case, "df", r$parameter)
  add(test, case, "p", r$p.value)
  add(test, case, "conf_low", r$conf.int[1])
  add(test, case, "conf_high", r$conf.int[2])
  add(test, case, "mean1", r$estimate[1])
  add(test, case, "mean2", r$estimate[2])
  add(test, case, "sd1", sd(x[g == levels(g)[1]]))
  add(test, case, "sd2", sd(x[g == levels(g)[2]]))
  add(test, case, "n1", sum(g == levels(g)[1]))
  add(test, case, "n2", sum(g == levels(g)[2]))
}
for (ve in c(FALSE, TRUE)) {
  t_case("marker~group2", d$marker, d$group2, ve)
  t_case("age~sex", d$age, d$sex, ve)
}

# ---- Wilcoxon / Mann-Whitney ----------------------------------------------------------------
w_case <- function(case, x, g, exact, correct) {
  ok <- complete.cases(x, g)
  g <- factor(g[ok])
  x <- x[ok]
  r <- wilcox.test(x[g == levels(g)[1]], x[g == levels(g)[2]], exact = exact, correct = correct)
  test <- if (exact) "wilcox_exact" else if (correct) "wilcox_cc" else "wilcox_nocc"
  add(test, case, "statistic", r$statistic)
  add(test, case, "p", r$p.value)
}
w_case("marker~group2", d$marker, d$group2, FALSE, TRUE)
w_case("marker~group2", d$marker, d$group2, FALSE, FALSE)
w_case("age~sex", d$age, d$sex, FALSE, TRUE)
w_case("score~group2", d$score, d$group2, FALSE, TRUE)
w_case("score~group2", d$score, d$group2, TRUE, FALSE)
w_case("score~group2[1:30]", d$score[1:30], d$group2[1:30], TRUE, FALSE)

# ---- Kruskal-Wallis -------------------------------------------------------------------------
k_case <- function(case, x, g) {
  r <- kruskal.test(x, g)
  add("kruskal", case, "statistic", r$statistic)
  add("kruskal", case, "df", r$parameter)
  add("kruskal", case, "p", r$p.value)
}
k_case("marker~grade", d$marker, d$grade)
k_case("age~stage", d$age, d$stage)

# ---- fixed tables ---------------------------------------------------------------------------
tables <- list(
  yates_small = matrix(c(3, 2, 2, 2), 2, byrow = TRUE),
  zero_cell = matrix(c(0, 7, 6, 5), 2, byrow = TRUE),
  small_2x2 = matrix(c(9, 1, 3, 7), 2, byrow = TRUE),
  sparse_3x4 = matrix(c(3, 1, 0, 2, 4, 5, 2, 1, 1, 3, 6, 4), 3, byrow = TRUE),
  mid_3x4 = matrix(c(20, 15, 10, 5, 10, 15, 20, 25, 5, 10, 15, 20), 3, byrow = TRUE),
  rows_5x4 = matrix(c(6, 4, 2, 2, 5, 6, 4, 3, 4, 6, 7, 5, 2, 4, 6, 8, 2, 3, 5, 12), 5,
                    byrow = TRUE),
  skew_5x4 = matrix(c(70, 27, 10, 2, 28, 12, 4, 4, 10, 7, 7, 0, 3, 3, 1, 4, 2, 2, 3, 1), 5,
                    byrow = TRUE)
)
ftab <- do.call(rbind, lapply(names(tables), function(nm) {
  m <- tables[[nm]]
  data.frame(case = nm, row = as.vector(row(m)), col = as.vector(col(m)), count = as.vector(m))
}))
write.csv(ftab, file.path(out_dir, "clinical_fisher_tables.csv"), row.names = FALSE)
as_vectors <- function(m) {  # the two categorical vectors whose table is m
  idx <- which(m > 0, arr.ind = TRUE)
  reps <- m[idx]
  list(a = paste0("r", rep(idx[, 1], reps)), b = paste0("c", rep(idx[, 2], reps)))
}

# ---- chi-square -----------------------------------------------------------------------------
chis <- list()
c_case <- function(case, a, b, correct) {
  r <- suppressWarnings(chisq.test(a, b, correct = correct))
  test <- if (correct) "chisq" else "chisq_nocorrect"
  add(test, case, "statistic", r$statistic)
  add(test, case, "df", r$parameter)
  add(test, case, "p", r$p.value)
  chis[[length(chis) + 1L]] <<- data.frame(
    test = test, case = case, row = as.vector(row(r$observed)), col = as.vector(col(r$observed)),
    observed = as.vector(r$observed), expected = num(as.vector(r$expected)))
}
for (cr in c(TRUE, FALSE)) {
  c_case("group2~sex", d$group2, d$sex, cr)
  v <- as_vectors(tables$yates_small)
  c_case("yates_small", v$a, v$b, cr)
}
c_case("grade~sex", d$grade, d$sex, TRUE)
c_case("stage~grade", d$stage, d$grade, TRUE)
write.csv(do.call(rbind, chis), file.path(out_dir, "clinical_chisq_tables.csv"), row.names = FALSE)

# ---- Fisher ---------------------------------------------------------------------------------
# fisher.test solves for the conditional MLE and its CI with uniroot's default tolerance
# (~1.2e-4 on the odds ratio or its inverse); or_exact repeats its computation with tol 1e-13.
or_exact <- function(m, conf.level = 0.95) {
  mm <- sum(m[, 1L]); nn <- sum(m[, 2L]); k <- sum(m[1L, ]); x <- m[1L, 1L]
  lo <- max(0L, k - nn); hi <- min(k, mm); support <- lo:hi
  logdc <- dhyper(support, mm, nn, k, log = TRUE)
  dnhyper <- function(ncp) { d <- logdc + log(ncp) * support; d <- exp(d - max(d)); d / sum(d) }
  mnhyper <- function(ncp) if (ncp == 0) lo else if (ncp == Inf) hi else sum(support * dnhyper(ncp))
  pnhyper <- function(q, ncp, upper.tail = FALSE) {
    if (ncp == 1) return(if (upper.tail) phyper(x - 1, mm, nn, k, lower.tail = FALSE)
                         else phyper(x, mm, nn, k))
    if (ncp == 0) return(as.numeric(if (upper.tail) q <= lo else q >= lo))
    sum(dnhyper(ncp)[if (upper.tail) support >= q else support <= q])
  }
  root <- function(f, lower) uniroot(f, c(lower, 1), tol = 1e-13, maxiter = 1000)$root
  mle <- if (x == lo) 0 else if (x == hi) Inf else {
    mu <- mnhyper(1)
    if (mu > x) root(function(t) mnhyper(t) - x, 0)
    else if (mu < x) 1 / root(function(t) mnhyper(1 / t) - x, .Machine$double.eps) else 1
  }
  alpha <- (1 - conf.level) / 2
  upper <- if (x == hi) Inf else {
    p <- pnhyper(x, 1)
    if (p < alpha) root(function(t) pnhyper(x, t) - alpha, 0)
    else if (p > alpha) 1 / root(function(t) pnhyper(x, 1 / t) - alpha, .Machine$double.eps)
    else 1
  }
  lower <- if (x == lo) 0 else {
    p <- pnhyper(x, 1, upper.tail = TRUE)
    if (p > alpha) root(function(t) pnhyper(x, t, upper.tail = TRUE) - alpha, 0)
    else if (p < alpha) 1 / root(function(t) pnhyper(x, 1 / t, upper.tail = TRUE) - alpha,
                                 .Machine$double.eps)
    else 1
  }
  c(mle, lower, upper)
}
f_case <- function(case, a, b) {
  m <- table(factor(a), factor(b))
  r <- fisher.test(m, workspace = 2e7)
  add("fisher", case, "p", r$p.value)
  if (all(dim(m) == 2L)) {
    add("fisher", case, "or_r", r$estimate)
    add("fisher", case, "ci_low_r", r$conf.int[1])
    add("fisher", case, "ci_high_r", r$conf.int[2])
    e <- or_exact(unclass(m))
    add("fisher", case, "or", e[1])
    add("fisher", case, "ci_low", e[2])
    add("fisher", case, "ci_high", e[3])
  }
}
f_case("group2~sex", d$group2, d$sex)
f_case("response~sex", d$response, d$sex)
f_case("grade~sex", d$grade[!is.na(d$grade)], d$sex[!is.na(d$grade)])
f_case("stage~grade", d$stage[!is.na(d$grade)], d$grade[!is.na(d$grade)])
f_case("grade~stage", d$grade[!is.na(d$grade)], d$stage[!is.na(d$grade)])
for (nm in names(tables)) {
  v <- as_vectors(tables[[nm]])
  f_case(nm, v$a, v$b)
}

write.csv(do.call(rbind, long), file.path(out_dir, "clinical_group_tests.csv"), row.names = FALSE)

# ---- logistic regression --------------------------------------------------------------------
# Exact profile-likelihood limits (root of the signed root deviance), as remarkit computes them;
# MASS's confint(glm) interpolates a spline through a coarse profile instead.
profile_exact <- function(fit, level = 0.95) {
  X <- model.matrix(fit); y <- fit$y; b <- coef(fit); se <- sqrt(diag(vcov(fit)))
  crit <- qchisq(level, 1); dev0 <- deviance(fit)
  ctl <- glm.control(epsilon = 1e-14, maxit = 200)
  t(sapply(seq_along(b), function(j) {
    f <- function(bj) {
      g <- glm.fit(X[, -j, drop = FALSE], y, offset = X[, j] * bj, family = binomial(),
                   control = ctl)
      g$deviance - dev0 - crit
    }
    sapply(c(-1, 1), function(s) {
      step <- 1
      while (f(b[j] + s * step * se[j]) < 0) step <- step * 2
      uniroot(f, sort(c(b[j], b[j] + s * step * se[j])), tol = 1e-12)$root
    })
  }))
}
glm_rows <- list()
g_case <- function(model, formula, data, tight) {
  ctl <- if (tight) glm.control(epsilon = 1e-14, maxit = 100) else glm.control()
  fit <- glm(formula, family = binomial(), data = data, control = ctl)
  s <- summary(fit)$coefficients
  wald <- confint.default(fit)
  prof <- suppressMessages(confint(fit))
  out <- data.frame(model = model, control = if (tight) "tight" else "default",
                    term = rownames(s), estimate = num(s[, 1]), se = num(s[, 2]),
                    z = num(s[, 3]), p = num(s[, 4]),
                    wald_low = num(wald[, 1]), wald_high = num(wald[, 2]),
                    profile_low = num(prof[, 1]), profile_high = num(prof[, 2]),
                    n = nobs(fit), events = sum(fit$y), deviance = num(deviance(fit)))
  if (tight) {
    ex <- profile_exact(fit)
    out$exact_low <- num(ex[, 1])
    out$exact_high <- num(ex[, 2])
  } else {
    out$exact_low <- NA
    out$exact_high <- NA
  }
  glm_rows[[length(glm_rows) + 1L]] <<- out
  fit
}
d2 <- d
d2$grade <- relevel(d2$grade, ref = "G2")
vif_rows <- list()
v_case <- function(model, fit, tight) {
  v <- vif(fit)
  if (is.null(dim(v))) v <- cbind(GVIF = v, Df = 1, adj = sqrt(v))
  vif_rows[[length(vif_rows) + 1L]] <<- data.frame(
    model = model, control = if (tight) "tight" else "default", variable = rownames(v),
    gvif = num(v[, 1]), df = v[, 2], gvif_adj = num(v[, 3]))
}
for (tight in c(FALSE, TRUE)) {
  f1 <- g_case("m1", response ~ marker + age + grade + sex, d, tight)
  f2 <- g_case("m2", response ~ age + grade + stage, d2, tight)
  f3 <- g_case("m3", response ~ marker + age, d, tight)
  v_case("m1", f1, tight)
  v_case("m2", f2, tight)
  v_case("m3", f3, tight)
}
write.csv(do.call(rbind, glm_rows), file.path(out_dir, "clinical_logistic.csv"), row.names = FALSE)
write.csv(do.call(rbind, vif_rows), file.path(out_dir, "clinical_vif.csv"), row.names = FALSE)
write_versions("clinical_stats", c("car", "MASS"))
