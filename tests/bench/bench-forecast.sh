#!/bin/sh
# bench-forecast.sh: runs R's forecast::ets and ours on the same held-out series
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/bench/bench-forecast.sh BUILDDIR [REPEATS]
# Needs Rscript with the forecast package (Debian: r-cran-forecast).
# R is timed inside R (system.time over REPEATS fits + forecasts per series),
# ours inside bench-forecast the same way; both are printed in one table.
set -eu

builddir=${1:?usage: bench-forecast.sh BUILDDIR [REPEATS]}
repeats=${2:-3}
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
series="$srcdir/tests/analytics/fixtures/ets/bench-series.ini"
results=$(mktemp --suffix=.ini)
rscript=$(mktemp --suffix=.R)
trap 'rm -f "$results" "$rscript"' EXIT

cat > "$rscript" <<'RCODE'
suppressMessages(library(forecast))
args <- commandArgs(TRUE)
lines <- readLines(args[1])
out <- args[2]
repeats <- as.integer(args[3])
num <- function(x) paste(format(as.numeric(x), digits = 17), collapse = ";")
con <- file(out, "w")
group <- NULL
info <- list()
flush_group <- function() {
  if (is.null(group)) return()
  y <- as.numeric(strsplit(info$values, ";")[[1]])
  m <- as.integer(info$period); h <- as.integer(info$horizon)
  train <- ts(head(y, length(y) - h), frequency = m)
  t <- system.time(for (i in seq_len(repeats)) {
    fit <- ets(train)
    fc <- forecast(fit, h = h, level = c(80, 95))
  })[["elapsed"]] / repeats
  cat("[", group, "]\nmethod=", fit$method, "\nseconds=", t, "\n", sep = "", file = con)
  cat("mean=", num(fc$mean), "\nlower80=", num(fc$lower[, 1]), "\nupper80=", num(fc$upper[, 1]),
      "\nlower95=", num(fc$lower[, 2]), "\nupper95=", num(fc$upper[, 2]), "\n\n", sep = "", file = con)
}
for (l in lines) {
  if (grepl("^\\[", l)) { flush_group(); group <- sub("^\\[(.*)\\]$", "\\1", l); info <- list() }
  else if (grepl("=", l) && !grepl("^#", l)) {
    k <- sub("=.*", "", l); info[[k]] <- sub("^[^=]*=", "", l)
  }
}
flush_group()
close(con)
RCODE

echo "Running R forecast::ets ($repeats repeats per series)..." >&2
Rscript --vanilla "$rscript" "$series" "$results" "$repeats"
"$builddir/tests/bench/bench-forecast" "$series" "$results" "$repeats"
