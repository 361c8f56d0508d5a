/* ord-timings.h: start-up figures for the benchmarks, on request
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* With ORDERLY_TIMINGS=1 in the environment, prints to stderr, one figure
 * a line ("orderly-timing NAME VALUE"), measured from process start:
 *   window-presented-ms   the window was built and presented
 *   first-frame-ms        the first frame of @window was painted
 *   first-frame-exec-ms   the same from the kernel's start of the process
 *                         (includes loading libraries; 10 ms steps)
 *   first-frame-cpu-ms    CPU time the process had used by then (all its
 *                         threads, user and system): what other programs
 *                         on a busy machine do not change much
 *   first-rows-ms         the first frame showing orders (an OrdWindow with
 *                         orders only)
 *   list-whole-ms         the end of the frame after which the list has all
 *                         its rows (the first frame builds a screenful)
 *   rss-kb, rss-peak-kb   resident memory (VmRSS, VmHWM) 1 s after the rows
 *                         were shown; rss-anon-kb and rss-file-kb split
 *                         it into heap and mapped files (libraries)
 * With ORDERLY_TIMINGS_STEPS=1, it then sorts the Orders page by each of its
 * columns both ways and runs a few searches, as clicks and typing would,
 * one step every 300 ms, printing for each
 *   step-NAME-frame-ms    from the change to the end of the frame that
 *                         shows its first rows
 *   step-NAME-whole-ms    to the end of the frame after which the list has
 *                         all its rows again
 * then "orderly-timing done 1". ORDERLY_TIMINGS_QUIT=1 then closes the
 * application. Without ORDERLY_TIMINGS it does nothing. */
void     ord_timings_watch_window (GtkWindow *window);

/* Prints "orderly-timing mark-NAME-ms T" (T since process start). */
void     ord_timings_mark         (const char *name);

/* Whether ORDERLY_TIMINGS asks for figures. */
gboolean ord_timings_enabled      (void);

G_END_DECLS
