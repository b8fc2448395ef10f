/**
 * @file backoffice/date.h
 * @brief Calendar dates (proleptic Gregorian, years 1..9999) as day numbers.
 */
#ifndef BACKOFFICE_DATE_H
#define BACKOFFICE_DATE_H

#include "common.h"

BO_BEGIN_DECLS

/** A calendar date: days since 1970-01-01 (negative before it). */
typedef int32_t bo_date;

/** 0001-01-01, the first date the library accepts. */
#define BO_DATE_MIN ((bo_date)-719162)
/** 9999-12-31, the last date the library accepts. */
#define BO_DATE_MAX ((bo_date)2932896)

/**
 * Build a date from year, month (1..12) and day (1..31).
 * @return 0 or BO_EINVAL for a date that does not exist (2026-02-29).
 */
BO_EXTERN(int) bo_date_from_ymd(int year, int month, int day, bo_date *out);

/**
 * Split @p date into year, month and day.
 * @return 0 or BO_EINVAL when @p date is outside BO_DATE_MIN..BO_DATE_MAX.
 */
BO_EXTERN(int) bo_date_to_ymd(bo_date date, int *year, int *month, int *day);

/**
 * Parse exactly "YYYY-MM-DD".
 * @return 0 or BO_EINVAL with a message quoting the text.
 */
BO_EXTERN(int) bo_date_parse(const char *text, bo_date *out);

/**
 * Write @p date as "YYYY-MM-DD" into @p buf of @p size bytes (11 needed).
 * @return 0, BO_EINVAL for an out-of-range date, BO_ETOOLONG if @p size < 11.
 */
BO_EXTERN(int) bo_date_format(bo_date date, char *buf, size_t size);

/**
 * Add @p months (may be negative) to @p date, clamping the day to the end of
 * the target month (Jan 31 + 1 month = Feb 28/29).
 * @return 0 or BO_EINVAL when the result is out of range.
 */
BO_EXTERN(int) bo_date_add_months(bo_date date, int months, bo_date *out);

/** Today's date in UTC. */
BO_EXTERN(bo_date) bo_date_today(void);

BO_END_DECLS

#endif
