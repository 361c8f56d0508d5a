/* test-csv.c: the RFC 4180 reader and writer
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ord-csv.h"

static char *
fixture_path (const char *name)
{
  const char *srcdir = g_getenv ("ORDERLY_TEST_SRCDIR");

  if (srcdir != NULL)
    return g_build_filename (srcdir, "fixtures", "csv", name, NULL);

  return g_test_build_filename (G_TEST_DIST, "fixtures", "csv", name, NULL);
}

static OrdCsvReader *
reader_for_fixture (const char *name)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, &error);

  g_assert_no_error (error);
  return ord_csv_reader_new (G_INPUT_STREAM (stream));
}

static OrdCsvReader *
reader_for_bytes (const char *data,
                  gsize       length)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, length);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);

  return ord_csv_reader_new (stream);
}

static OrdCsvReader *
reader_for_string (const char *data)
{
  return reader_for_bytes (data, strlen (data));
}

/* Reads one record and checks its fields (NULL-terminated) and line. */
static void
assert_record (OrdCsvReader       *reader,
               guint64             line,
               const char * const *fields)
{
  g_autoptr(GError) error = NULL;
  guint n = g_strv_length ((char **) fields);

  g_assert_true (ord_csv_reader_next (reader, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ord_csv_reader_get_line (reader), ==, line);
  g_assert_cmpuint (ord_csv_reader_get_n_fields (reader), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpstr (ord_csv_reader_get_field (reader, i), ==, fields[i]);
      g_assert_cmpuint (ord_csv_reader_get_field_length (reader, i), ==, strlen (fields[i]));
    }
}

static void
assert_end (OrdCsvReader *reader)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (ord_csv_reader_next (reader, NULL, &error));
  g_assert_no_error (error);
  /* And it stays at the end. */
  g_assert_false (ord_csv_reader_next (reader, NULL, &error));
  g_assert_no_error (error);
}

#define FIELDS(...) ((const char * const[]) { __VA_ARGS__, NULL })

static void
test_csv_edge_file (void)
{
  g_autoptr(OrdCsvReader) reader = reader_for_fixture ("reader-edge.csv");
  g_autofree char *path = fixture_path ("reader-edge.csv");
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));

  /* The byte order mark is not part of the first column's name. */
  assert_record (reader, 1, FIELDS ("name", "quote", "amount"));
  g_assert_null (ord_csv_reader_get_problem (reader));
  assert_record (reader, 2, FIELDS ("plain", "has, comma", "12.50"));
  /* A CRLF inside quotes is kept; the record spans lines 3 and 4. */
  assert_record (reader, 3, FIELDS ("multi\r\nline", "say \"hi\"", ""));
  /* Line 5 is blank and skipped; LF endings after CRLF ones. */
  assert_record (reader, 6, FIELDS ("", "", ""));
  assert_record (reader, 7, FIELDS ("ünïcødé ✓", "", "-0"));
  /* Numbers stay text, however large: the caller judges them. */
  assert_record (reader, 8, FIELDS ("last", "no newline at end", "99999999999999999999999"));
  g_assert_null (ord_csv_reader_get_problem (reader));
  assert_end (reader);
  g_assert_cmpuint (ord_csv_reader_get_bytes_read (reader), ==, length);
}

static void
test_csv_unterminated_quote (void)
{
  g_autoptr(OrdCsvReader) reader = reader_for_fixture ("reader-unterminated.csv");

  assert_record (reader, 1, FIELDS ("a", "b"));
  assert_record (reader, 2, FIELDS ("1", "2"));
  g_assert_null (ord_csv_reader_get_problem (reader));
  /* The open quote runs to the end of the file: the record is reported
   * where it starts, and why. */
  assert_record (reader, 3, FIELDS ("3", "open\nnever closed\n"));
  g_assert_cmpstr (ord_csv_reader_get_problem (reader), ==,
                   "field 2: the quote opened on line 3 is never closed");
  assert_end (reader);
}

static void
test_csv_text_after_quote (void)
{
  g_autoptr(OrdCsvReader) reader =
    reader_for_string ("a,\"b\"c,d\nnext,\"7\"\" frame\"\n");

  assert_record (reader, 1, FIELDS ("a", "bc", "d"));
  g_assert_nonnull (ord_csv_reader_get_problem (reader));
  g_assert_true (g_str_has_prefix (ord_csv_reader_get_problem (reader),
                                   "field 2 has text after its closing quote"));
  /* The next record is fine again. */
  assert_record (reader, 2, FIELDS ("next", "7\" frame"));
  g_assert_null (ord_csv_reader_get_problem (reader));
  assert_end (reader);
}

static void
test_csv_bare_quote (void)
{
  /* A quote inside an unquoted field is unambiguous: taken as it is. */
  g_autoptr(OrdCsvReader) reader = reader_for_string ("RECORD FRAME 7\" SINGLE,2\n");

  assert_record (reader, 1, FIELDS ("RECORD FRAME 7\" SINGLE", "2"));
  g_assert_null (ord_csv_reader_get_problem (reader));
  assert_end (reader);
}

static void
test_csv_line_ends (void)
{
  /* LF, CRLF, a lone CR (old Mac files), blank lines of each kind, and a
   * line break inside quotes: every one counts as one physical line. */
  g_autoptr(OrdCsvReader) reader =
    reader_for_string ("a\nb\r\nc\rd\n\n\r\n\re,\"x\ny\rz\r\nw\"\nf");

  assert_record (reader, 1, FIELDS ("a"));
  assert_record (reader, 2, FIELDS ("b"));
  assert_record (reader, 3, FIELDS ("c"));
  assert_record (reader, 4, FIELDS ("d"));
  assert_record (reader, 8, FIELDS ("e", "x\ny\rz\r\nw"));
  assert_record (reader, 12, FIELDS ("f"));
  assert_end (reader);
}

static void
test_csv_empty_fields (void)
{
  g_autoptr(OrdCsvReader) reader = reader_for_string (",\n\"\"\na,\n,\"\",\n");

  assert_record (reader, 1, FIELDS ("", ""));
  assert_record (reader, 2, FIELDS (""));
  assert_record (reader, 3, FIELDS ("a", ""));
  assert_record (reader, 4, FIELDS ("", "", ""));
  assert_end (reader);
}

static void
test_csv_empty_input (void)
{
  g_autoptr(OrdCsvReader) empty = reader_for_string ("");
  g_autoptr(OrdCsvReader) bom = reader_for_string ("\xef\xbb\xbf");
  g_autoptr(OrdCsvReader) blank = reader_for_string ("\r\n\n");

  assert_end (empty);
  assert_end (bom);
  assert_end (blank);
}

static void
test_csv_bom_only_at_start (void)
{
  /* A byte order mark later in the file is text, not skipped. */
  g_autoptr(OrdCsvReader) reader = reader_for_string ("\xef\xbb\xbf" "a\n\xef\xbb\xbf" "b\n");

  assert_record (reader, 1, FIELDS ("a"));
  assert_record (reader, 2, FIELDS ("\xef\xbb\xbf" "b"));
  assert_end (reader);
}

static void
test_csv_not_utf8 (void)
{
  /* "café" in Latin-1, then a NUL byte, then a good record. */
  static const char data[] = "caf\xe9,1\nx,a\0b\nok,2\n";
  g_autoptr(OrdCsvReader) reader = reader_for_bytes (data, sizeof data - 1);
  g_autoptr(GError) error = NULL;

  g_assert_true (ord_csv_reader_next (reader, NULL, &error));
  g_assert_cmpuint (ord_csv_reader_get_line (reader), ==, 1);
  g_assert_cmpstr (ord_csv_reader_get_problem (reader), ==,
                   "field 1 is not valid UTF-8 text: save the file as CSV in UTF-8");

  g_assert_true (ord_csv_reader_next (reader, NULL, &error));
  g_assert_cmpuint (ord_csv_reader_get_line (reader), ==, 2);
  g_assert_cmpstr (ord_csv_reader_get_problem (reader), ==,
                   "field 2 contains a NUL byte: this is not a text file");

  assert_record (reader, 3, FIELDS ("ok", "2"));
  g_assert_null (ord_csv_reader_get_problem (reader));
  assert_end (reader);
}

/* Records that straddle the reader's buffer at every offset: a CRLF split
 * in two reads must still count as one line, a doubled quote split in two
 * must still be one quote. */
static void
test_csv_buffer_boundaries (void)
{
  for (gsize pad = 128 * 1024 - 8; pad <= 128 * 1024 + 8; pad++)
    {
      g_autoptr(GString) data = g_string_new (NULL);
      g_autofree char *long_field = g_strnfill (pad, 'x');
      g_autoptr(OrdCsvReader) reader = NULL;

      g_string_append (data, long_field);
      g_string_append (data, "\r\n\"a\"\"b\r\nc\"\r\nlast\r\n");
      reader = reader_for_bytes (data->str, data->len);

      assert_record (reader, 1, FIELDS (long_field));
      assert_record (reader, 2, FIELDS ("a\"b\r\nc"));
      assert_record (reader, 4, FIELDS ("last"));
      assert_end (reader);
    }

  for (gsize pad = 128 * 1024 - 8; pad <= 128 * 1024 + 8; pad++)
    {
      g_autoptr(GString) data = g_string_new ("\"");
      g_autoptr(OrdCsvReader) reader = NULL;
      g_autoptr(GString) expected = g_string_new (NULL);

      /* Doubled quotes in the middle of a long quoted field. */
      for (gsize i = 0; i < pad; i++)
        {
          g_string_append_c (data, i % 7 == 0 ? '"' : 'y');
          if (i % 7 == 0)
            g_string_append_c (data, '"');
          g_string_append_c (expected, i % 7 == 0 ? '"' : 'y');
        }
      g_string_append (data, "\",z\n");
      reader = reader_for_bytes (data->str, data->len);

      assert_record (reader, 1, FIELDS (expected->str, "z"));
      g_assert_null (ord_csv_reader_get_problem (reader));
      assert_end (reader);
    }
}

static void
test_csv_record_too_long (void)
{
  /* An opening quote that is never closed must not make the reader hold
   * the whole file: the record is cut at 16 MiB and reported. */
  gsize length = ORD_CSV_MAX_RECORD_BYTES + 1024 * 1024;
  char *data = g_malloc (length);
  g_autoptr(OrdCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;

  memset (data, 'x', length);
  data[0] = 'a';
  data[1] = ',';
  data[2] = '"';
  reader = reader_for_bytes (data, length);
  g_free (data);

  g_assert_true (ord_csv_reader_next (reader, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ord_csv_reader_get_problem (reader), ==,
                   "the record is longer than 16 MiB");
  g_assert_cmpuint (ord_csv_reader_get_n_fields (reader), ==, 2);
  g_assert_cmpstr (ord_csv_reader_get_field (reader, 0), ==, "a");
  g_assert_cmpuint (ord_csv_reader_get_field_length (reader, 1), <, ORD_CSV_MAX_RECORD_BYTES);
  assert_end (reader);
}

static void
test_csv_too_many_fields (void)
{
  g_autoptr(GString) data = g_string_new (NULL);
  g_autoptr(OrdCsvReader) reader = NULL;

  for (guint i = 0; i < 70000; i++)
    g_string_append (data, "1,");
  g_string_append (data, "\nnext\n");
  reader = reader_for_bytes (data->str, data->len);

  g_assert_true (ord_csv_reader_next (reader, NULL, NULL));
  g_assert_cmpstr (ord_csv_reader_get_problem (reader), ==,
                   "the record has more than 65536 fields");
  g_assert_cmpuint (ord_csv_reader_get_n_fields (reader), ==, 65536);
  assert_record (reader, 2, FIELDS ("next"));
  assert_end (reader);
}

static void
test_csv_append_field (void)
{
  static const struct
  {
    const char *text;
    const char *written;
  } cases[] = {
    { NULL, "" },
    { "", "" },
    { "plain", "plain" },
    { "12.50", "12.50" },
    { "a,b", "\"a,b\"" },
    { "say \"hi\"", "\"say \"\"hi\"\"\"" },
    { "two\nlines", "\"two\nlines\"" },
    { "cr\rhere", "\"cr\rhere\"" },
    { " padded", "\" padded\"" },
    { "padded\t", "\"padded\t\"" },
    { "in ner", "in ner" },
    { "ünïcødé", "ünïcødé" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      ord_csv_append_field (out, cases[i].text);
      g_assert_cmpstr (out->str, ==, cases[i].written);
    }
}

static char *
random_field (void)
{
  static const char *pieces[] = {
    "a", "Z", "0", "9", ",", "\"", "\n", "\r", "\r\n", " ", "\t", "é", "✓", "''", "=", ";",
  };
  guint n = g_test_rand_int_range (0, 12);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (out, pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces))]);

  return g_string_free (out, FALSE);
}

/* Whatever the writer writes, the reader reads back the same. */
static void
test_csv_round_trip (void)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(OrdCsvWriter) writer = ord_csv_writer_new (out);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(OrdCsvReader) reader = NULL;

  for (guint r = 0; r < 3000; r++)
    {
      guint n = g_test_rand_int_range (1, 6);
      char **fields = g_new0 (char *, n + 1);

      for (guint i = 0; i < n; i++)
        {
          fields[i] = random_field ();
          ord_csv_writer_add_field (writer, fields[i]);
        }
      g_assert_true (ord_csv_writer_end_record (writer, NULL, &error));
      g_assert_no_error (error);
      g_ptr_array_add (records, fields);
    }
  g_assert_true (ord_csv_writer_flush (writer, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, &error));

  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  in = g_memory_input_stream_new_from_bytes (bytes);
  reader = ord_csv_reader_new (in);

  for (guint r = 0; r < records->len; r++)
    {
      char **fields = g_ptr_array_index (records, r);

      g_assert_true (ord_csv_reader_next (reader, NULL, &error));
      g_assert_null (ord_csv_reader_get_problem (reader));
      g_assert_cmpuint (ord_csv_reader_get_n_fields (reader), ==, g_strv_length (fields));
      for (guint i = 0; fields[i] != NULL; i++)
        g_assert_cmpstr (ord_csv_reader_get_field (reader, i), ==, fields[i]);
    }
  assert_end (reader);
}

static void
test_csv_writer_sole_empty_field (void)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(OrdCsvWriter) writer = ord_csv_writer_new (out);

  ord_csv_writer_add_field (writer, "");
  g_assert_true (ord_csv_writer_end_record (writer, NULL, NULL));
  ord_csv_writer_add_field (writer, "x");
  ord_csv_writer_add_field (writer, NULL);
  g_assert_true (ord_csv_writer_end_record (writer, NULL, NULL));
  g_assert_true (ord_csv_writer_flush (writer, NULL, NULL));

  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), ==, 8);
  g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)), 8,
                   "\"\"\r\nx,\r\n", 8);
}

static void
test_csv_write_error (void)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "orderly-test-csv-XXXXXX", NULL);
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GFile) child = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(OrdCsvWriter) writer = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (g_mkdtemp (path));
  dir = g_file_new_for_path (path);
  child = g_file_get_child (dir, "out.csv");
  stream = g_file_replace (child, NULL, FALSE, 0, NULL, &error);
  g_assert_no_error (error);
  writer = ord_csv_writer_new (G_OUTPUT_STREAM (stream));
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, NULL));

  /* Writing to a closed stream fails with an error, not silently. */
  ord_csv_writer_add_field (writer, "x");
  g_assert_true (ord_csv_writer_end_record (writer, NULL, &error));
  g_assert_false (ord_csv_writer_flush (writer, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);

  g_assert_true (g_file_delete (child, NULL, NULL));
  g_assert_true (g_file_delete (dir, NULL, NULL));
}

static gint64
utc_usec (int    year,
          int    month,
          int    day,
          int    hour,
          int    minute,
          int    second,
          int    usec)
{
  g_autoptr(GDateTime) time = g_date_time_new_utc (year, month, day, hour, minute, second);

  return g_date_time_to_unix (time) * G_USEC_PER_SEC + usec;
}

static void
test_csv_parse_time (void)
{
  static const struct
  {
    const char       *text;
    gboolean          utc_without_zone;
    OrdCsvTimeResult  result;
    int               y, mo, d, h, mi, s, us;
  } cases[] = {
    { "2024-03-05T14:03:11Z", FALSE, ORD_CSV_TIME_OK, 2024, 3, 5, 14, 3, 11, 0 },
    { " 2024-03-05t14:03:11z ", FALSE, ORD_CSV_TIME_OK, 2024, 3, 5, 14, 3, 11, 0 },
    { "2024-03-05 15:03:11+01:00", FALSE, ORD_CSV_TIME_OK, 2024, 3, 5, 14, 3, 11, 0 },
    { "2024-03-05T15:03:11+0100", FALSE, ORD_CSV_TIME_OK, 2024, 3, 5, 14, 3, 11, 0 },
    { "2024-03-05T09:33:11-04:30", FALSE, ORD_CSV_TIME_OK, 2024, 3, 5, 14, 3, 11, 0 },
    { "2024-03-05T15:03:11+01", FALSE, ORD_CSV_TIME_OK, 2024, 3, 5, 14, 3, 11, 0 },
    { "2024-03-05T14:03Z", FALSE, ORD_CSV_TIME_OK, 2024, 3, 5, 14, 3, 0, 0 },
    { "2024-03-05T14:03:11.5Z", FALSE, ORD_CSV_TIME_OK, 2024, 3, 5, 14, 3, 11, 500000 },
    { "2024-03-05T14:03:11.123456Z", FALSE, ORD_CSV_TIME_OK, 2024, 3, 5, 14, 3, 11, 123456 },
    { "2024-03-05", FALSE, ORD_CSV_TIME_OK, 2024, 3, 5, 0, 0, 0, 0 },
    { "2024-02-29T23:59:59Z", FALSE, ORD_CSV_TIME_OK, 2024, 2, 29, 23, 59, 59, 0 },
    { "2000-02-29T00:00:00Z", FALSE, ORD_CSV_TIME_OK, 2000, 2, 29, 0, 0, 0, 0 },
    { "1969-12-31T23:59:59.999999Z", FALSE, ORD_CSV_TIME_OK, 1969, 12, 31, 23, 59, 59, 999999 },
    { "2010-12-01 08:26:00", TRUE, ORD_CSV_TIME_OK, 2010, 12, 1, 8, 26, 0, 0 },
    { "2010-12-01 08:26:00", FALSE, ORD_CSV_TIME_NO_ZONE, 0, 0, 0, 0, 0, 0, 0 },
    { "2023-02-29T00:00:00Z", FALSE, ORD_CSV_TIME_INVALID, 0, 0, 0, 0, 0, 0, 0 },
    { "1900-02-29T00:00:00Z", FALSE, ORD_CSV_TIME_INVALID, 0, 0, 0, 0, 0, 0, 0 },
    { "2024-04-31T00:00:00Z", FALSE, ORD_CSV_TIME_INVALID, 0, 0, 0, 0, 0, 0, 0 },
    { "2024-13-01T00:00:00Z", FALSE, ORD_CSV_TIME_INVALID, 0, 0, 0, 0, 0, 0, 0 },
    { "2024-03-05T24:00:00Z", FALSE, ORD_CSV_TIME_INVALID, 0, 0, 0, 0, 0, 0, 0 },
    { "2024-03-05T14:60:00Z", FALSE, ORD_CSV_TIME_INVALID, 0, 0, 0, 0, 0, 0, 0 },
    { "2024-03-05T14:03:11.1234567Z", FALSE, ORD_CSV_TIME_INVALID, 0, 0, 0, 0, 0, 0, 0 },
    { "2024-03-05T14:03:11.Z", FALSE, ORD_CSV_TIME_INVALID, 0, 0, 0, 0, 0, 0, 0 },
    { "2024-03-05T14:03:11Zjunk", FALSE, ORD_CSV_TIME_INVALID, 0, 0, 0, 0, 0, 0, 0 },
    { "2024-03-05T14:03:11 junk", FALSE, ORD_CSV_TIME_INVALID, 0, 0, 0, 0, 0, 0, 0 },
    { "2024-3-5", FALSE, ORD_CSV_TIME_INVALID, 0, 0, 0, 0, 0, 0, 0 },
    { "05/03/2024", FALSE, ORD_CSV_TIME_INVALID, 0, 0, 0, 0, 0, 0, 0 },
    { "yesterday", FALSE, ORD_CSV_TIME_INVALID, 0, 0, 0, 0, 0, 0, 0 },
    { "", FALSE, ORD_CSV_TIME_INVALID, 0, 0, 0, 0, 0, 0, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 usec = 0;

      g_test_message ("%s", cases[i].text);
      g_assert_cmpint (ord_csv_parse_time (cases[i].text, cases[i].utc_without_zone, &usec), ==,
                       cases[i].result);
      if (cases[i].result == ORD_CSV_TIME_OK)
        g_assert_cmpint (usec, ==, utc_usec (cases[i].y, cases[i].mo, cases[i].d, cases[i].h,
                                             cases[i].mi, cases[i].s, cases[i].us));
    }
}

/* Any time, written and read back, is the same microsecond; and it is
 * written as GDateTime writes it. */
static void
test_csv_format_time (void)
{
  char buf[ORD_CSV_TIME_SIZE];

  ord_csv_format_time (0, buf);
  g_assert_cmpstr (buf, ==, "1970-01-01T00:00:00Z");
  ord_csv_format_time (-1, buf);
  g_assert_cmpstr (buf, ==, "1969-12-31T23:59:59.999999Z");
  ord_csv_format_time (utc_usec (2024, 2, 29, 13, 5, 9, 250000), buf);
  g_assert_cmpstr (buf, ==, "2024-02-29T13:05:09.250000Z");

  for (guint i = 0; i < 20000; i++)
    {
      /* 1800 to 2200, whole seconds one time in two. */
      gint64 seconds = (gint64) g_test_rand_double_range (-5364662400.0, 7258118400.0);
      gint64 usec = seconds * G_USEC_PER_SEC +
                    (i % 2 ? g_test_rand_int_range (0, G_USEC_PER_SEC) : 0);
      g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (seconds);
      g_autofree char *expected = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");
      gint64 back = 0;

      ord_csv_format_time (usec, buf);
      g_assert_true (g_str_has_prefix (buf, expected));
      g_assert_cmpint (ord_csv_parse_time (buf, FALSE, &back), ==, ORD_CSV_TIME_OK);
      g_assert_cmpint (back, ==, usec);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/reader/edge-file", test_csv_edge_file);
  g_test_add_func ("/csv/reader/unterminated-quote", test_csv_unterminated_quote);
  g_test_add_func ("/csv/reader/text-after-quote", test_csv_text_after_quote);
  g_test_add_func ("/csv/reader/bare-quote", test_csv_bare_quote);
  g_test_add_func ("/csv/reader/line-ends", test_csv_line_ends);
  g_test_add_func ("/csv/reader/empty-fields", test_csv_empty_fields);
  g_test_add_func ("/csv/reader/empty-input", test_csv_empty_input);
  g_test_add_func ("/csv/reader/bom-only-at-start", test_csv_bom_only_at_start);
  g_test_add_func ("/csv/reader/not-utf8", test_csv_not_utf8);
  g_test_add_func ("/csv/reader/buffer-boundaries", test_csv_buffer_boundaries);
  g_test_add_func ("/csv/reader/record-too-long", test_csv_record_too_long);
  g_test_add_func ("/csv/reader/too-many-fields", test_csv_too_many_fields);
  g_test_add_func ("/csv/writer/append-field", test_csv_append_field);
  g_test_add_func ("/csv/writer/sole-empty-field", test_csv_writer_sole_empty_field);
  g_test_add_func ("/csv/writer/write-error", test_csv_write_error);
  g_test_add_func ("/csv/round-trip", test_csv_round_trip);
  g_test_add_func ("/csv/time/parse", test_csv_parse_time);
  g_test_add_func ("/csv/time/format", test_csv_format_time);

  return g_test_run ();
}
