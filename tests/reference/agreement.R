# Reference values for remarkit.stats' agreement statistics: icc, cohen_kappa, fleiss_kappa and
# bland_altman (Krippendorff's alpha is checked against the PyPI package krippendorff instead).
#
# Run from the repository root:  Rscript tests/reference/agreement.R
# Needs: psych. The data are synthetic, drawn here with set.seed and written out beside the
# values:
#   agreement_icc_data.csv     dataset, subject, r1..r4 (continuous; unused raters empty)
#   agreement_kappa_data.csv   dataset, a, b (integer level codes 1..L; empty = missing)
#   agreement_fleiss_data.csv  dataset, r1..r5 (integer codes; empty = missing)
#   agreement_ba_data.csv      dataset, a, b (continuous; empty = missing)
# Values (agreement_expected.csv: case, quantity, value, printed with 17 significant digits):
#   ICC: psych::ICC(x, lmer = FALSE, alpha)$results (the ANOVA mean squares; lmer = TRUE, psych's
#     default, estimates the same components by REML up to the optimiser's tolerance).
#   Cohen's kappa: psych::cohen.kappa(cbind(a, b), w, alpha, levels): kappa + var.kappa for
#     unweighted, weighted.kappa + var.weighted for the weight matrix w (quadratic: psych's default
#     1 - (i - j)^2 / (L - 1)^2; linear: 1 - |i - j| / (L - 1)), confid (clipped to +/-1 by
#     psych); Byrt, Bishop & Carlin (1993) PI = (a - d)/n, BI = (b - c)/n, PABAK = 2 po - 1.
#   Fleiss' kappa: irr is not packaged for Debian, so irr::kappam.fleiss(ratings, detail = TRUE)
#     is written out below in base R from its definition (Fleiss 1971; SE under kappa = 0 of
#     Fleiss, Nee & Landis 1979, as in Fleiss, Levin & Paik 2003), the p-value as
#     2 * pnorm(-|z|) (irr's 2 * (1 - pnorm(|z|)) loses digits when p is tiny).
#   Bland-Altman: base R: bias = mean(a - b), sd, limits bias -/+ qnorm(1 - alpha/2) sd, bias CI
#     bias -/+ qt(1 - alpha/2, n - 1) sd / sqrt(n), limit CIs -/+ qt(.) sqrt(3 sd^2 / n)
#     (Bland & Altman 1999), proportional bias from lm(d ~ m); and psych::ICC of the same pairs
#     (raw and log values: the marker_reproducibility unit's numbers, icc_ba/...).
# Writes agreement_versions.csv (R's and psych's versions).
suppressPackageStartupMessages(library(psych))

source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "versions.R"))
out_dir <- reference_dir
fmt <- function(df) {
  for (nm in names(df)) if (is.numeric(df[[nm]])) df[[nm]] <- sprintf("%.17g", df[[nm]])
  df[is.na(df) | df == "NA"] <- ""
  df
}
save <- function(df, name) write.csv(fmt(df), file.path(out_dir, name), row.names = FALSE,
                                     quote = TRUE, na = "")
expected <- list()
put <- function(case, values) {
  expected[[length(expected) + 1]] <<- data.frame(case = case, quantity = names(values),
                                                  value = unname(unlist(values)))
}

# ---- ICC -------------------------------------------------------------------------------------
set.seed(20261203)
icc_sets <- list()
mk <- function(n, k, sd_subj, rater_shift, sd_err) {
  subj <- rnorm(n, 10, sd_subj)
  x <- sapply(seq_len(k), function(j) subj + rater_shift[j] + rnorm(n, 0, sd_err))
  x
}
icc_sets$main <- mk(30, 3, 2, c(0, 0.5, 1), 1)
icc_sets$small <- mk(8, 2, 1, c(0, 0.3), 0.7)
icc_sets$four <- mk(50, 4, 3, c(0, 2, -1, 0.5), 1.5)
icc_sets$poor <- mk(20, 3, 0.2, c(0, 0.1, 0.2), 1)  # subjects barely differ: ICC near/below 0
icc_rows <- list()
for (nm in names(icc_sets)) {
  x <- icc_sets[[nm]]
  d <- data.frame(dataset = nm, subject = seq_len(nrow(x)))
  for (j in 1:4) d[[paste0("r", j)]] <- if (j <= ncol(x)) x[, j] else NA
  icc_rows[[nm]] <- d
  for (alpha in c(0.05, 0.1)) {
    res <- ICC(x, lmer = FALSE, alpha = alpha)$results
    for (i in seq_len(nrow(res))) {
      put(sprintf("icc/%s/%g/%s", nm, alpha, res$type[i]),
          list(estimate = res$ICC[i], f = res$F[i], df1 = res$df1[i], df2 = res$df2[i],
               p_value = res$p[i], lower = res[["lower bound"]][i],
               upper = res[["upper bound"]][i]))
    }
  }
}
icc_data <- do.call(rbind, icc_rows)
# round-trip through the printed digits so that R and Python use the very same numbers
icc_data[paste0("r", 1:4)] <- lapply(icc_data[paste0("r", 1:4)],
                                    function(v) suppressWarnings(as.numeric(sprintf("%.17g", v))))
save(icc_data, "agreement_icc_data.csv")

# ---- Cohen's kappa ---------------------------------------------------------------------------
noisy <- function(a, p_keep, L) ifelse(runif(length(a)) < p_keep, a, sample(1:L, length(a), TRUE))
kap <- list()
a <- sample(1:2, 60, TRUE, prob = c(0.45, 0.55)); kap$binary <- list(a = a, b = noisy(a, 0.7, 2), L = 2)
a <- sample(1:2, 80, TRUE, prob = c(0.92, 0.08)); b <- a; b[sample(80, 5)] <- 3 - b[sample(80, 5)]
kap$prevalent <- list(a = a, b = b, L = 2)  # high prevalence: kappa paradox, PABAK high
a <- sample(1:4, 80, TRUE, prob = c(0.1, 0.3, 0.4, 0.2)); b <- noisy(a, 0.6, 4)
b[b == 4 & a != 4] <- 3  # rater b over-uses level 3
kap$ordinal4 <- list(a = a, b = b, L = 4)
a <- sample(1:3, 40, TRUE); b <- noisy(a, 0.75, 3); a[c(3, 17)] <- NA; b[25] <- NA
kap$unused_level <- list(a = a, b = b, L = 5)  # declared levels 4 and 5 never used
a <- sample(1:3, 12, TRUE); b <- a; b[2] <- (b[2] %% 3) + 1
kap$clipped <- list(a = a, b = b, L = 3)  # near-perfect, small n: upper bound clipped to 1
kap_rows <- list()
for (nm in names(kap)) {
  s <- kap[[nm]]; L <- s$L
  kap_rows[[nm]] <- data.frame(dataset = nm, a = s$a, b = s$b)
  lin <- 1 - abs(outer(1:L, 1:L, "-")) / (L - 1)
  quad <- 1 - abs(outer(1:L, 1:L, "-"))^2 / (L - 1)^2
  for (alpha in c(0.05, 0.1)) {
    for (w in c("none", "linear", "quadratic")) {
      wm <- switch(w, none = NULL, linear = lin, quadratic = quad)
      ck <- suppressWarnings(cohen.kappa(cbind(s$a, s$b), w = wm, alpha = alpha, levels = 1:L))
      row <- if (w == "none") 1 else 2
      est <- if (w == "none") ck$kappa else ck$weighted.kappa
      v <- if (w == "none") ck$var.kappa else ck$var.weighted
      x <- ck$agree; rs <- rowSums(x); cs <- colSums(x)
      vals <- list(estimate = est, se = sqrt(v), lower = ck$confid[row, "lower"],
                   upper = ck$confid[row, "upper"], n = ck$n.obs, agreement = sum(diag(x)))
      if (w == "none") {
        vals$observed <- sum(diag(x)); vals$expected <- sum(rs * cs)
      } else {
        vals$observed <- sum(wm * x); vals$expected <- sum(wm * outer(rs, cs))
      }
      if (L == 2) {
        tab <- x * ck$n.obs
        vals$prevalence_index <- (tab[1, 1] - tab[2, 2]) / ck$n.obs
        vals$bias_index <- (tab[1, 2] - tab[2, 1]) / ck$n.obs
        vals$pabak <- 2 * sum(diag(x)) - 1
      }
      put(sprintf("kappa/%s/%g/%s", nm, alpha, w), vals)
    }
  }
}
save(do.call(rbind, kap_rows), "agreement_kappa_data.csv")

# ---- Fleiss' kappa (irr::kappam.fleiss written out) ------------------------------------------
kappam_fleiss <- function(ratings, lev) {
  ratings <- as.matrix(na.omit(ratings))
  ns <- nrow(ratings); nr <- ncol(ratings)
  ttab <- t(apply(ratings, 1, function(r) as.numeric(table(factor(r, levels = lev)))))
  agreeP <- sum((apply(ttab^2, 1, sum) - nr) / (nr * (nr - 1)) / ns)
  chanceP <- sum(apply(ttab, 2, sum)^2) / (ns * nr)^2
  value <- (agreeP - chanceP) / (1 - chanceP)
  pj <- apply(ttab, 2, sum) / (ns * nr); qj <- 1 - pj
  varkappa <- (2 / (sum(pj * qj)^2 * (ns * nr * (nr - 1)))) *
    (sum(pj * qj)^2 - sum(pj * qj * (qj - pj)))
  se <- sqrt(varkappa); u <- value / se
  pjk <- (apply(ttab^2, 2, sum) - ns * nr * pj) / (ns * nr * (nr - 1) * pj)
  kappaK <- (pjk - pj) / (1 - pj)
  seK <- sqrt(2 / (ns * nr * (nr - 1)))
  list(estimate = value, se = se, z = u, p_value = 2 * pnorm(-abs(u)), observed = agreeP,
       expected = chanceP, n = ns, kappaK = kappaK, seK = seK, zK = kappaK / seK,
       pK = 2 * pnorm(-abs(kappaK / seK)))
}
fl <- list()
truth <- sample(1:3, 40, TRUE, prob = c(0.5, 0.3, 0.2))
fl$five <- list(r = sapply(1:5, function(j) noisy(truth, 0.7, 3)), L = 3)
truth <- sample(1:4, 25, TRUE)
r <- sapply(1:3, function(j) noisy(truth, 0.6, 4)); r[c(2, 9), 2] <- NA; r[14, 3] <- NA
fl$with_missing <- list(r = r, L = 4)
truth <- sample(1:2, 30, TRUE)
fl$two <- list(r = sapply(1:2, function(j) noisy(truth, 0.8, 2)), L = 2)
fl_rows <- list()
for (nm in names(fl)) {
  r <- fl[[nm]]$r
  d <- data.frame(dataset = nm)[rep(1, nrow(r)), , drop = FALSE]
  for (j in 1:5) d[[paste0("r", j)]] <- if (j <= ncol(r)) r[, j] else NA
  fl_rows[[nm]] <- d
  res <- kappam_fleiss(r, seq_len(fl[[nm]]$L))
  put(sprintf("fleiss/%s", nm), res[c("estimate", "se", "z", "p_value", "observed", "expected",
                                      "n")])
  for (l in seq_len(fl[[nm]]$L)) {
    put(sprintf("fleiss_level/%s/%d", nm, l),
        list(kappa = res$kappaK[l], se = res$seK, z = res$zK[l], p_value = res$pK[l]))
  }
}
save(do.call(rbind, fl_rows), "agreement_fleiss_data.csv")

# ---- Bland-Altman ----------------------------------------------------------------------------
ba <- list()
truth <- rlnorm(60, 3, 0.5)
ba$additive <- data.frame(a = truth + rnorm(60, 0, 2), b = truth + 1.5 + rnorm(60, 0, 2))
truth <- rlnorm(45, 2, 0.6)
b <- truth * exp(rnorm(45, 0, 0.1)); a <- 1.1 * truth * exp(rnorm(45, 0, 0.1))
a[c(4, 30)] <- NA; b[11] <- NA
ba$proportional <- data.frame(a = a, b = b)  # a reads ~10% higher, more so for large values
ba_rows <- list()
for (nm in names(ba)) {
  d0 <- ba[[nm]]
  d0[] <- lapply(d0, function(v) suppressWarnings(as.numeric(sprintf("%.17g", v))))
  ba_rows[[nm]] <- data.frame(dataset = nm, a = d0$a, b = d0$b)
  for (lg in c(FALSE, TRUE)) {
    cc <- d0[complete.cases(d0), ]
    x <- if (lg) log(cc$a) else cc$a; y <- if (lg) log(cc$b) else cc$b
    d <- x - y; m <- (x + y) / 2; n <- length(d)
    for (alpha in c(0.05, 0.1)) {
      bias <- mean(d); s <- sd(d)
      z <- qnorm(1 - alpha / 2); tq <- qt(1 - alpha / 2, n - 1)
      se_loa <- sqrt(3 * s^2 / n)
      fit <- summary(lm(d ~ m))$coefficients
      put(sprintf("bland_altman/%s/%s/%g", nm, if (lg) "log" else "raw", alpha),
          list(n = n, n_missing = nrow(d0) - n, bias = bias, sd = s,
               bias_lower = bias - tq * s / sqrt(n), bias_upper = bias + tq * s / sqrt(n),
               lower_loa = bias - z * s, upper_loa = bias + z * s, loa_se = se_loa,
               lower_loa_lower = bias - z * s - tq * se_loa,
               lower_loa_upper = bias - z * s + tq * se_loa,
               upper_loa_lower = bias + z * s - tq * se_loa,
               upper_loa_upper = bias + z * s + tq * se_loa,
               intercept = fit[1, 1], slope = fit[2, 1], slope_se = fit[2, 2],
               slope_p = fit[2, 4]))
      res <- ICC(cbind(x, y), lmer = FALSE, alpha = alpha)$results
      for (i in seq_len(nrow(res))) {
        put(sprintf("icc_ba/%s/%s/%g/%s", nm, if (lg) "log" else "raw", alpha, res$type[i]),
            list(estimate = res$ICC[i], f = res$F[i], df1 = res$df1[i], df2 = res$df2[i],
                 p_value = res$p[i], lower = res[["lower bound"]][i],
                 upper = res[["upper bound"]][i]))
      }
    }
  }
}
save(do.call(rbind, ba_rows), "agreement_ba_data.csv")

save(do.call(rbind, expected), "agreement_expected.csv")
write_versions("agreement", "psych")
