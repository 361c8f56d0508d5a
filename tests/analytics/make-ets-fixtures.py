#!/usr/bin/python3
# make-ets-fixtures.py: regenerates tests/analytics/fixtures/ets from R and statsmodels
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Reference values for test-ets.c and bench-forecast.c, all produced by
# other tools, never by Orderly:
#   * statsmodels' copy of R forecast::ets fits on austourists and oildata
#     (statsmodels/tsa/tests/results/fit_ets_results_*.json, Debian's
#     python3-statsmodels); the two series are copied from its tests.
#   * R forecast::ets (Debian's r-cran-forecast) run here on R's datasets:
#     automatic fits, fits of given forms, forecasts and 80/95% intervals.
#
# Usage: /usr/bin/python3 tests/analytics/make-ets-fixtures.py
# Output: GKeyFile files readable with GLib alone.

import ast
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE / "fixtures" / "ets"


def fmt(values):
    return ";".join(repr(float(v)) for v in values)


def statsmodels_fixtures():
    import statsmodels
    base = pathlib.Path(statsmodels.__file__).parent / "tsa" / "tests"
    src = (base / "test_exponential_smoothing.py").read_text()

    def series(name):
        m = re.search(r"def %s\(\):.*?data = \[(.*?)\]" % name, src, re.S)
        return [float(x) for x in m.group(1).replace("\n", " ").split(",") if x.strip()]

    for name, fname, period in (("austourists", "fit_ets_results_seasonal.json", 4),
                                ("oildata", "fit_ets_results_nonseasonal.json", 1)):
        y = series(name)
        res = json.loads((base / "results" / fname).read_text())
        lines = ["# R forecast::ets fits of %s, from statsmodels' %s" % (name, fname),
                 "[series]", "name=%s" % name, "period=%d" % period, "values=%s" % fmt(y), ""]
        for damped, models in res.items():
            for code, r in models.items():
                if not r:
                    continue
                group = code + ("d" if damped == "TRUE" else "")
                lines.append("[%s]" % group)
                lines.append("model=%s" % code)
                lines.append("damped=%s" % ("true" if damped == "TRUE" else "false"))
                for key in ("alpha", "beta", "gamma", "phi", "sigma2", "loglik"):
                    if key in r:
                        v = ast.literal_eval(r[key]) if isinstance(r[key], str) else r[key]
                        lines.append("%s=%r" % (key, float(v[0])))
                for key in ("initstate", "fitted", "residuals", "forecast"):
                    if key in r:
                        v = ast.literal_eval(r[key]) if isinstance(r[key], str) else r[key]
                        lines.append("%s=%s" % (key, fmt(v)))
                lines.append("")
        (OUT / ("sm-%s.ini" % name)).write_text("\n".join(lines))


R_PROGRAM = r'''
suppressMessages(library(forecast))
out <- commandArgs(TRUE)[1]
num <- function(x) paste(format(as.numeric(x), digits = 17), collapse = ";")
put <- function(con, key, x) cat(key, "=", num(x), "\n", sep = "", file = con)

series <- list(
  AirPassengers = AirPassengers, USAccDeaths = USAccDeaths, ldeaths = ldeaths,
  mdeaths = mdeaths, fdeaths = fdeaths, nottem = nottem, UKgas = UKgas,
  UKDriverDeaths = UKDriverDeaths, co2_1959_1970 = window(co2, end = c(1970, 12)),
  austres = austres, JohnsonJohnson = JohnsonJohnson, quarterlyQ = window(UKgas, start = 1970),
  WWWusage = WWWusage, Nile = Nile, LakeHuron = LakeHuron, lynx = lynx,
  BJsales = BJsales, uspop = uspop, airmiles = airmiles, nhtemp = nhtemp,
  drivers = Seatbelts[, "drivers"], front = Seatbelts[, "front"],
  sunspot_year = window(sunspot.year, start = 1900))
forms <- c("ANN", "AAN", "AAdN", "ANA", "AAA", "AAdA", "MNN", "MAN", "MAdN",
           "MNA", "MAA", "MNM", "MAM", "MAdM")

# Fixtures for test-ets.c: a few series, fits of given forms and the automatic fit.
for (name in c("AirPassengers", "USAccDeaths", "UKgas", "WWWusage", "austres", "nottem")) {
  y <- series[[name]]
  m <- frequency(y)
  con <- file(file.path(out, paste0("r-", name, ".ini")), "w")
  cat("# R forecast ", format(packageVersion("forecast")), " on ", name, "\n", sep = "", file = con)
  cat("[series]\nname=", name, "\nperiod=", m, "\n", sep = "", file = con)
  put(con, "values", y)
  h <- if (m > 1) 2 * m else 10
  fits <- list(auto = ets(y))
  for (f in forms) {
    if (m == 1 && grepl("[AM]$", f)) next
    damped <- grepl("d", f)
    code <- sub("d", "", f)
    fit <- try(ets(y, model = code, damped = damped), silent = TRUE)
    if (!inherits(fit, "try-error")) fits[[f]] <- fit
  }
  for (f in names(fits)) {
    fit <- fits[[f]]
    fc <- forecast(fit, h = h, level = c(80, 95))
    cat("\n[", f, "]\nmethod=", fit$method, "\n", sep = "", file = con)
    for (p in c("alpha", "beta", "gamma", "phi"))
      if (!is.na(fit$par[p])) put(con, p, fit$par[p])
    put(con, "initstate", fit$states[1, ])
    put(con, "laststate", fit$states[nrow(fit$states), ])
    put(con, "fitted", fitted(fit))
    put(con, "residuals", residuals(fit))
    put(con, "sigma2", fit$sigma2)
    put(con, "loglik", fit$loglik)
    put(con, "aic", fit$aic)
    put(con, "aicc", fit$aicc)
    put(con, "bic", fit$bic)
    put(con, "mean", fc$mean)
    put(con, "lower80", fc$lower[, 1])
    put(con, "upper80", fc$upper[, 1])
    put(con, "lower95", fc$lower[, 2])
    put(con, "upper95", fc$upper[, 2])
  }
  close(con)
}

# Benchmark set: every series with its hold-out.
con <- file(file.path(out, "bench-series.ini"), "w")
cat("# R datasets for bench-forecast; the last h values are held out\n", file = con)
for (name in names(series)) {
  y <- series[[name]]
  m <- max(1L, as.integer(round(frequency(y))))  # uspop is decennial (0.1)
  h <- if (m == 12) 18 else if (m == 4) 8 else 6
  cat("\n[", name, "]\nperiod=", m, "\nhorizon=", h, "\n", sep = "", file = con)
  put(con, "values", y)
}
close(con)

# stlf fixture: a monthly series decomposed and forecast the R way.
y <- nottem
fc <- stlf(y, h = 24, level = c(80, 95))
st <- stl(y, s.window = 11)
con <- file(file.path(out, "r-stl-nottem.ini"), "w")
cat("[stl]\nperiod=12\ns_window=11\n", file = con)
put(con, "values", y)
put(con, "seasonal", st$time.series[, "seasonal"])
put(con, "trend", st$time.series[, "trend"])
st2 <- stl(y, s.window = "periodic", robust = TRUE)
cat("\n[stl_periodic_robust]\n", file = con)
put(con, "seasonal", st2$time.series[, "seasonal"])
put(con, "trend", st2$time.series[, "trend"])
cat("\n[stlf]\nmethod=", fc$method, "\n", sep = "", file = con)
put(con, "mean", fc$mean)
put(con, "lower95", fc$lower[, 2])
put(con, "upper95", fc$upper[, 2])
close(con)
'''


def r_fixtures():
    with tempfile.NamedTemporaryFile("w", suffix=".R", delete=False) as f:
        f.write(R_PROGRAM)
        path = f.name
    try:
        subprocess.run(["Rscript", "--vanilla", path, str(OUT)], check=True)
    finally:
        os.unlink(path)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    statsmodels_fixtures()
    r_fixtures()
    print("fixtures written to", OUT)


if __name__ == "__main__":
    sys.exit(main())
