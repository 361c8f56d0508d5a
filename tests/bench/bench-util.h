/* bench-util.h: what several benchmarks share
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Drops @path's pages (and its -wal and -shm) from the page cache: the
 * next reads are cold. Only clean pages go, which after a checkpoint is
 * all of them. */
void bench_evict (const char *path);

G_END_DECLS
