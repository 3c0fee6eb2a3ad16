# Reference values for remarkit.stats survival, decision-curve and validation functions.
#
# Run from the repository root:  Rscript tests/reference/survival_stats.R
# Needs: survival, rms (both on CRAN). Writes survival_*.csv next to this script:
#   survival_data.csv            seeded survival data (time, event, group, stage, marker)
#   survival_small.csv           two hand-made data sets (flat stretch at S = 0.5, median at last time)
#   survival_km_curves.csv       survfit() curves per data set and conf.type
#   survival_km_medians.csv      quantile(fit, 0.5) with CI, and summary(fit)$table medians
#   survival_km_at.csv           summary(fit, times = ..., extend = TRUE)
#   survival_followup.csv        reverse Kaplan-Meier median follow-up with CI
#   survival_logrank.csv         survdiff() observed/expected/chi-square per comparison
#   survival_cox_terms.csv       coxph(ties = "efron") per-term estimates
#   survival_cox_fit.csv         coxph() whole-model statistics
#   survival_binary_data.csv     seeded binary-outcome data and a model's predicted risks
#   survival_dca.csv             net benefit (dcurves::dca's formula) computed in base R
#   survival_validate.csv        rms::lrm + validate(): index.orig (apparent) column
#   survival_lrm_coef.csv        rms::lrm coefficients of the validated model
suppressPackageStartupMessages({
  library(survival)
  library(rms)
})

source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "versions.R"))
out_dir <- reference_dir

fmt <- function(df) {
  for (nm in names(df)) {
    if (is.numeric(df[[nm]])) df[[nm]] <- sprintf("%.17g", df[[nm]])
  }
  df
}
save <- function(df, name) {
  write.csv(fmt(df), file.path(out_dir, name), row.names = FALSE, quote = TRUE)
}

# ---------------------------------------------------------------- survival data
set.seed(20240611)
n <- 150
group <- factor(sample(c("A", "B", "C"), n, replace = TRUE, prob = c(0.4, 0.35, 0.25)))
stage <- factor(sample(c("I", "II", "III"), n, replace = TRUE, prob = c(0.4, 0.4, 0.2)))
marker <- round(rnorm(n), 4)
base_rate <- c(A = 0.07, B = 0.14, C = 0.004)[as.character(group)]
stage_eff <- c(I = 0, II = 0.35, III = 0.8)[as.character(stage)]
rate <- base_rate * exp(0.45 * marker + stage_eff)
t_event <- rexp(n, rate)
t_cens <- runif(n, 3, 36)
time <- pmax(1, ceiling(pmin(t_event, t_cens)))  # whole months: many tied times
event <- as.integer(t_event <= t_cens)
# the longest time in group A is a death, so that group's curve reaches 0 (std.err Inf)
ia <- which(group == "A")
last_a <- ia[which.max(time[ia])]
event[last_a] <- 1L
time[last_a] <- max(time) + 2
surv_data <- data.frame(time = time, event = event, group = group, stage = stage, marker = marker)
save(surv_data, "survival_data.csv")

small <- rbind(
  # S(t) = 0.5 from t = 5 until the death at t = 7: median 6 (midpoint of the flat stretch)
  data.frame(dataset = "flat_half", time = 1:10, event = c(1, 1, 1, 1, 1, 0, 1, 0, 0, 0)),
  # S(t) reaches 0.5 at the last death and stays there: median = (2 + last time) / 2
  data.frame(dataset = "flat_end", time = c(1, 2, 3, 4), event = c(1, 1, 0, 0))
)
save(small, "survival_small.csv")

km_sets <- list(
  all = surv_data[, c("time", "event")],
  group_A = surv_data[surv_data$group == "A", c("time", "event")],
  group_B = surv_data[surv_data$group == "B", c("time", "event")],
  group_C = surv_data[surv_data$group == "C", c("time", "event")],
  flat_half = small[small$dataset == "flat_half", c("time", "event")],
  flat_end = small[small$dataset == "flat_end", c("time", "event")]
)
at_times <- c(0, 0.5, 1, 6, 12.5, 24, 36, 60)

curves <- list(); medians <- list(); at <- list()
for (ds in names(km_sets)) {
  d <- km_sets[[ds]]
  for (ct in c("log", "log-log", "plain")) {
    for (lev in if (ds == "all") c(0.95, 0.90) else 0.95) {
      fit <- survfit(Surv(time, event) ~ 1, data = d, conf.type = ct, conf.int = lev)
      curves[[length(curves) + 1]] <- data.frame(
        dataset = ds, conf_type = ct, level = lev, time = fit$time, n_risk = fit$n.risk,
        n_event = fit$n.event, n_censor = fit$n.censor, surv = fit$surv,
        std_err = fit$std.err, lower = fit$lower, upper = fit$upper
      )
      q <- quantile(fit, probs = 0.5)
      tab <- summary(fit)$table
      medians[[length(medians) + 1]] <- data.frame(
        dataset = ds, conf_type = ct, level = lev, n = nrow(d), events = sum(d$event),
        median = unname(q$quantile), lower = unname(q$lower), upper = unname(q$upper),
        table_median = unname(tab["median"])
      )
      s <- summary(fit, times = at_times, extend = TRUE)
      at[[length(at) + 1]] <- data.frame(
        dataset = ds, conf_type = ct, level = lev, time = s$time, n_risk = s$n.risk,
        n_event = s$n.event, n_censor = s$n.censor, surv = s$surv,
        std_err_surv = s$std.err, lower = s$lower, upper = s$upper
      )
    }
  }
}
save(do.call(rbind, curves), "survival_km_curves.csv")
save(do.call(rbind, medians), "survival_km_medians.csv")
save(do.call(rbind, at), "survival_km_at.csv")

# ------------------------------------------------- median follow-up (reverse Kaplan-Meier)
fu <- list()
for (ds in c("all", "group_B", "flat_half")) {
  d <- km_sets[[ds]]
  for (lev in c(0.95, 0.90)) {
    rfit <- survfit(Surv(time, 1 - event) ~ 1, data = d, conf.int = lev)
    q <- quantile(rfit, probs = 0.5)
    fu[[length(fu) + 1]] <- data.frame(
      dataset = ds, level = lev, median = unname(q$quantile), lower = unname(q$lower),
      upper = unname(q$upper)
    )
  }
}
save(do.call(rbind, fu), "survival_followup.csv")

# ------------------------------------------------------------------------- log-rank
lr <- list()
lr_sets <- list(
  three_groups = surv_data,
  A_vs_B = droplevels(surv_data[surv_data$group != "C", ]),
  stage = transform(surv_data, group = stage)
)
for (nm in names(lr_sets)) {
  d <- lr_sets[[nm]]
  sd <- survdiff(Surv(time, event) ~ group, data = d)
  dfree <- sum(sd$exp > 0) - 1
  lr[[length(lr) + 1]] <- data.frame(
    comparison = nm, group = levels(d$group), n = as.vector(sd$n), observed = sd$obs,
    expected = sd$exp, variance = diag(sd$var), chisq = sd$chisq, df = dfree,
    p = pchisq(sd$chisq, dfree, lower.tail = FALSE)
  )
}
save(do.call(rbind, lr), "survival_logrank.csv")

# ---------------------------------------------------------------------- Cox (Efron)
cox_models <- list(
  full = Surv(time, event) ~ marker + stage + group,
  marker = Surv(time, event) ~ marker,
  stage_only = Surv(time, event) ~ stage
)
terms_out <- list(); fit_out <- list()
for (nm in names(cox_models)) {
  cf <- coxph(cox_models[[nm]], data = surv_data, ties = "efron")
  s <- summary(cf)
  terms_out[[length(terms_out) + 1]] <- data.frame(
    model = nm, term = rownames(s$coefficients), coef = s$coefficients[, "coef"],
    hr = s$coefficients[, "exp(coef)"], se = s$coefficients[, "se(coef)"],
    z = s$coefficients[, "z"], p = s$coefficients[, "Pr(>|z|)"],
    lower = s$conf.int[, "lower .95"], upper = s$conf.int[, "upper .95"]
  )
  fit_out[[length(fit_out) + 1]] <- data.frame(
    model = nm, n = cf$n, events = cf$nevent, loglik_null = cf$loglik[1],
    loglik = cf$loglik[2], lr_chisq = unname(s$logtest["test"]), lr_df = unname(s$logtest["df"]),
    lr_p = unname(s$logtest["pvalue"]), wald_chisq = unname(cf$wald.test),
    wald_p = unname(s$waldtest["pvalue"]), score_chisq = unname(cf$score),
    score_p = unname(s$sctest["pvalue"]), concordance = unname(cf$concordance["concordance"]),
    iterations = cf$iter
  )
}
save(do.call(rbind, terms_out), "survival_cox_terms.csv")
save(do.call(rbind, fit_out), "survival_cox_fit.csv")

# ------------------------------------------------- binary outcome: DCA and validation
set.seed(7321)
nb <- 160
bin <- data.frame(
  marker = round(rnorm(nb), 4),
  stage = factor(sample(c("I", "II", "III"), nb, replace = TRUE, prob = c(0.45, 0.35, 0.2))),
  noise1 = round(rnorm(nb), 4), noise2 = round(rnorm(nb), 4), noise3 = round(runif(nb), 4),
  noise4 = round(rnorm(nb), 4), noise5 = round(rnorm(nb), 4)
)
lin <- -0.6 + 0.9 * bin$marker + c(I = 0, II = 0.5, III = 1.1)[as.character(bin$stage)]
bin$y <- rbinom(nb, 1, plogis(lin))
g <- glm(y ~ marker + stage, family = binomial, data = bin)
bin$p_model <- unname(fitted(g))
bin$p_coarse <- round(bin$p_model, 2)  # coarse risks: many ties, some equal to thresholds
save(bin, "survival_binary_data.csv")

thresholds <- seq(0.01, 0.99, length.out = 99)
dca_rows <- list()
for (model in c("p_model", "p_coarse")) {
  risk <- bin[[model]]
  y <- bin$y
  prev <- mean(y)
  for (pt in thresholds) {
    tp_rate <- mean(risk[y == 1] >= pt) * prev
    fp_rate <- mean(risk[y == 0] >= pt) * (1 - prev)
    nb_model <- tp_rate - pt / (1 - pt) * fp_rate
    nb_all <- prev - pt / (1 - pt) * (1 - prev)
    dca_rows[[length(dca_rows) + 1]] <- data.frame(
      model = model, threshold = pt, tp_rate = tp_rate, fp_rate = fp_rate,
      net_benefit = nb_model, net_benefit_all = nb_all, net_benefit_none = 0,
      interventions_avoided = (nb_model - nb_all) / (pt / (1 - pt)) * 100
    )
  }
}
save(do.call(rbind, dca_rows), "survival_dca.csv")

dd <- datadist(bin); options(datadist = "dd")
val_models <- list(
  small = y ~ marker + stage,
  noisy = y ~ marker + stage + noise1 + noise2 + noise3 + noise4 + noise5
)
val_out <- list(); coef_out <- list()
for (nm in names(val_models)) {
  f <- lrm(val_models[[nm]], data = bin, x = TRUE, y = TRUE)
  set.seed(99)
  v <- validate(f, B = 40)
  val_out[[length(val_out) + 1]] <- data.frame(
    model = nm, index = rownames(v), index_orig = v[, "index.orig"],
    training = v[, "training"], test = v[, "test"], optimism = v[, "optimism"],
    corrected = v[, "index.corrected"]
  )
  coef_out[[length(coef_out) + 1]] <- data.frame(model = nm, term = names(coef(f)),
                                                  coef = unname(coef(f)))
}
save(do.call(rbind, val_out), "survival_validate.csv")
save(do.call(rbind, coef_out), "survival_lrm_coef.csv")
cat("written to", out_dir, "\n")
write_versions("survival_stats", c("survival", "rms"))
