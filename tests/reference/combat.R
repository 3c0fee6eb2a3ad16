# Reference values for remarkit.modeling.combat (ComBat harmonisation of features by batch).
#
# Run from this directory:  Rscript combat.R
# Needs R >= 4.2 and Bioconductor's sva (Debian: r-bioc-sva). Writes:
#   combat_data.csv             synthetic data: 60 samples in 3 batches (A, B, C), covariates age
#                               (continuous) and sex (F/M), a train/test split and 10 features
#                               with batch shifts and batch scale factors; f10 is constant within
#                               batch B (sva leaves such a feature unadjusted).
#   combat_expected_cov.csv     sva::ComBat(t(features), batch, mod = model.matrix(~ age + sex))
#                               on all 60 samples (parametric prior, mean.only = FALSE).
#   combat_expected_nocov.csv   the same without covariates (mod = NULL).
#   combat_expected_nonpar.csv  the same with covariates and the nonparametric prior
#                               (par.prior = FALSE).
#   combat_expected_train.csv   ComBat with covariates on the training samples only.
#   combat_expected_frozen.csv  the training fit applied frozen to the test samples. For a batch
#                               b and a feature, ComBat's output on training samples is affine in
#                               the feature value and the covariates (stand.mean + (x - stand.mean
#                               - gamma* sqrt(var.pooled)) / sqrt(delta*)), so lm(adjusted ~ x +
#                               age + sex) on batch b's training samples recovers that map
#                               exactly (residuals ~1e-13, recorded) and predicts the test samples.
#   combat_expected_kruskal.csv kruskal.test of every feature across the batches (all 60
#                               samples), before and after ComBat with covariates: statistic, p.
#   combat_versions.csv         R and sva versions.
# Outputs are samples x features with columns id, f1..f10 (%.17g).
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "versions.R"))
suppressPackageStartupMessages(library(sva))

set.seed(20261203)
sizes <- c(A = 22, B = 18, C = 20)
batch <- factor(rep(names(sizes), sizes), levels = names(sizes))
n <- length(batch)
age <- round(rnorm(n, 60, 10), 1)
sex <- factor(sample(c("F", "M"), n, replace = TRUE), levels = c("F", "M"))
p <- 10
scale <- 10^runif(p, -1, 2)
centre <- 10^runif(p, 0, 3)
shift <- matrix(rnorm(3 * p, 0, 0.8), 3, p)        # batch location effects (in SD units)
spread <- matrix(exp(rnorm(3 * p, 0, 0.35)), 3, p)  # batch scale effects
b <- as.integer(batch)
features <- sapply(seq_len(p), function(j) {
  centre[j] + scale[j] * (0.03 * (age - 60) + 0.5 * (sex == "M") + shift[b, j] +
                            spread[b, j] * rnorm(n))
})
features <- round(features, 4)
features[batch == "B", 10] <- 3.5
colnames(features) <- paste0("f", seq_len(p))
set_of <- rep("train", n)
for (level in names(sizes)) {
  rows <- which(batch == level)
  set_of[rows[seq(2, length(rows), by = 4)]] <- "test"
}
data <- data.frame(id = sprintf("S%02d", seq_len(n)), batch = batch, set = set_of, age = age,
                   sex = sex, features)
write.csv(data, "combat_data.csv", row.names = FALSE, quote = FALSE)

fmt <- function(ids, adjusted) {
  out <- data.frame(id = ids)
  for (j in seq_len(ncol(adjusted))) out[[colnames(adjusted)[j]]] <- sprintf("%.17g", adjusted[, j])
  out
}
run <- function(rows, with_covariates, parametric = TRUE) {
  d <- data[rows, ]
  mod <- if (with_covariates) model.matrix(~ age + sex, data = d) else NULL
  t(ComBat(t(as.matrix(d[, colnames(features)])), batch = d$batch, mod = mod,
           par.prior = parametric, mean.only = FALSE))
}
all_rows <- seq_len(n)
train <- which(data$set == "train")
test <- which(data$set == "test")
with_cov <- run(all_rows, TRUE)
write.csv(fmt(data$id, with_cov), "combat_expected_cov.csv", row.names = FALSE, quote = FALSE)
kw <- function(m, j) kruskal.test(m[, j], data$batch)
kruskal <- data.frame(feature = colnames(features))
kruskal$statistic_before <- sapply(colnames(features), function(j) sprintf("%.17g", kw(features, j)$statistic))
kruskal$p_before <- sapply(colnames(features), function(j) sprintf("%.17g", kw(features, j)$p.value))
kruskal$statistic_after <- sapply(colnames(features), function(j) sprintf("%.17g", kw(with_cov, j)$statistic))
kruskal$p_after <- sapply(colnames(features), function(j) sprintf("%.17g", kw(with_cov, j)$p.value))
write.csv(kruskal, "combat_expected_kruskal.csv", row.names = FALSE, quote = FALSE)
write.csv(fmt(data$id, run(all_rows, FALSE)), "combat_expected_nocov.csv", row.names = FALSE,
          quote = FALSE)
write.csv(fmt(data$id, run(all_rows, TRUE, FALSE)), "combat_expected_nonpar.csv",
          row.names = FALSE, quote = FALSE)
fitted <- run(train, TRUE)
write.csv(fmt(data$id[train], fitted), "combat_expected_train.csv", row.names = FALSE,
          quote = FALSE)

frozen <- matrix(NA_real_, length(test), p, dimnames = list(NULL, colnames(features)))
worst <- 0
for (level in levels(batch)) {
  tr <- train[data$batch[train] == level]
  te <- which(test %in% which(data$batch == level))
  for (j in seq_len(p)) {
    d <- data.frame(adj = fitted[match(tr, train), j], x = features[tr, j], age = age[tr],
                    sex = sex[tr])
    newd <- data.frame(x = features[test[te], j], age = age[test[te]], sex = sex[test[te]])
    if (length(unique(d$x)) == 1) {  # unadjusted feature of this batch: passed through
      frozen[te, j] <- newd$x
      next
    }
    fit <- lm(adj ~ x + age + sex, data = d)
    worst <- max(worst, max(abs(residuals(fit))))
    frozen[te, j] <- predict(fit, newd)
  }
}
write.csv(fmt(data$id[test], frozen), "combat_expected_frozen.csv", row.names = FALSE,
          quote = FALSE)
cat("frozen lm max abs residual:", sprintf("%.3g", worst), "\n")
write_versions("combat", "sva")
