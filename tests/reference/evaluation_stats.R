# Reference values for remarkit.stats ROC / DeLong / Youden / diagnostic / calibration functions.
#
# Run from this directory:  Rscript evaluation_stats.R
# Needs R >= 4.2 with pROC and rms. Writes evaluation_*.csv next to this script; the Python tests
# (tests/stats/test_roc.py, test_diagnostic.py, test_calibration.py) read those files.
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "versions.R"))
suppressPackageStartupMessages({
  library(pROC)
  library(rms)
})

fmt <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
write_ref <- function(df, name) {
  out <- as.data.frame(lapply(df, function(col) if (is.numeric(col)) fmt(col) else col),
                       stringsAsFactors = FALSE)
  write.csv(out, name, row.names = FALSE, quote = FALSE)
}

# ---------------------------------------------------------------------------------------------
# Data. "main": n = 200, tied score_a, correlated score_b, tied predicted probabilities p.
#       "ties": n = 60, integer scores 1..6 (tied Youden optima, empty HL bins).
set.seed(20240611)
n <- 200
y <- rbinom(n, 1, 0.35)
latent <- rnorm(n) + 1.1 * y
score_a <- round(latent, 1)
score_b <- round(0.6 * latent + 0.8 * rnorm(n) + 0.4 * y, 2)
p <- round(plogis(-0.9 + 0.8 * latent + 0.3 * rnorm(n)), 3)
pred <- as.integer(score_a >= 0.5)
main <- data.frame(id = seq_len(n), y = y, score_a = score_a, score_b = score_b, p = p,
                   pred = pred)

m <- 60
y2 <- rep(c(0L, 1L), times = c(34, 26))
s2 <- c(sample(1:6, 34, replace = TRUE, prob = c(5, 4, 3, 2, 1, 1)),
        sample(1:6, 26, replace = TRUE, prob = c(1, 1, 2, 3, 4, 5)))
s2b <- s2 + sample(c(-1, 0, 0, 1), m, replace = TRUE)
p2 <- c(0.1, 0.2, 0.2, 0.5, 0.8, 0.9)[s2]
ties <- data.frame(id = seq_len(m), y = y2, score_a = s2, score_b = s2b, p = p2,
                   pred = as.integer(s2 >= 4))
# "alternating": controls at odd, cases at even integers; four Youden optima tie exactly.
alternating <- data.frame(id = 1:12, y = rep(c(0L, 1L), 6), score_a = 1:12,
                          score_b = c(2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11) + 0.5 * rep(0:1, 6),
                          p = round(plogis((1:12 - 6.5) / 4), 3), pred = as.integer(1:12 >= 6))
# "adjacent": neighbouring doubles, whose midpoint pROC moves onto a data value.
adjacent <- data.frame(id = 1:8, y = c(0L, 1L, 0L, 1L, 1L, 0L, 1L, 0L),
                       score_a = c(1, 1 + 2^-52, 2, 2 + 2^-51, 3, 3 - 2^-51, 4, 0.5),
                       score_b = c(1, 2, 1, 3, 5, 4, 2, 3), p = 0.5, pred = c(0L, 1L, 1L, 1L, 1L, 0L, 0L, 0L))
write_ref(main, "evaluation_data_main.csv")
write_ref(ties, "evaluation_data_ties.csv")
write_ref(alternating, "evaluation_data_alternating.csv")
write_ref(adjacent, "evaluation_data_adjacent.csv")
datasets <- list(main = main, ties = ties, alternating = alternating, adjacent = adjacent)

# ---------------------------------------------------------------------------------------------
# Scalars in long form: dataset, statistic, value.
scal <- list()
put <- function(dataset, statistic, value) {
  scal[[length(scal) + 1L]] <<- data.frame(dataset = dataset, statistic = statistic,
                                           value = as.numeric(value))
}
roc_rows <- list()
youden_rows <- list()

for (ds in names(datasets)) {
  d <- datasets[[ds]]
  for (dir in c("<", ">")) {
    tag <- if (dir == "<") "lt" else "gt"
    for (sc in c("score_a", "score_b")) {
      r <- roc(d$y, d[[sc]], direction = dir, levels = c(0, 1), quiet = TRUE)
      ci <- ci.auc(r, method = "delong", conf.level = 0.95)
      ci90 <- ci.auc(r, method = "delong", conf.level = 0.90)
      key <- paste(sc, tag, sep = "_")
      put(ds, paste0("auc_", key), as.numeric(auc(r)))
      put(ds, paste0("auc_lower_", key), ci[1])
      put(ds, paste0("auc_upper_", key), ci[3])
      put(ds, paste0("auc_lower90_", key), ci90[1])
      put(ds, paste0("auc_upper90_", key), ci90[3])
      roc_rows[[length(roc_rows) + 1L]] <- data.frame(
        dataset = ds, score = sc, direction = tag, threshold = r$thresholds,
        sensitivity = r$sensitivities, specificity = r$specificities)
      best <- coords(r, "best", best.method = "youden",
                     ret = c("threshold", "sensitivity", "specificity", "tp", "fp", "tn", "fn"))
      youden_rows[[length(youden_rows) + 1L]] <- data.frame(
        dataset = ds, score = sc, direction = tag, rank = seq_len(nrow(best)), best)
    }
    ra <- roc(d$y, d$score_a, direction = dir, levels = c(0, 1), quiet = TRUE)
    rb <- roc(d$y, d$score_b, direction = dir, levels = c(0, 1), quiet = TRUE)
    for (lev in c(0.95, 0.9)) {
      tt <- roc.test(ra, rb, method = "delong", paired = TRUE, conf.level = lev)
      suffix <- paste0(tag, if (lev == 0.95) "" else "_90")
      put(ds, paste0("delong_z_", suffix), tt$statistic)
      put(ds, paste0("delong_p_", suffix), tt$p.value)
      put(ds, paste0("delong_lower_", suffix), tt$conf.int[1])
      put(ds, paste0("delong_upper_", suffix), tt$conf.int[2])
    }
  }

  # Diagnostic metrics from 0/1 predictions, Clopper-Pearson as binom.test.
  tp <- sum(d$pred == 1 & d$y == 1); fp <- sum(d$pred == 1 & d$y == 0)
  tn <- sum(d$pred == 0 & d$y == 0); fn <- sum(d$pred == 0 & d$y == 1)
  props <- list(sensitivity = c(tp, tp + fn), specificity = c(tn, tn + fp),
                ppv = c(tp, tp + fp), npv = c(tn, tn + fn), accuracy = c(tp + tn, nrow(d)))
  for (nm in names(props)) {
    for (lev in c(0.95, 0.9)) {
      bt <- binom.test(props[[nm]][1], props[[nm]][2], conf.level = lev)
      suffix <- if (lev == 0.95) "" else "90"
      put(ds, paste0(nm, "_estimate"), bt$estimate)
      put(ds, paste0(nm, "_lower", suffix), bt$conf.int[1])
      put(ds, paste0(nm, "_upper", suffix), bt$conf.int[2])
    }
  }
  put(ds, "tp", tp); put(ds, "fp", fp); put(ds, "tn", tn); put(ds, "fn", fn)
}

# ---------------------------------------------------------------------------------------------
# Hosmer-Lemeshow by DESIGN.md's formula (base R only): type-7 quantile breaks, unique,
# right-closed bins including the lowest, chi-square over both outcome cells, df = groups - 2.
hl_groups <- function(y, p, g) {
  br <- unique(quantile(p, seq(0, 1, 1 / g), type = 7, names = FALSE))
  grp <- cut(p, br, include.lowest = TRUE, right = TRUE, labels = FALSE)
  obs1 <- tapply(y, factor(grp, levels = seq_len(length(br) - 1)), sum)
  nn <- tapply(y, factor(grp, levels = seq_len(length(br) - 1)), length)
  e1 <- tapply(p, factor(grp, levels = seq_len(length(br) - 1)), sum)
  mp <- tapply(p, factor(grp, levels = seq_len(length(br) - 1)), mean)
  keep <- !is.na(nn)
  data.frame(group = seq_len(length(br) - 1)[keep], lower = br[-length(br)][keep],
             upper = br[-1][keep], n = as.numeric(nn[keep]), observed = as.numeric(obs1[keep]),
             expected = as.numeric(e1[keep]), mean_p = as.numeric(mp[keep]))
}
hl_rows <- list()
bin_rows <- list()
for (ds in c("main", "ties")) {
  d <- datasets[[ds]]
  for (g in c(10, 5)) {
    t <- hl_groups(d$y, d$p, g)
    chisq <- sum((t$observed - t$expected)^2 / t$expected +
                 ((t$n - t$observed) - (t$n - t$expected))^2 / (t$n - t$expected))
    df <- nrow(t) - 2
    put(ds, paste0("hl_chisq_g", g), chisq)
    put(ds, paste0("hl_df_g", g), df)
    put(ds, paste0("hl_p_g", g), pchisq(chisq, df, lower.tail = FALSE))
    hl_rows[[length(hl_rows) + 1L]] <- data.frame(dataset = ds, groups = g, t)
  }
  # Binned calibration points (the same deciles), observed proportion with binom.test CI.
  t <- hl_groups(d$y, d$p, 10)
  ci <- t(mapply(function(x, nn) binom.test(x, nn)$conf.int, t$observed, t$n))
  bin_rows[[length(bin_rows) + 1L]] <- data.frame(
    dataset = ds, mean_predicted = t$mean_p, observed = t$observed / t$n,
    lower = ci[, 1], upper = ci[, 2], n = t$n)

  # rms::val.prob: Spiegelhalter, logistic recalibration, Brier, Emax/E90/Eavg.
  v <- val.prob(d$p, d$y, pl = FALSE)
  for (nm in c("S:z", "S:p", "Intercept", "Slope", "Brier", "Emax", "E90", "Eavg")) {
    put(ds, paste0("valprob_", nm), v[[nm]])
  }
  citl <- glm(d$y ~ 1, offset = qlogis(d$p), family = binomial,
              control = glm.control(epsilon = 1e-14, maxit = 100))
  put(ds, "citl", coef(citl)[[1]])
}

# ---------------------------------------------------------------------------------------------
# R's lowess: as val.prob draws it (iter = 0) and with robustness iterations (default iter = 3).
set.seed(7)
xl <- c(round(runif(120, 0, 10), 1), 3.3, 3.3, 3.3)
yl <- sin(xl) + rnorm(length(xl), sd = 0.4) + ifelse(runif(length(xl)) < 0.05, 4, 0)
xt <- sample(0:4, 40, replace = TRUE)
yt <- rbinom(40, 1, 0.4)
x5 <- c(2, 1, 2, 5, 3)
y5 <- c(0.5, 1.5, -1, 2, 0)
lowess_rows <- list(
  data.frame(case = "main_valprob", x = main$p, y = main$y,
             fit = lowess(main$p, main$y, iter = 0)$y),
  data.frame(case = "ties_valprob", x = ties$p, y = ties$y,
             fit = lowess(ties$p, ties$y, iter = 0)$y),
  data.frame(case = "sine_iter3", x = xl, y = yl, fit = lowess(xl, yl)$y),
  data.frame(case = "sine_f03_iter0", x = xl, y = yl, fit = lowess(xl, yl, f = 0.3, iter = 0)$y),
  data.frame(case = "ties_f01_iter2", x = xt, y = yt, fit = lowess(xt, yt, f = 0.1, iter = 2)$y),
  data.frame(case = "five_f1_iter1", x = x5, y = y5, fit = lowess(x5, y5, f = 1, iter = 1)$y)
)
# lowess returns fits at sorted x (stable order); store them against sorted x for comparison.
lowess_rows <- lapply(lowess_rows, function(df) {
  o <- order(df$x)
  data.frame(case = df$case, x = df$x, y = df$y, sorted_x = df$x[o], fit = df$fit)
})

write_ref(do.call(rbind, scal), "evaluation_expected.csv")
write_ref(do.call(rbind, roc_rows), "evaluation_roc_curves.csv")
write_ref(do.call(rbind, youden_rows), "evaluation_youden.csv")
write_ref(do.call(rbind, hl_rows), "evaluation_hl_groups.csv")
write_ref(do.call(rbind, bin_rows), "evaluation_calibration_bins.csv")
write_ref(do.call(rbind, lowess_rows), "evaluation_lowess.csv")
write_versions("evaluation_stats", c("pROC", "rms"))
