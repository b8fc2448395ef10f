/* The reports module's insides (src/reports): the metrics, the money of
 * people, the dashboard. It sits above the domains and below the book
 * (docs/architecture.md, "Reports"): it reads the domains' tables and
 * public calls and writes nothing to a book. */
#ifndef BO_REPORTS_H
#define BO_REPORTS_H

#include "backoffice/report.h"
#include "core/book.h"
#include "store/store.h"
#include "util/util.h"

#include <stdbool.h>

/* A store's time zone (src/util/tzone.c). */
typedef struct bo__rep_zone {
    char code[BO_CODE_MAX + 1];
    bo__tz tz;
} bo__rep_zone;
typedef struct bo__rep_zones {
    bo__rep_zone *z;
    int n;
    bo__tz dflt; /* "*", else UTC */
} bo__rep_zones;

/* Parse "S1=WIB,S2=Asia/Makassar,*=+08:00" (NULL: none); BO_EINVAL naming
 * "zones: item N". */
int bo__rep_zones_parse(const char *spec, bo__rep_zones *out);
/* The stores' zones of the book (inventory settings "zone.CODE"), then the
 * items of spec on top (the same store: spec wins). */
int bo__rep_zones_load(bo_book *b, const char *spec, bo__rep_zones *out);
void bo__rep_zones_free(bo__rep_zones *z);
const bo__tz *bo__rep_zone_of(const bo__rep_zones *z, const char *code);
/* The local day and hour (-1: unknown) of a record dated date, recorded at
 * the UTC moment at ("YYYY-MM-DDTHH:MM:SS...", or NULL), in zone (its
 * offset at that moment). */
void bo__rep_local(bo_date date, const char *at, const bo__tz *zone, bo_date *day, int *hour);
/* 0 = Monday .. 6 = Sunday, and its short name. */
int bo__rep_weekday(bo_date d);
const char *bo__rep_weekday_name(int w);

/* Check the options and permissions; parse the zones into z (freed by the
 * caller on success). */
int bo__rep_check(bo_book *b, const bo_report_options *o, bo__rep_zones *z);
/* The metric rows (bo_report_metrics' columns) into cells. */
int bo__rep_table(bo_book *b, const bo_report_options *o, const bo__rep_zones *z,
                  bo__cell **cells, size_t *nrows);
/* The metric rows of several groupings of the same period in one pass
 * over its records (o->group and o->compare are not used): cells[g] and
 * nrows[g] as bo__rep_table's for groups[g], 1 to BO__REP_GROUPS_MAX of
 * them, grouping by payment only alone. On failure nothing is left to free. */
#define BO__REP_GROUPS_MAX 4
int bo__rep_tables(bo_book *b, const bo_report_options *o, const bo__rep_zones *z,
                   const int *groups, int ng, bo__cell **cells, size_t *nrows);
int bo__rep_cursor(bo__cell *cells, size_t nrows, bo_cursor **out);
/* The day of the comparison period (o->compare) for day d; -1 when out of
 * the calendar. */
int bo__rep_shifted(const bo_report_options *o, bo_date d, bo_date *out);

/* ---- statements (statements.c) --------------------------------------------
 * A statement as a table: the renderers (HTML and CSV in statements.c, PDF
 * in statement_pdf.c, XLSX in statement_xlsx.c) draw the same rows. */
#define BO__ST_COLS 8
typedef struct bo__st_row {
    int depth; /* indentation of the first text column */
    int bold;  /* a total */
    char currency[16];
    char *text[BO__ST_COLS]; /* text cells (NULL: empty) */
    int64_t v[BO__ST_COLS];  /* money cells */
    unsigned char has[BO__ST_COLS]; /* the money cell holds a figure */
} bo__st_row;
typedef struct bo__st {
    const char *title;
    char book[256];
    char period[128];
    int ncols;
    const char *head[BO__ST_COLS];
    unsigned char money[BO__ST_COLS]; /* a money column */
    bo__st_row *rows;
    size_t n, cap;
} bo__st;
/* The PDF of st (A4 pages numbered "Page N of M") into out; BO_ENOTSUP
 * without the renderer. */
int bo__st_pdf(const bo__st *st, bo__buf *out);
/* The XLSX of st written to path (whole or not at all). */
int bo__st_xlsx(const bo__st *st, const char *path);
/* The cash-flow statement of o->from .. o->to, indirect method
 * (cashflow.c), with the classes of accounts given in classes
 * ("CODE=CLASS,...", NULL: the book's defaults). Columns as the ledger's
 * statements: Section, Code, Item, Currency, Amount. */
int bo__rep_cash_flow(bo_book *b, const bo_report_options *o, const char *classes,
                      bo__st *st);
/* Render st to path in format (#bo_report_format), whole or not at all. */
int bo__st_render(const bo__st *st, int format, const char *path);
/* BO_EINVAL for an unknown format, BO_ENOTSUP for one this build lacks. */
int bo__st_format_check(int format);
void bo__st_free(bo__st *st);
/* A new empty row at the end; a copy of text into cell col. */
int bo__st_add(bo__st *st, bo__st_row **out);
int bo__st_text(bo__st_row *r, int col, const char *text);
/* Write b to path whole or not at all (a temporary name, renamed). */
int bo__rep_write_file(const char *path, const bo__buf *b);

#endif
