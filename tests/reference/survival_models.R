# Reference values for remarkit.stats survival models: Cox (Efron/Breslow, strata, nested LR
# test, baseline hazard and predicted survival), cox.zph, concordance, time-dependent AUC.
#
# Run from the repository root:  Rscript tests/reference/survival_models.R
# Needs: survival and rms (CRAN). Uses /work/shared/data/breast/gbsg.csv when present (its rows are
# written only as results, never copied). Writes survival_models_*.csv next to this script:
#   survival_models_data.csv       seeded synthetic data (time, status, x1, x2, grp, centre)
#   survival_models_cox_terms.csv  coxph per-term coef, se, z, p, mean per data set/model/ties
#   survival_models_cox_fit.csv    coxph whole-model loglik, LR/Wald/score tests, concordance
#   survival_models_cox_lr.csv     anova(reduced, full): LR chi-square, df, p
#   survival_models_basehaz.csv    survfit(fit) cumulative hazard at the means (event times)
#   survival_models_predict.csv    survfit(fit, newdata) survival at horizons for some rows
#   survival_models_zph.csv        cox.zph table (terms = TRUE) per transform and tie rule
#   survival_models_zph_resid.csv  cox.zph $x, $time and $y (scaled Schoenfeld residuals)
#   survival_models_concordance.csv concordance(Surv ~ score): C, var, counts
#   survival_models_valid_pred.csv a model fitted on rows 1-250 applied to rows 251-400:
#                                  predict(type = "lp") and survfit(fit, newdata) S(10)
#   survival_models_calib_groups.csv KM vs mean predicted S(10) in 5 quantile groups
#   survival_models_calib_slope.csv coxph(Surv ~ lp) on the validation rows: slope, SE, CI
#   survival_models_td_auc.csv     cumulative/dynamic AUC(t) from its definition, and the SD
#                                  and percentile interval over the bootstrap replicates in
#                                  survival_models_boot_idx_*.csv (survival_models_boot_idx.py)
#   survival_models_nomogram_*.csv rms::nomogram of a cph fit with survival axes: points per
#                                  predictor value, total/survival axes, sc/Intercept/center
#   survival_models_versions.csv   R, survival and rms versions
suppressPackageStartupMessages(library(survival))

source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "versions.R"))
out_dir <- reference_dir
fmt <- function(df) {
  for (nm in names(df)) if (is.numeric(df[[nm]])) df[[nm]] <- sprintf("%.17g", df[[nm]])
  df
}
save <- function(df, name) {
  write.csv(fmt(df), file.path(out_dir, name), row.names = FALSE, quote = TRUE)
}

# ------------------------------------------------------------------ synthetic data
set.seed(20261203)
n <- 400
x1 <- round(rnorm(n), 3)
x2 <- rbinom(n, 1, 0.4)
grp <- sample(c("a", "b", "c"), n, replace = TRUE)
centre <- sample(c("north", "south", "west"), n, replace = TRUE, prob = c(0.5, 0.3, 0.2))
rate <- 0.05 * exp(0.6 * x1 - 0.5 * x2 + c(a = 0, b = 0.4, c = -0.3)[grp]) *
  c(north = 1, south = 1.6, west = 0.7)[centre]
t_event <- rexp(n, rate) * (1 + 0.3 * x2 * seq_len(n) / n)  # mildly non-proportional in x2
t_cens <- runif(n, 5, 40)
time <- pmax(0.5, round(pmin(t_event, t_cens)))   # whole units: many ties
status <- as.integer(t_event <= t_cens)
syn <- data.frame(time = time, status = status, x1 = x1, x2 = x2, grp = grp, centre = centre)
save(syn, "survival_models_data.csv")

sets <- list(synthetic = syn)
gbsg_path <- "/work/shared/data/breast/gbsg.csv"
if (file.exists(gbsg_path)) {
  g <- read.csv(gbsg_path)
  g$grade <- factor(g$grade)
  sets$gbsg <- g
}
models <- list(
  synthetic = list(
    full = Surv(time, status) ~ x1 + x2 + grp,
    reduced = Surv(time, status) ~ x2 + grp,
    strat = Surv(time, status) ~ x1 + x2 + grp + strata(centre),
    strat_reduced = Surv(time, status) ~ x2 + grp + strata(centre)
  ),
  gbsg = list(
    full = Surv(rfstime, status) ~ age + meno + size + grade + nodes + pgr + er + hormon,
    reduced = Surv(rfstime, status) ~ age + meno + size + grade + nodes + er + hormon,
    strat = Surv(rfstime, status) ~ age + size + grade + nodes + pgr + er + strata(hormon, meno),
    strat_reduced = Surv(rfstime, status) ~ age + size + grade + nodes + er + strata(hormon, meno)
  )
)
pairs <- list(c("full", "reduced"), c("strat", "strat_reduced"))
horizons <- list(synthetic = c(5, 10, 20, 30), gbsg = c(365, 730, 1825))

terms_out <- list(); fit_out <- list(); lr_out <- list(); bh_out <- list(); pred_out <- list()
zph_out <- list(); zres_out <- list()
for (ds in names(sets)) {
  d <- sets[[ds]]
  for (ties in c("efron", "breslow")) {
    fits <- list()
    for (m in names(models[[ds]])) {
      cf <- coxph(models[[ds]][[m]], data = d, ties = ties,
                  control = coxph.control(eps = 1e-12, iter.max = 100, toler.chol = 1e-15))
      fits[[m]] <- cf
      s <- summary(cf)
      terms_out[[length(terms_out) + 1]] <- data.frame(
        dataset = ds, model = m, ties = ties, term = names(coef(cf)), coef = unname(coef(cf)),
        se = unname(sqrt(diag(vcov(cf)))), z = s$coefficients[, "z"],
        p = s$coefficients[, "Pr(>|z|)"], mean = unname(cf$means)
      )
      fit_out[[length(fit_out) + 1]] <- data.frame(
        dataset = ds, model = m, ties = ties, n = cf$n, events = cf$nevent,
        loglik_null = cf$loglik[1], loglik = cf$loglik[2],
        lr_chisq = unname(s$logtest["test"]), lr_df = unname(s$logtest["df"]),
        lr_p = unname(s$logtest["pvalue"]), wald_chisq = unname(cf$wald.test),
        wald_p = pchisq(unname(cf$wald.test), length(coef(cf)), lower.tail = FALSE),
        score_chisq = unname(cf$score),
        score_p = pchisq(unname(cf$score), length(coef(cf)), lower.tail = FALSE),
        concordance = unname(cf$concordance["concordance"])
      )
      if (!(m %in% c("full", "strat"))) next
      sf <- survfit(cf)
      keep <- sf$n.event > 0
      st <- if (is.null(sf$strata)) rep("", length(sf$time)) else
        rep(names(sf$strata), sf$strata)
      bh_out[[length(bh_out) + 1]] <- data.frame(
        dataset = ds, model = m, ties = ties, stratum = st[keep], time = sf$time[keep],
        n_risk = sf$n.risk[keep], n_event = sf$n.event[keep], cumhaz = sf$cumhaz[keep]
      )
      rows <- c(1, 2, 3, 10, 50)
      pf <- survfit(cf, newdata = d[rows, ])
      for (k in seq_along(rows)) {
        one <- if (is.null(pf$strata)) pf else pf[k]
        sm <- summary(one, times = horizons[[ds]], extend = TRUE)
        surv <- if (is.matrix(sm$surv)) sm$surv[, k] else sm$surv
        pred_out[[length(pred_out) + 1]] <- data.frame(
          dataset = ds, model = m, ties = ties, row = rows[k], time = sm$time, surv = surv
        )
      }
      for (tr in c("km", "identity", "rank", "log")) {
        z <- cox.zph(cf, transform = tr)
        zph_out[[length(zph_out) + 1]] <- data.frame(
          dataset = ds, model = m, ties = ties, transform = tr, term = rownames(z$table),
          chisq = z$table[, "chisq"], df = z$table[, "df"], p = z$table[, "p"]
        )
        keep_resid <- paste(ds, m, ties, tr) %in% c(
          "synthetic full efron km", "synthetic full breslow km",
          "synthetic strat breslow identity", "gbsg full efron km"
        )
        if (keep_resid) {
          y <- z$y
          colnames(y) <- paste0("y_", colnames(y))
          zres_out[[length(zres_out) + 1]] <- data.frame(
            dataset = ds, model = m, ties = ties, transform = tr, x = z$x, time = z$time, y,
            check.names = FALSE
          )
        }
      }
    }
    for (p in pairs) {
      a <- anova(fits[[p[2]]], fits[[p[1]]])
      lr_out[[length(lr_out) + 1]] <- data.frame(
        dataset = ds, full = p[1], reduced = p[2], ties = ties, chisq = a$Chisq[2],
        df = a$Df[2], p = a[["Pr(>|Chi|)"]][2]
      )
    }
  }
}
save(do.call(rbind, terms_out), "survival_models_cox_terms.csv")
save(do.call(rbind, fit_out), "survival_models_cox_fit.csv")
save(do.call(rbind, lr_out), "survival_models_cox_lr.csv")
save(do.call(rbind, bh_out), "survival_models_basehaz.csv")
save(do.call(rbind, pred_out), "survival_models_predict.csv")
save(do.call(rbind, zph_out), "survival_models_zph.csv")
zres <- lapply(zres_out, function(z) {
  long <- reshape(z, direction = "long", varying = grep("^y_", names(z), value = TRUE),
                  v.names = "y", timevar = "term", idvar = "event_index",
                  times = sub("^y_", "", grep("^y_", names(z), value = TRUE)),
                  ids = seq_len(nrow(z)))
  long[order(long$term, long$event_index), ]
})
save(do.call(rbind, zres), "survival_models_zph_resid.csv")

# ------------------------------------------------------------------ concordance
conc_out <- list()
add_conc <- function(ds, score_name, tm, st, score, reverse) {
  cc <- concordance(Surv(tm, st) ~ score, reverse = reverse)
  data.frame(
    dataset = ds, score = score_name, reverse = reverse, concordance = cc$concordance,
    var = cc$var, concordant = cc$count[["concordant"]], discordant = cc$count[["discordant"]],
    tied_x = cc$count[["tied.x"]], tied_y = cc$count[["tied.y"]],
    tied_xy = cc$count[["tied.xy"]]
  )
}
for (rev in c(FALSE, TRUE)) {
  conc_out[[length(conc_out) + 1]] <- add_conc("synthetic", "x1", syn$time, syn$status, syn$x1, rev)
  conc_out[[length(conc_out) + 1]] <- add_conc("synthetic", "grp_code", syn$time, syn$status,
                                               match(syn$grp, c("a", "b", "c")), rev)
  if (!is.null(sets$gbsg)) {
    g <- sets$gbsg
    conc_out[[length(conc_out) + 1]] <- add_conc("gbsg", "nodes", g$rfstime, g$status, g$nodes, rev)
    conc_out[[length(conc_out) + 1]] <- add_conc("gbsg", "pgr", g$rfstime, g$status, g$pgr, rev)
  }
}
save(do.call(rbind, conc_out), "survival_models_concordance.csv")

# ------------------------------------------- calibration of a frozen model on new data
train <- syn[1:250, ]
valid <- syn[251:400, ]
calib_out <- list(); slope_out <- list(); vpred_out <- list()
for (m in c("full", "strat")) {
  cf <- coxph(models$synthetic[[m]], data = train, ties = "efron",
              control = coxph.control(eps = 1e-12, iter.max = 100, toler.chol = 1e-15))
  pf <- survfit(cf, newdata = valid)
  pred <- vapply(seq_len(nrow(valid)), function(k) {
    one <- if (is.null(pf$strata)) pf else pf[k]
    sm <- summary(one, times = 10, extend = TRUE)
    if (is.matrix(sm$surv)) sm$surv[1, k] else sm$surv[1]
  }, numeric(1))
  vpred_out[[length(vpred_out) + 1]] <- data.frame(model = m, row = seq_len(nrow(valid)) - 1,
                                                   lp = predict(cf, newdata = valid, type = "lp"),
                                                   surv = pred)
  grp <- cut(pred, unique(quantile(pred, seq(0, 1, 1 / 5))), include.lowest = TRUE)
  for (k in seq_along(levels(grp))) {
    sub <- valid[as.integer(grp) == k, ]
    sm <- summary(survfit(Surv(time, status) ~ 1, data = sub), times = 10, extend = TRUE)
    calib_out[[length(calib_out) + 1]] <- data.frame(
      model = m, group = k, n = nrow(sub), predicted = mean(pred[as.integer(grp) == k]),
      observed = sm$surv, observed_lower = sm$lower, observed_upper = sm$upper
    )
  }
  valid$lp <- predict(cf, newdata = valid, type = "lp")
  sf <- if (m == "strat") coxph(Surv(time, status) ~ lp + strata(centre), data = valid) else
    coxph(Surv(time, status) ~ lp, data = valid)
  slope_out[[length(slope_out) + 1]] <- data.frame(
    model = m, slope = unname(coef(sf)), se = unname(sqrt(vcov(sf)[1, 1])),
    lower = confint(sf)[1, 1], upper = confint(sf)[1, 2]
  )
}
save(do.call(rbind, vpred_out), "survival_models_valid_pred.csv")
save(do.call(rbind, calib_out), "survival_models_calib_groups.csv")
save(do.call(rbind, slope_out), "survival_models_calib_slope.csv")

# ------------------------------------------- time-dependent AUC, from the definition
# Cumulative/dynamic AUC(t) (Uno 2007, Blanche 2013 / timeROC weighting = "marginal"):
# cases T <= t with an event, weight 1 / G(T-); controls T > t, weight 1 / G(t); G = Kaplan-Meier
# of the censoring times (risk set T >= u, censorings at u as its events); ties in the marker 1/2.
cens_km <- function(tm, st) {
  ut <- sort(unique(tm))
  n_risk <- vapply(ut, function(u) sum(tm >= u), numeric(1))
  n_cens <- vapply(ut, function(u) sum(tm == u & st == 0), numeric(1))
  list(time = ut, surv = cumprod(1 - n_cens / n_risk))
}
g_at <- function(g, s) c(1, g$surv)[findInterval(s, g$time) + 1]
g_before <- function(g, s) c(1, g$surv)[findInterval(s, g$time, left.open = TRUE) + 1]
auc_cd <- function(tm, st, mk, t) {
  case <- tm <= t & st == 1
  ctrl <- tm > t
  if (!any(case) || !any(ctrl)) return(NA_real_)
  g <- cens_km(tm, st)
  wi <- 1 / g_before(g, tm[case])
  wj <- rep(1 / g_at(g, t), sum(ctrl))
  comp <- outer(mk[case], mk[ctrl], function(a, b) (a > b) + 0.5 * (a == b))
  sum(outer(wi, wj) * comp) / (sum(wi) * sum(wj))
}
auc_sets <- list(
  synthetic = list(data = syn, time = "time", scores = c("x1", "grp_code"), horizons = c(5, 10, 20))
)
auc_sets$synthetic$data$grp_code <- match(syn$grp, c("a", "b", "c"))
if (!is.null(sets$gbsg)) {
  auc_sets$gbsg <- list(data = sets$gbsg, time = "rfstime", scores = c("nodes", "pgr"),
                        horizons = c(365, 730, 1825))
}
auc_out <- list()
for (ds in names(auc_sets)) {
  a <- auc_sets[[ds]]
  idx <- as.matrix(read.csv(file.path(out_dir, paste0("survival_models_boot_idx_", ds, ".csv")),
                            header = FALSE)) + 1
  tm <- a$data[[a$time]]; st <- a$data$status
  for (sc in a$scores) {
    mk <- a$data[[sc]]
    for (t in a$horizons) {
      boot <- apply(idx, 1, function(i) auc_cd(tm[i], st[i], mk[i], t))
      b <- boot[!is.na(boot)]
      auc_out[[length(auc_out) + 1]] <- data.frame(
        dataset = ds, score = sc, time = t, auc = auc_cd(tm, st, mk, t),
        boot_se = sd(b), boot_lower = unname(quantile(b, 0.025)),
        boot_upper = unname(quantile(b, 0.975)), boot_used = length(b),
        cases = sum(tm <= t & st == 1), controls = sum(tm > t)
      )
    }
  }
}
save(do.call(rbind, auc_out), "survival_models_td_auc.csv")

# ------------------------------------------------ nomogram of a cph fit (rms)
suppressPackageStartupMessages(library(rms))
nom_sets <- list(synthetic = list(data = transform(syn, grp = factor(grp)),
                                  formula = Surv(time, status) ~ x1 + x2 + grp, at = c(5, 10)))
if (!is.null(sets$gbsg)) {
  nom_sets$gbsg <- list(data = sets$gbsg, at = c(730, 1825),
                        formula = Surv(rfstime, status) ~ age + size + grade + nodes + pgr + hormon)
}
nom_pts <- list(); nom_axes <- list(); nom_info <- list()
for (ds in names(nom_sets)) {
  a <- nom_sets[[ds]]
  ndd <- datadist(a$data); options(datadist = "ndd")
  f <- cph(a$formula, data = a$data, surv = TRUE, x = TRUE, y = TRUE, eps = 1e-12,
           tol = 1e-15, iter.max = 100)
  sv <- Survival(f)
  funs <- lapply(a$at, function(h) { force(h); function(x) sv(h, x) })
  nom <- nomogram(f, fun = funs, funlabel = paste0("S", a$at))
  info <- attr(nom, "info")
  for (v in all.vars(a$formula)[-(1:2)]) {
    nom_pts[[length(nom_pts) + 1]] <- data.frame(
      dataset = ds, variable = v, value = as.character(nom[[v]][[v]]),
      xbeta = nom[[v]]$Xbeta, points = nom[[v]]$points
    )
  }
  nom_axes[[length(nom_axes) + 1]] <- data.frame(dataset = ds, axis = "total", value = NA,
                                                 points = nom$total.points$x)
  for (k in seq_along(a$at)) {
    ax <- nom[[paste0("S", a$at[k])]]
    nom_axes[[length(nom_axes) + 1]] <- data.frame(dataset = ds, axis = paste0("S", a$at[k]),
                                                   value = ax$x.real, points = ax$x)
  }
  nom_info[[length(nom_info) + 1]] <- data.frame(dataset = ds, sc = info$sc,
                                                 intercept = info$Intercept, center = f$center)
}
save(do.call(rbind, nom_pts), "survival_models_nomogram_points.csv")
save(do.call(rbind, nom_axes), "survival_models_nomogram_axes.csv")
save(do.call(rbind, nom_info), "survival_models_nomogram_info.csv")

write_versions("survival_models", c("survival", "rms"))
