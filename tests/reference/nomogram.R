# Reference values for remarkit.stats.pretty and remarkit.stats.nomogram (rms::nomogram).
# Run from this folder: Rscript nomogram.R   (needs r-cran-rms)
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "versions.R"))
suppressMessages(library(rms))
set.seed(20261126)

# 1. pretty() over assorted ranges and n
rows <- list()
ranges <- rbind(c(27.853, 74.016), c(0.0047, 0.9995), c(-3.2, 5.9), c(0, 0), c(1e-6, 3e-6),
                c(-1234.5, -12.1), c(0.1, 0.1), c(150, 3400), c(-0.02, 0.97), c(2.5, 2.5000001))
for (k in 1:40) { a <- rnorm(1, 0, 10^runif(1, -2, 3)); ranges <- rbind(ranges, sort(c(a, a + abs(rnorm(1, 0, 10^runif(1, -3, 3)))))) }
for (i in seq_len(nrow(ranges))) for (n in c(5, 10)) {
  p <- pretty(ranges[i, ], n)
  rows[[length(rows) + 1]] <- data.frame(case = i, lo = sprintf("%.17g", ranges[i, 1]), hi = sprintf("%.17g", ranges[i, 2]),
                                          n = n, k = seq_along(p), tick = sprintf("%.17g", p))
}
write.csv(do.call(rbind, rows), "nomogram_pretty.csv", row.names = FALSE)

# 2. a logistic model with a continuous, a 3-level factor and a second continuous predictor
n <- 200
d <- data.frame(x1 = round(rnorm(n, 50, 10), 1), x2 = factor(sample(c("a", "b", "c"), n, TRUE)), x3 = runif(n))
d$y <- rbinom(n, 1, plogis(-3 + 0.05 * d$x1 + (d$x2 == "b") * 0.8 - 1.2 * d$x3))
write.csv(d, "nomogram_data.csv", row.names = FALSE)
dd <- datadist(d); options(datadist = "dd")
f <- lrm(y ~ x1 + x2 + x3, data = d)
nom <- nomogram(f, fun = plogis, funlabel = "Risk")
out <- list()
for (v in c("x1", "x2", "x3")) {
  out[[v]] <- data.frame(variable = v, value = as.character(nom[[v]][[v]]),
                         xbeta = sprintf("%.17g", nom[[v]]$Xbeta), points = sprintf("%.17g", nom[[v]]$points))
}
write.csv(do.call(rbind, out), "nomogram_points.csv", row.names = FALSE)
info <- attr(nom, "info")
write.csv(data.frame(name = c("nomogram_sc", "nomogram_intercept", names(coef(f))),
                     value = sprintf("%.17g", c(info$sc, info$Intercept, coef(f)))),
          "nomogram_scale.csv", row.names = FALSE)
write.csv(data.frame(total_points = sprintf("%.17g", nom$total.points$x)), "nomogram_total_axis.csv", row.names = FALSE)
write.csv(data.frame(points = sprintf("%.17g", nom$Risk$x), risk = sprintf("%.17g", nom$Risk$x.real)),
          "nomogram_risk_axis.csv", row.names = FALSE)
write_versions("nomogram", "rms")
