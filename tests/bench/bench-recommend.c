/* bench-recommend.c: hit rate at 10 on the Online Retail data, ours vs popularity
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-recommend [online-retail.csv.gz]
 * Default file: $ORDERLY_DATA_DIR/online-retail.csv.gz, else
 * ../shared/data/online-retail.csv.gz. Invoices starting with "C"
 * (cancellations), lines without a customer, non-positive quantities and
 * stock codes that are not products (postage, fees…) are skipped. Each
 * customer's last invoice is held out (see ord_recommend_evaluate()).
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "ord-recommend.h"

typedef struct
{
  char   *invoice;
  char   *date;
  guint   customer;
  GArray *items;
} Basket;

static void
basket_free (gpointer data)
{
  Basket *b = data;

  g_free (b->invoice);
  g_free (b->date);
  g_array_unref (b->items);
  g_free (b);
}

/* Splits one CSV line (RFC 4180 quoting) into at most @max fields. */
static guint
split_csv (char  *line,
           char **fields,
           guint  max)
{
  guint n = 0;
  char *p = line;

  while (n < max)
    {
      char *out = p;

      fields[n++] = p;
      if (*p == '"')
        {
          char *q = p + 1;

          fields[n - 1] = out;
          for (;;)
            {
              if (*q == '\0')
                break;
              if (*q == '"' && q[1] == '"')
                {
                  *out++ = '"';
                  q += 2;
                }
              else if (*q == '"')
                {
                  q++;
                  break;
                }
              else
                *out++ = *q++;
            }
          p = q;
          *out = '\0';
          if (*p == ',')
            p++;
          else
            break;
        }
      else
        {
          char *c = strchr (p, ',');

          if (c == NULL)
            break;
          *c = '\0';
          p = c + 1;
        }
    }
  return n;
}

static gboolean
is_product (const char *code)
{
  static const char *const not_products[] = {
    "POST", "D", "M", "BANK CHARGES", "DOT", "C2", "CRUK", "AMAZONFEE", "PADS", "S", "B",
  };

  for (guint i = 0; i < G_N_ELEMENTS (not_products); i++)
    if (g_ascii_strcasecmp (code, not_products[i]) == 0)
      return FALSE;
  return TRUE;
}

static int
cmp_basket (gconstpointer a,
            gconstpointer b)
{
  const Basket *ba = *(Basket * const *) a, *bb = *(Basket * const *) b;
  int c = strcmp (ba->date, bb->date);

  return c != 0 ? c : strcmp (ba->invoice, bb->invoice);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) raw = NULL;
  g_autoptr(GZlibDecompressor) gunzip = NULL;
  g_autoptr(GInputStream) conv = NULL;
  g_autoptr(GDataInputStream) data = NULL;
  g_autoptr(GHashTable) invoices = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) products = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) customers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) baskets = g_ptr_array_new_with_free_func (basket_free);
  g_autofree gsize *ptr = NULL;
  g_autofree guint *cust = NULL;
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (guint));
  gsize n_lines = 0, n_used = 0;
  char *line;
  gint64 t0;
  const guint neighbours[] = { 50, 200, 0 };

  if (argc > 1)
    path = g_strdup (argv[1]);
  else if (g_getenv ("ORDERLY_DATA_DIR") != NULL)
    path = g_build_filename (g_getenv ("ORDERLY_DATA_DIR"), "online-retail.csv.gz", NULL);
  else
    path = g_strdup ("../shared/data/online-retail.csv.gz");

  t0 = g_get_monotonic_time ();
  file = g_file_new_for_path (path);
  raw = g_file_read (file, NULL, &error);
  if (raw == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  gunzip = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  conv = g_converter_input_stream_new (G_INPUT_STREAM (raw), G_CONVERTER (gunzip));
  data = g_data_input_stream_new (conv);

  while ((line = g_data_input_stream_read_line (data, NULL, NULL, &error)) != NULL)
    {
      char *f[8];
      Basket *b;
      gpointer idx;
      guint item, c;

      if (n_lines++ == 0 || split_csv (line, f, 8) < 8)
        {
          g_free (line);
          continue;
        }
      g_strchomp (f[6]);
      if (f[0][0] == 'C' || f[6][0] == '\0' || g_ascii_strtoll (f[3], NULL, 10) <= 0 ||
          !is_product (f[1]))
        {
          g_free (line);
          continue;
        }

      if (!g_hash_table_lookup_extended (products, f[1], NULL, &idx))
        {
          idx = GUINT_TO_POINTER (g_hash_table_size (products));
          g_hash_table_insert (products, g_strdup (f[1]), idx);
        }
      item = GPOINTER_TO_UINT (idx);
      if (!g_hash_table_lookup_extended (customers, f[6], NULL, &idx))
        {
          idx = GUINT_TO_POINTER (g_hash_table_size (customers));
          g_hash_table_insert (customers, g_strdup (f[6]), idx);
        }
      c = GPOINTER_TO_UINT (idx);

      b = g_hash_table_lookup (invoices, f[0]);
      if (b == NULL)
        {
          b = g_new0 (Basket, 1);
          b->invoice = g_strdup (f[0]);
          b->date = g_strdup (f[4]);
          b->customer = c;
          b->items = g_array_new (FALSE, FALSE, sizeof (guint));
          g_ptr_array_add (baskets, b);
          g_hash_table_insert (invoices, b->invoice, b);
        }
      g_array_append_val (b->items, item);
      n_used++;
      g_free (line);
    }
  if (error != NULL)
    {
      g_printerr ("%s: %s\n", path, error->message);
      return 1;
    }

  g_ptr_array_sort (baskets, cmp_basket);
  ptr = g_new (gsize, baskets->len + 1);
  cust = g_new (guint, baskets->len);
  ptr[0] = 0;
  for (guint b = 0; b < baskets->len; b++)
    {
      Basket *bk = g_ptr_array_index (baskets, b);

      g_array_append_vals (items, bk->items->data, bk->items->len);
      ptr[b + 1] = items->len;
      cust[b] = bk->customer;
    }

  printf ("Online Retail: %" G_GSIZE_FORMAT " lines read, %" G_GSIZE_FORMAT " used, "
          "%u invoices, %u products, %u customers (%.2f s to load)\n",
          n_lines, n_used, baskets->len, g_hash_table_size (products),
          g_hash_table_size (customers), (double) (g_get_monotonic_time () - t0) / 1e6);

  for (guint e = 0; e < 2; e++)
    for (guint v = 0; v < G_N_ELEMENTS (neighbours); v++)
      {
        OrdHitRate hr;
        double dt;

        t0 = g_get_monotonic_time ();
        ord_recommend_evaluate (ptr, (const guint *) (gpointer) items->data, cust,
                                baskets->len, g_hash_table_size (products), 10,
                                neighbours[v], e == 1, &hr);
        dt = (double) (g_get_monotonic_time () - t0) / 1e6;
        printf ("hit rate at 10 (%s, %u neighbours): %" G_GSIZE_FORMAT " customers, "
                "ours %.4f, popularity %.4f, ratio %.2f (goal >= 1.5) [%.2f s]\n",
                e == 1 ? "new items only" : "reorders allowed", neighbours[v],
                hr.n_customers, hr.hit_rate, hr.popular_hit_rate,
                hr.popular_hit_rate > 0 ? hr.hit_rate / hr.popular_hit_rate : 0.0, dt);
      }

  return 0;
}
