#!/bin/sh
# bench-logreg.sh: cancellation-risk model, Orderly vs scikit-learn, same data, same run
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/bench/bench-logreg.sh BUILDDIR [N]
# Needs Debian's python3-sklearn (/usr/bin/python3). Synthetic orders in
# time order with features known at order time; the last 20 % are the
# hold-out. Both sides standardise on the training part and fit
# L2-regularised logistic regression with C = 1.
set -eu

builddir=${1:?usage: $0 BUILDDIR [N]}
n=${2:-200000}
p=8
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$py" - "$tmp/orders.f64" "$n" <<'PY'
import sys
import numpy as np
rng = np.random.default_rng(2024)
n = int(sys.argv[2])
lead = rng.exponential(7.0, n)                      # days between order and due date
value = rng.lognormal(4.0, 1.0, n)                  # order value
items = rng.poisson(3.0, n) + 1.0                   # lines
past_orders = rng.poisson(4.0, n).astype(float)     # customer's earlier orders
past_cancel = rng.binomial(past_orders.astype(int), 0.08).astype(float)
weekday = rng.integers(0, 7, n).astype(float)
hour = rng.integers(7, 22, n).astype(float)
edits = rng.poisson(0.4, n).astype(float)
drift = np.linspace(0.0, 0.4, n)                    # risk drifts over time
eta = (-2.6 + 0.06 * lead + 0.25 * np.log(value) - 0.05 * items
       + 1.1 * past_cancel / (1.0 + past_orders) * 4 - 0.05 * past_orders
       + 0.15 * (weekday >= 5) + 0.02 * (hour - 14) + 0.35 * edits + drift)
y = (rng.random(n) < 1.0 / (1.0 + np.exp(-eta))).astype(float)
x = np.column_stack([lead, np.log(value), items, past_orders, past_cancel, weekday, hour, edits, y])
x.astype('<f8').tofile(sys.argv[1])
PY

n_train=$((n * 8 / 10))
ours=$("$builddir/tests/bench/bench-logreg" "$tmp/orders.f64" "$n" "$p" "$n_train" 1.0)
theirs=$("$py" - "$tmp/orders.f64" "$n" "$p" "$n_train" <<'PY'
import sys, time
import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.preprocessing import StandardScaler
n, p, n_train = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
d = np.fromfile(sys.argv[1], dtype='<f8').reshape(n, p + 1)
x, y = d[:, :p], d[:, p]
t0 = time.perf_counter()
sc = StandardScaler().fit(x[:n_train])
z = sc.transform(x)
m = LogisticRegression(C=1.0, solver='lbfgs', tol=1e-10, max_iter=10000).fit(z[:n_train], y[:n_train])
dt = time.perf_counter() - t0
pr = m.predict_proba(z[n_train:])[:, 1]
print('scikit-learn %s fit_seconds=%.4f auc=%.10f brier=%.10f intercept=%.8f coef=%s'
      % (sklearn.__version__, dt, roc_auc_score(y[n_train:], pr), brier_score_loss(y[n_train:], pr),
         m.intercept_[0], ','.join('%.8f' % c for c in m.coef_[0])))
PY
)

echo "logistic regression, $n synthetic orders, $p features, time-based hold-out of $((n - n_train))"
echo "$ours"
echo "$theirs"
"$py" - "$ours" "$theirs" <<'PY'
import sys
def field(line, key):
    return line.split(key + '=')[1].split()[0]
o, s = sys.argv[1].splitlines()[0], sys.argv[2]
ao, as_ = float(field(o, 'auc')), float(field(s, 'auc'))
co = [float(v) for v in field(o, 'coef').split(',')] + [float(field(o, 'intercept'))]
cs = [float(v) for v in field(s, 'coef').split(',')] + [float(field(s, 'intercept'))]
print('AUC ours %.6f, scikit-learn %.6f, difference %.2e, ratio %.6f' % (ao, as_, ao - as_, ao / as_))
print('largest coefficient difference %.2e' % max(abs(a - b) for a, b in zip(co, cs)))
print('fit time ratio scikit-learn/ours = %.2f'
      % (float(field(s, 'fit_seconds')) / float(field(o, 'fit_seconds'))))
PY
