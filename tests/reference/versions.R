# Shared by every reference script in this folder: records R's and each package's version beside
# the values the script writes, all in one format (tests/test_reference_versions.py checks it).
#
# A script sources it first (Rscript puts the script's path in --file=):
#   source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "versions.R"))
# and ends with
#   write_versions("NAME", c("survival", "rms"))
# which writes NAME_versions.csv in this folder: a header `item,version`, the row
# `R,<R.version.string>`, then one row per package with its packageVersion().

reference_dir <- local({
  file_arg <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  if (length(file_arg)) dirname(normalizePath(sub("^--file=", "", file_arg[1]))) else "."
})

write_versions <- function(name, packages = character()) {
  found <- vapply(packages, function(p) as.character(packageVersion(p)), character(1))
  versions <- data.frame(item = c("R", packages), version = c(R.version.string, unname(found)))
  write.csv(versions, file.path(reference_dir, paste0(name, "_versions.csv")), row.names = FALSE,
            quote = FALSE)
}
