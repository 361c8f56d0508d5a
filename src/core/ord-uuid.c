/* ord-uuid.c: UUIDv7 identifiers, so that ids sort by creation
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-uuid"

#include "config.h"

#include "ord-uuid.h"

#define MAX_UNIX_MS ((G_GINT64_CONSTANT (1) << 48) - 1)
#define MAX_COUNTER 0xfff

/* The last id handed out by ord_uuid_new(), so the next one sorts after it
 * even in the same millisecond or when the clock steps back. */
G_LOCK_DEFINE_STATIC (last_lock);
static gint64 last_ms = -1;
static guint  last_counter;

/* Lays out a UUIDv7 (RFC 9562 §5.7): 48-bit big-endian unix_ms, version 7,
 * 12 bits rand_a, variant 0b10, 62 bits rand_b. */
static char *
format_v7 (gint64  unix_ms,
           guint   rand_a,
           guint32 rand_b_high,
           guint32 rand_b_low)
{
  guint8 b[16];

  for (guint i = 0; i < 6; i++)
    b[i] = (guint8) (unix_ms >> (8 * (5 - i)));
  b[6] = 0x70 | ((rand_a >> 8) & 0x0f);
  b[7] = rand_a & 0xff;
  b[8] = 0x80 | ((rand_b_high >> 24) & 0x3f);
  b[9] = (rand_b_high >> 16) & 0xff;
  b[10] = (rand_b_high >> 8) & 0xff;
  b[11] = rand_b_high & 0xff;
  b[12] = (rand_b_low >> 24) & 0xff;
  b[13] = (rand_b_low >> 16) & 0xff;
  b[14] = (rand_b_low >> 8) & 0xff;
  b[15] = rand_b_low & 0xff;

  /* By hand: ids are made for every order line, and printf was most of
   * the cost. */
  {
    static const char hex[] = "0123456789abcdef";
    char *out = g_malloc (37);
    char *p = out;

    for (guint i = 0; i < 16; i++)
      {
        if (i == 4 || i == 6 || i == 8 || i == 10)
          *p++ = '-';
        *p++ = hex[b[i] >> 4];
        *p++ = hex[b[i] & 0x0f];
      }
    *p = '\0';

    return out;
  }}

/**
 * ord_uuid_new:
 *
 * A new UUIDv7 (RFC 9562) from the current time. Within this process every
 * id sorts after the previous one, also within one millisecond: rand_a
 * holds a counter (RFC 9562 §6.2, method 1) that starts at a random value
 * in its lower half each millisecond; when it runs out, or the clock steps
 * back, the timestamp of the last id is carried on.
 *
 * Returns: (transfer full): the id in canonical lower-case form
 */
char *
ord_uuid_new (void)
{
  gint64 now_ms = g_get_real_time () / 1000;
  gint64 unix_ms;
  guint counter;

  G_LOCK (last_lock);
  if (now_ms > last_ms)
    {
      last_ms = now_ms;
      last_counter = g_random_int_range (0, (MAX_COUNTER + 1) / 2);
    }
  else if (last_counter < MAX_COUNTER)
    {
      last_counter++;
    }
  else
    {
      last_ms++;
      last_counter = g_random_int_range (0, (MAX_COUNTER + 1) / 2);
    }
  unix_ms = last_ms;
  counter = last_counter;
  G_UNLOCK (last_lock);

  return format_v7 (unix_ms & MAX_UNIX_MS, counter, g_random_int (), g_random_int ());
}

/**
 * ord_uuid_new_from:
 * @unix_ms: milliseconds since the epoch, 0 … 2^48 − 1
 * @rand: the random source
 *
 * A UUIDv7 for the given time whose random bits come from @rand, so the
 * same seed gives the same ids (demo data, tests). Ids from the same
 * millisecond are not ordered among themselves.
 *
 * Returns: (transfer full): the id in canonical lower-case form
 */
char *
ord_uuid_new_from (gint64  unix_ms,
                   GRand  *rand)
{
  guint rand_a;
  guint32 high;
  guint32 low;

  g_return_val_if_fail (unix_ms >= 0 && unix_ms <= MAX_UNIX_MS, NULL);
  g_return_val_if_fail (rand != NULL, NULL);

  rand_a = g_rand_int (rand) & MAX_COUNTER;
  high = g_rand_int (rand);
  low = g_rand_int (rand);

  return format_v7 (unix_ms, rand_a, high, low);
}

/**
 * ord_uuid_is_valid:
 * @text: (nullable): a text
 *
 * Whether @text is a UUID in canonical form: 36 characters, 32 hex digits
 * (either case) in groups of 8-4-4-4-12 separated by hyphens. Any version
 * is accepted, so ids from other systems can be kept.
 *
 * Returns: %TRUE if @text is a UUID
 */
gboolean
ord_uuid_is_valid (const char *text)
{
  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (text[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (text[i]))
        {
          return FALSE;
        }
    }

  return text[36] == '\0';
}
