#!/bin/sh
# bench-kmeans.sh: k-means, 100,000 × 3, k = 8, 10 restarts: Orderly vs scikit-learn
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/bench/bench-kmeans.sh BUILDDIR [REPEATS]
# Needs Debian's python3-sklearn (/usr/bin/python3). Both sides run in this
# one invocation on the same data; each time is the best of REPEATS fits.
set -eu

builddir=${1:?usage: $0 BUILDDIR [REPEATS]}
repeats=${2:-5}
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Deterministic data: eight Gaussian blobs of different sizes and spreads
# plus 5 % uniform background, like standardised RFM features.
"$py" - "$tmp/x.f64" <<'PY'
import sys
import numpy as np
rng = np.random.default_rng(12345)
n, d, k = 100_000, 3, 8
centres = rng.uniform(-4, 4, size=(k, d))
weights = rng.dirichlet(np.ones(k) * 2)
lab = rng.choice(k, size=n, p=weights)
spread = rng.uniform(0.4, 1.4, size=k)
x = centres[lab] + rng.normal(size=(n, d)) * spread[lab, None]
noise = rng.random(n) < 0.05
x[noise] = rng.uniform(-6, 6, size=(noise.sum(), d))
x.astype('<f8').tofile(sys.argv[1])
PY

ours=$("$builddir/tests/bench/bench-kmeans" "$tmp/x.f64" 100000 3 8 10 "$repeats")
ours1=$("$builddir/tests/bench/bench-kmeans" "$tmp/x.f64" 100000 3 8 10 "$repeats" 1)

theirs=$("$py" - "$tmp/x.f64" "$repeats" <<'PY'
import sys, time, warnings
import numpy as np
import sklearn
from sklearn.cluster import KMeans
x = np.fromfile(sys.argv[1], dtype='<f8').reshape(-1, 3)
best, inertia, n_iter = float('inf'), None, None
for _ in range(int(sys.argv[2])):
    t0 = time.perf_counter()
    km = KMeans(n_clusters=8, n_init=10, algorithm='lloyd', random_state=0).fit(x)
    best = min(best, time.perf_counter() - t0)
    inertia, n_iter = km.inertia_, km.n_iter_
print('scikit-learn %s seconds=%.4f inertia=%.10g n_iter=%d' % (sklearn.__version__, best, inertia, n_iter))
PY
)

echo "k-means 100000x3, k=8, n_init=10, best of $repeats"
echo "$ours"
echo "$ours1"
echo "$theirs"
"$py" - "$ours" "$ours1" "$theirs" <<'PY'
import sys
def field(line, key):
    return float(line.split(key + '=')[1].split()[0])
ours, ours1, theirs = sys.argv[1:4]
t_o, t_1, t_s = field(ours, 'seconds'), field(ours1, 'seconds'), field(theirs, 'seconds')
i_o, i_s = field(ours, 'inertia'), field(theirs, 'inertia')
print('time ratio scikit-learn/ours = %.2f (1 thread: %.2f); budget: >= 1.00 -> %s'
      % (t_s / t_o, t_s / t_1, 'OK' if t_s / t_o >= 1.0 else 'OVER BUDGET'))
print('inertia ratio ours/scikit-learn = %.6f' % (i_o / i_s))
PY
