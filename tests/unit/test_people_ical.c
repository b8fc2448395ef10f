/* People with storage: iCalendar. A holiday decree imported from .ics
 * (multi-day events, estimated, half and collective days), exported and
 * read back with libical, imported again identically; an employee's
 * roster exported as .ics and read back with libical (the night shift
 * ending the next morning); hostile files refused with nothing changed;
 * the permissions of the three calls. Runs on every backend. */
#include "test_people_fixture.h"

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fwrite(text, 1, strlen(text), f), strlen(text));
    ck_assert_int_eq(fclose(f), 0);
}

/* The days of calendar cal in 2026 as "date|name|flags;" text. */
static void days_of(bo_book *b, const char *cal, char *out, size_t size)
{
    bo_cursor *c;
    size_t len = 0;
    out[0] = '\0';
    bo_assert_ok(bo_people_holidays(b, cal, D("2026-01-01"), D("2026-12-31"), &c));
    while (bo_cursor_next(c) == 0)
        len += (size_t)snprintf(out + len, size - len, "%s|%s|%lld;", bo_cursor_text(c, 0),
                                bo_cursor_text(c, 1), (long long)bo_cursor_int(c, 2));
    bo_cursor_free(c);
}

static icalcomponent *read_ics(const char *path)
{
    size_t len;
    char *text = bo_test_slurp(path, &len);
    icalcomponent *cal = icalparser_parse_string(text);
    free(text);
    ck_assert_ptr_nonnull(cal);
    ck_assert_int_eq(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
    return cal;
}

static const char DECREE[] =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Decree//ID//EN\r\n"
    "BEGIN:VEVENT\r\nUID:a@x\r\nDTSTAMP:20250901T000000Z\r\n"
    "DTSTART;VALUE=DATE:20260319\r\nDTEND;VALUE=DATE:20260320\r\nSUMMARY:Nyepi\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:b@x\r\nDTSTAMP:20250901T000000Z\r\n"
    "DTSTART;VALUE=DATE:20260320\r\nDTEND;VALUE=DATE:20260322\r\n"
    "SUMMARY:Idul Fitri 1447 H\r\nSTATUS:TENTATIVE\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:c@x\r\nDTSTAMP:20250901T000000Z\r\n"
    "DTSTART;VALUE=DATE:20261224\r\nSUMMARY:Cuti bersama Natal\r\n"
    "CATEGORIES:COLLECTIVE-LEAVE,HALF-DAY\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n";

START_TEST(test_holidays_ics_round_trip)
{
    bo_book *b = bo_test_book("ics_hol");
    char *in = bo_test_file("ics_decree.ics"), *out = bo_test_file("ics_out.ics");
    write_file(in, DECREE);
    int64_t n = 0;
    bo_assert_ok(bo_people_holidays_import_ics(b, "ID", in, &n));
    ck_assert_int_eq(n, 4);
    char got[1024], again[1024];
    days_of(b, "ID", got, sizeof got);
    ck_assert_str_eq(got, "2026-03-19|Nyepi|0;2026-03-20|Idul Fitri 1447 H|2;"
                          "2026-03-21|Idul Fitri 1447 H|2;2026-12-24|Cuti bersama Natal|5;");
    /* the same decree again: refused whole, nothing changed */
    bo_assert_err(bo_people_holidays_import_ics(b, "ID", in, NULL), BO_EEXISTS);
    ck_assert_msg(strstr(bo_error_message(), "2026-03-19"), "%s", bo_error_message());
    days_of(b, "ID", again, sizeof again);
    ck_assert_str_eq(again, got);

    /* exported and read back with libical */
    bo_assert_ok(bo_people_holidays_export_ics(b, "ID", D("2026-01-01"), D("2026-12-31"), out));
    icalcomponent *cal = read_ics(out);
    ck_assert_int_eq(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 4);
    icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
    struct icaltimetype s = icalcomponent_get_dtstart(ev), e = icalcomponent_get_dtend(ev);
    ck_assert_int_eq(s.is_date, 1);
    ck_assert_int_eq(s.year * 10000 + s.month * 100 + s.day, 20260319);
    ck_assert_int_eq(e.year * 10000 + e.month * 100 + e.day, 20260320);
    ck_assert_str_eq(icalcomponent_get_summary(ev), "Nyepi");
    ck_assert_int_eq(icalcomponent_get_status(ev), ICAL_STATUS_CONFIRMED);
    ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT);
    ck_assert_int_eq(icalcomponent_get_status(ev), ICAL_STATUS_TENTATIVE);
    ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT);
    ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT);
    ck_assert_str_eq(icalcomponent_get_summary(ev), "Cuti bersama Natal");
    int cats = 0;
    for (icalproperty *p = icalcomponent_get_first_property(ev, ICAL_CATEGORIES_PROPERTY); p;
         p = icalcomponent_get_next_property(ev, ICAL_CATEGORIES_PROPERTY))
        cats++;
    ck_assert_int_eq(cats, 2);
    icalcomponent_free(cal);
    /* and imported again into another calendar: the same days */
    bo_assert_ok(bo_people_holidays_import_ics(b, "COPY", out, &n));
    ck_assert_int_eq(n, 4);
    days_of(b, "COPY", again, sizeof again);
    ck_assert_str_eq(again, got);
    /* the imported days are holidays for the rules too */
    bo_assert_ok(bo_payroll_employee_add(b, "E1", "Ayu", D("2020-01-01")));
    bo_people_shift_options o = BO_PEOPLE_SHIFT_OPTIONS_INIT;
    o.start = "09:00";
    o.end = "17:00";
    bo_assert_ok(bo_people_shift_type_add(b, "DAY", &o));
    int rule = 0;
    bo_assert_ok(bo_people_shift_check(b, "E1", D("2026-03-19"), "DAY", "ID", &rule));
    ck_assert_int_eq(rule, BO_PEOPLE_RULE_HOLIDAY);
    verify_clean(b);
    bo_test_book_free(b);
    free(in);
    free(out);
}
END_TEST

START_TEST(test_roster_ics_read_back)
{
    bo_book *b = bo_test_book("ics_roster");
    bo_assert_ok(bo_payroll_employee_add(b, "E1", "Ayu", D("2020-01-01")));
    bo_assert_ok(bo_payroll_employee_add(b, "E2", "Budi", D("2020-01-01")));
    bo_people_shift_options o = BO_PEOPLE_SHIFT_OPTIONS_INIT;
    o.start = "18:00";
    o.end = "07:00";
    bo_assert_ok(bo_people_shift_type_add(b, "NIGHT", &o));
    o.start = "09:00";
    o.end = "17:00";
    bo_assert_ok(bo_people_shift_type_add(b, "DAY", &o));
    o.start = o.end = "00:00";
    bo_assert_ok(bo_people_shift_type_add(b, "OFF", &o));
    int64_t night = 0;
    bo_assert_ok(bo_people_shift_assign(b, "E1", D("2026-03-02"), "NIGHT", "S1", "cashier",
                                        &night));
    bo_assert_ok(bo_people_roster_publish(b, "S1", D("2026-03-02"), D("2026-03-02"), NULL));
    bo_assert_ok(bo_people_shift_assign(b, "E1", D("2026-03-03"), "OFF", "S1", "cashier", NULL));
    bo_assert_ok(bo_people_shift_assign(b, "E1", D("2026-03-04"), "DAY", "S2", "stocker", NULL));
    bo_assert_ok(bo_people_shift_assign(b, "E2", D("2026-03-04"), "DAY", "S1", "cashier", NULL));
    char *out = bo_test_file("ics_roster.ics");
    bo_assert_ok(bo_people_roster_export_ics(b, "E1", D("2026-03-01"), D("2026-03-31"), out));
    icalcomponent *cal = read_ics(out);
    ck_assert_int_eq(icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), 2);
    icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
    struct icaltimetype s = icalcomponent_get_dtstart(ev), e = icalcomponent_get_dtend(ev);
    ck_assert_int_eq(s.is_date, 0);
    ck_assert_int_eq(s.year * 10000 + s.month * 100 + s.day, 20260302);
    ck_assert_int_eq(s.hour * 60 + s.minute, 18 * 60);
    ck_assert_int_eq(e.year * 10000 + e.month * 100 + e.day, 20260303);
    ck_assert_int_eq(e.hour * 60 + e.minute, 7 * 60);
    ck_assert_ptr_null(s.zone); /* floating: the book's local time */
    ck_assert_str_eq(icalcomponent_get_summary(ev), "NIGHT at S1 (cashier)");
    ck_assert_str_eq(icalcomponent_get_location(ev), "S1");
    ck_assert_int_eq(icalcomponent_get_status(ev), ICAL_STATUS_CONFIRMED);
    char uid[64];
    snprintf(uid, sizeof uid, "shift-%lld@libbackoffice", (long long)night);
    ck_assert_str_eq(icalcomponent_get_uid(ev), uid);
    ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT);
    ck_assert_str_eq(icalcomponent_get_summary(ev), "DAY at S2 (stocker)");
    ck_assert_int_eq(icalcomponent_get_status(ev), ICAL_STATUS_TENTATIVE);
    icalcomponent_free(cal);
    bo_assert_err(bo_people_roster_export_ics(b, "NOPE", D("2026-03-01"), D("2026-03-31"), out),
                  BO_ENOTFOUND);
    bo_test_book_free(b);
    free(out);
}
END_TEST

START_TEST(test_hostile_ics_changes_nothing)
{
    bo_book *b = bo_test_book("ics_bad");
    char *in = bo_test_file("ics_bad.ics");
    write_file(in, "not a calendar at all\n");
    bo_assert_err(bo_people_holidays_import_ics(b, "ID", in, NULL), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "path"), "%s", bo_error_message());
    write_file(in, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\n"
                   "DTSTART;VALUE=DATE:20260101\r\nDTEND;VALUE=DATE:20260301\r\n"
                   "SUMMARY:Too long\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    bo_assert_err(bo_people_holidays_import_ics(b, "ID", in, NULL), BO_ELIMIT);
    write_file(in, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\n"
                   "SUMMARY:No date\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    bo_assert_err(bo_people_holidays_import_ics(b, "ID", in, NULL), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "DTSTART"), "%s", bo_error_message());
    /* over the size limit */
    FILE *f = fopen(in, "wb");
    ck_assert_ptr_nonnull(f);
    fputs("BEGIN:VCALENDAR\r\n", f);
    for (int i = 0; i < BO_PEOPLE_ICS_MAX / 32; i++)
        fputs("X-FILLER:0123456789012345678901234567890123456789012345678901\r\n", f);
    fputs("END:VCALENDAR\r\n", f);
    fclose(f);
    bo_assert_err(bo_people_holidays_import_ics(b, "ID", in, NULL), BO_ELIMIT);
    /* more events than allowed */
    f = fopen(in, "wb");
    ck_assert_ptr_nonnull(f);
    fputs("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", f);
    for (int i = 0; i <= BO_PEOPLE_ICS_EVENTS_MAX; i++)
        fprintf(f, "BEGIN:VEVENT\r\nUID:%d\r\nDTSTART;VALUE=DATE:%04d%02d%02d\r\n"
                   "SUMMARY:x\r\nEND:VEVENT\r\n", i, 2026 + i / 336, 1 + (i / 28) % 12,
                1 + i % 28);
    fputs("END:VCALENDAR\r\n", f);
    fclose(f);
    bo_assert_err(bo_people_holidays_import_ics(b, "ID", in, NULL), BO_ELIMIT);
    /* 100,000 levels of nesting: refused before libical builds them */
    f = fopen(in, "wb");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 100000; i++)
        fputs(i ? "BEGIN:X\n" : "BEGIN:VCALENDAR\n", f);
    fclose(f);
    bo_assert_err(bo_people_holidays_import_ics(b, "ID", in, NULL), BO_ELIMIT);
    ck_assert_msg(strstr(bo_error_message(), "nested"), "%s", bo_error_message());
    bo_assert_err(bo_people_holidays_import_ics(b, "ID", "/nonexistent/x.ics", NULL), BO_EIO);
    bo_assert_err(bo_people_holidays_import_ics(b, "has space", in, NULL), BO_EINVAL);
    bo_cursor *c;
    bo_assert_ok(bo_people_holidays(b, "ID", D("2026-01-01"), D("2026-12-31"), &c));
    ck_assert_int_eq(count_rows(c), 0);

    /* permissions: importing needs people.admin, exporting people.read */
    write_file(in, DECREE);
    char *out = bo_test_file("ics_bad_out.ics");
    bo_assert_ok(bo_payroll_employee_add(b, "E1", "Ayu", D("2020-01-01")));
    bo_assert_ok(bo_role_define(b, "reader", "people.read"));
    bo_assert_ok(bo_role_define(b, "cashier", "ledger.read payroll.read"));
    bo_assert_ok(bo_role_grant(b, "rita", "reader"));
    bo_assert_ok(bo_role_grant(b, "cash", "cashier"));
    bo_assert_ok(bo_book_set_actor(b, "rita"));
    bo_assert_err(bo_people_holidays_import_ics(b, "ID", in, NULL), BO_EDENIED);
    bo_assert_ok(bo_people_holidays_export_ics(b, "ID", D("2026-01-01"), D("2026-12-31"), out));
    bo_assert_ok(bo_people_roster_export_ics(b, "E1", D("2026-01-01"), D("2026-12-31"), out));
    bo_assert_ok(bo_book_set_actor(b, "cash"));
    bo_assert_err(bo_people_holidays_export_ics(b, "ID", D("2026-01-01"), D("2026-12-31"), out),
                  BO_EDENIED);
    bo_assert_err(bo_people_roster_export_ics(b, "E1", D("2026-01-01"), D("2026-12-31"), out),
                  BO_EDENIED);
    bo_assert_ok(bo_book_set_actor(b, "owner"));
    verify_clean(b);
    bo_test_book_free(b);
    free(in);
    free(out);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("people_ical");
    TCase *tc = tcase_create("ical");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_holidays_ics_round_trip);
    tcase_add_test(tc, test_roster_ics_read_back);
    tcase_add_test(tc, test_hostile_ics_changes_nothing);
    suite_add_tcase(s, tc);
    return bo_test_run(s);
}
