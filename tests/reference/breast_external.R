# Reference values for the external validation of a Cox model developed on the Rotterdam tumour
# bank and applied frozen to the GBSG trial (Royston & Altman, BMC Med Res Methodol 2013;13:33),
# the data as exported from R's survival package (../shared/data/breast/).
# Run from this folder: Rscript breast_external.R [DATA_DIR]   (needs r-cran-survival)
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "versions.R"))
suppressMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
data_dir <- if (length(args) > 0) args[1] else "../../../shared/data/breast"
rott <- read.csv(file.path(data_dir, "rotterdam.csv"))
gbsg <- read.csv(file.path(data_dir, "gbsg.csv"))

# Endpoint: time to recurrence in Rotterdam (rtime, recur; deaths censored), recurrence-free
# survival in GBSG (rfstime, status). Derivations as the test's study.toml files declare them.
rott$rfs_event <- rott$recur
rott$rfs_time <- rott$rtime
rott$size_band <- factor(rott$size, levels = c("<=20", "20-50", ">50"))
gbsg$size_band <- cut(gbsg$size, c(-Inf, 20, 50, Inf), right = TRUE, labels = c("<=20", "20-50", ">50"))
for (nm in c("rott", "gbsg")) {
  d <- get(nm)
  d$grade_group <- factor(ifelse(d$grade == 3, "3", "1-2"), levels = c("1-2", "3"))
  d$meno <- factor(d$meno, levels = c(0, 1))
  d$hormon <- factor(d$hormon, levels = c(0, 1))
  d$log_pgr <- log1p(d$pgr)
  d$log_er <- log1p(d$er)
  assign(nm, d)
}
gbsg$rfs_time <- gbsg$rfstime
gbsg$rfs_event <- gbsg$status

fit <- coxph(Surv(rfs_time, rfs_event) ~ age + meno + size_band + grade_group + nodes + log_pgr + log_er + hormon,
             data = rott, ties = "efron")
s <- summary(fit)
f17 <- function(x) sprintf("%.17g", x)
write.csv(data.frame(term = names(coef(fit)), coef = f17(coef(fit)), se = f17(sqrt(diag(vcov(fit)))),
                     p = f17(s$coefficients[, "Pr(>|z|)"])),
          "breast_external_fit.csv", row.names = FALSE)
lp_dev <- predict(fit, type = "lp")
lp_val <- predict(fit, newdata = gbsg, type = "lp")
surv5 <- summary(survfit(fit, newdata = gbsg), times = 1826)$surv[1, ]
c_dev <- concordance(Surv(rfs_time, rfs_event) ~ lp_dev, data = rott, reverse = TRUE)
c_val <- concordance(Surv(rfs_time, rfs_event) ~ lp_val, data = gbsg, reverse = TRUE)
slope <- coxph(Surv(rfs_time, rfs_event) ~ lp_val, data = gbsg)
cuts <- quantile(lp_dev, c(1 / 3, 2 / 3), type = 7)
gbsg$risk <- cut(lp_val, c(-Inf, cuts, Inf), labels = c("low", "intermediate", "high"), right = TRUE)
lr <- survdiff(Surv(rfs_time, rfs_event) ~ risk, data = gbsg)
summary_rows <- data.frame(
  name = c("n_dev", "events_dev", "n_val", "events_val", "c_dev", "c_dev_se", "c_val", "c_val_se",
           "slope", "slope_se", "cut_low", "cut_high", "logrank_chisq"),
  value = f17(c(fit$n, fit$nevent, nrow(gbsg), sum(gbsg$rfs_event), c_dev$concordance, sqrt(c_dev$var),
                c_val$concordance, sqrt(c_val$var), coef(slope), sqrt(vcov(slope)[1, 1]), cuts, lr$chisq)))
write.csv(summary_rows, "breast_external_summary.csv", row.names = FALSE)
write.csv(data.frame(pid = gbsg$pid, lp = f17(lp_val), surv_1826 = f17(surv5), risk = gbsg$risk), "breast_external_lp.csv", row.names = FALSE)
km <- survfit(Surv(rfs_time, rfs_event) ~ risk, data = gbsg)
at <- summary(km, times = c(365.25, 3 * 365.25, 5 * 365.25), extend = TRUE)
write.csv(data.frame(group = sub("risk=", "", as.character(at$strata)), time = f17(at$time), surv = f17(at$surv),
                     lower = f17(at$lower), upper = f17(at$upper), n_risk = at$n.risk),
          "breast_external_km.csv", row.names = FALSE)
# Calibration of the frozen model on GBSG at 1826 days: 5 groups at type-7 quantiles of the
# predicted survival (right-closed), KM at 1826 (log CI) vs mean predicted survival per group.
pgrp <- cut(surv5, unique(quantile(surv5, seq(0, 1, 1 / 5))), include.lowest = TRUE)
cal <- do.call(rbind, lapply(seq_along(levels(pgrp)), function(k) {
  sub <- gbsg[as.integer(pgrp) == k, ]
  sm <- summary(survfit(Surv(rfs_time, rfs_event) ~ 1, data = sub), times = 1826, extend = TRUE)
  data.frame(group = k, n = nrow(sub), predicted = f17(mean(surv5[as.integer(pgrp) == k])),
             observed = f17(sm$surv), lower = f17(sm$lower), upper = f17(sm$upper))
}))
write.csv(cal, "breast_external_calibration.csv", row.names = FALSE)
write_versions("breast_external", "survival")
