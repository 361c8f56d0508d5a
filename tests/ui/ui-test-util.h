/* ui-test-util.h: databases with known orders and main-loop waits for the UI tests
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ord-core.h"

G_BEGIN_DECLS

/* The one customer whose orders a search must find, and only them. */
#define UI_TEST_RARE_CUSTOMER "Zebedee Quillfeather"
/* Every how many orders one goes to the rare customer. */
#define UI_TEST_RARE_EVERY    73

typedef struct
{
  char     *dir;
  char     *path;
  OrdStore *store;

  /* what ui_test_db_fill() made, counted as it made it */
  guint     n_orders;
  guint     n_rare;
  guint     per_status[ORD_N_STATUSES];
} UiTestDb;

void     ui_test_db_init   (UiTestDb *db);
/* Adds @n_orders orders through the store API: random customers, times
 * (with ties), statuses and lines, from a fixed seed. */
void     ui_test_db_fill   (UiTestDb *db,
                            guint     n_orders);
void     ui_test_db_clear  (UiTestDb *db);

/* Runs the main context until *@flag is TRUE; fails the test after
 * @timeout_ms. */
void     ui_test_wait_for  (const gboolean *flag,
                            guint           timeout_ms);

/* Runs the main context until @widget's window has painted a frame. */
void     ui_test_wait_frame (GtkWidget *widget);

G_END_DECLS
