/* People with storage: the roster's gaps. Unavailability checked on every
 * assignment with its own error, the minimum headcount per role and hour
 * with the understaffing report, open shifts claimed by an eligible
 * employee, swaps (the colleague accepts, a manager approves, the rules
 * checked for the colleague), and the access matrix of these calls. Runs
 * on every backend. */
#include "test_people_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Employees E1..E3; DAY 09:00-17:00, EARLY 06:00-14:00, NIGHT 18:00-07:00. */
static bo_book *roster_book(const char *stem)
{
    bo_book *b = staff_book(stem);
    shift_type_add(b, "DAY", "09:00", "17:00", 0, 0);
    shift_type_add(b, "EARLY", "06:00", "14:00", 0, 0);
    shift_type_add(b, "NIGHT", "18:00", "07:00", 0, 0);
    return b;
}

/* The employee of shift id. */
static void shift_employee(bo_book *b, int64_t id, char out[16])
{
    bo_cursor *c;
    out[0] = '\0';
    bo_assert_ok(bo_people_shifts(b, NULL, D("2026-01-01"), D("2026-12-31"), &c));
    while (bo_cursor_next(c) == 0)
        if (bo_cursor_int(c, 0) == id)
            snprintf(out, 16, "%s", bo_cursor_text(c, 2));
    bo_cursor_free(c);
}

START_TEST(test_unavailability_is_a_rule)
{
    bo_book *b = roster_book("ros_unav");
    int64_t u = 0;
    bo_assert_ok(bo_people_unavailable_add(b, "E1", "2026-03-03T08:00", "2026-03-03T12:00", &u));
    ck_assert_int_gt(u, 0);
    bo_assert_err(bo_people_shift_assign(b, "E1", D("2026-03-03"), "DAY", "S1", "cashier", NULL),
                  BO_ESTATE);
    ck_assert_msg(strncmp(bo_error_message(), "unavailable:", 12) == 0, "%s",
                  bo_error_message());
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "2026-03-03T08:00"));
    int rule = -1;
    bo_assert_ok(bo_people_shift_check(b, "E1", D("2026-03-03"), "DAY", "S1", &rule));
    ck_assert_int_eq(rule, BO_PEOPLE_RULE_UNAVAILABLE);
    /* the night before ends at 07:00: still available */
    bo_assert_ok(bo_people_shift_check(b, "E1", D("2026-03-02"), "NIGHT", "S1", &rule));
    ck_assert_int_eq(rule, BO_PEOPLE_RULE_NONE);
    /* a pattern over that day is refused whole, naming the date */
    bo_assert_err(bo_people_shift_repeat(b, "E1", "DAY", "S1", "cashier", D("2026-03-02"),
                                         D("2026-03-06"), 0x1f, 1, NULL), BO_ESTATE);
    ck_assert_msg(strstr(bo_error_message(), "2026-03-03") &&
                  strstr(bo_error_message(), "unavailable:"), "%s", bo_error_message());
    ck_assert_int_eq(shifts_count(b), 0);
    bo_assert_ok(bo_people_shift_assign(b, "E1", D("2026-03-04"), "DAY", "S1", "cashier", NULL));
    bo_cursor *c;
    bo_assert_ok(bo_people_unavailability(b, "E1", D("2026-03-01"), D("2026-03-31"), &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 1), "E1");
    ck_assert_str_eq(bo_cursor_text(c, 2), "2026-03-03T08:00");
    ck_assert_str_eq(bo_cursor_text(c, 3), "2026-03-03T12:00");
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    /* bad input changes nothing */
    bo_assert_err(bo_people_unavailable_add(b, "E1", "2026-03-05T12:00", "2026-03-05T08:00",
                                            NULL), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "until"), "%s", bo_error_message());
    bo_assert_err(bo_people_unavailable_add(b, "E1", "2026-03-05", "2026-03-06T08:00", NULL),
                  BO_EINVAL);
    bo_assert_err(bo_people_unavailable_add(b, "NOPE", "2026-03-05T08:00", "2026-03-06T08:00",
                                            NULL), BO_ENOTFOUND);
    bo_assert_ok(bo_people_unavailability(b, NULL, D("2026-01-01"), D("2026-12-31"), &c));
    ck_assert_int_eq(count_rows(c), 1);
    verify_clean(b);
    bo_test_book_free(b);
}
END_TEST

START_TEST(test_understaffing_report)
{
    bo_book *b = roster_book("ros_under");
    /* two cashiers Monday to Friday 08:00-18:00, one stocker at weekends */
    bo_assert_ok(bo_people_headcount_set(b, "S1", "cashier", 0x1f, "08:00", "18:00", 2));
    bo_assert_ok(bo_people_headcount_set(b, "S1", "stocker", 0x60, "06:00", "08:00", 1));
    bo_assert_ok(bo_people_shift_assign(b, "E1", D("2026-03-02"), "DAY", "S1", "cashier", NULL));
    bo_assert_ok(bo_people_shift_assign(b, "E2", D("2026-03-02"), "EARLY", "S1", "cashier",
                                        NULL));
    /* another store's and another role's shifts do not count */
    bo_assert_ok(bo_people_shift_assign(b, "E3", D("2026-03-02"), "DAY", "S2", "cashier", NULL));
    bo_cursor *c;
    bo_assert_ok(bo_people_understaffed(b, "S1", D("2026-03-02"), D("2026-03-02"), &c));
    const char *hours[] = { "08:00", "14:00", "15:00", "16:00", "17:00" };
    const int have[] = { 1, 1, 1, 1, 0 };
    for (int i = 0; i < 5; i++) {
        bo_assert_ok(bo_cursor_next(c));
        ck_assert_str_eq(bo_cursor_text(c, 0), "2026-03-02");
        ck_assert_str_eq(bo_cursor_text(c, 1), hours[i]);
        ck_assert_str_eq(bo_cursor_text(c, 2), "cashier");
        ck_assert_int_eq(bo_cursor_int(c, 3), 2);
        ck_assert_int_eq(bo_cursor_int(c, 4), have[i]);
        ck_assert_int_eq(bo_cursor_int(c, 5), 2 - have[i]);
    }
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    /* an empty Tuesday: ten hours short; Saturday and Sunday: the stocker */
    bo_assert_ok(bo_people_understaffed(b, "S1", D("2026-03-03"), D("2026-03-03"), &c));
    ck_assert_int_eq(count_rows(c), 10);
    bo_assert_ok(bo_people_understaffed(b, "S1", D("2026-03-07"), D("2026-03-08"), &c));
    ck_assert_int_eq(count_rows(c), 4);
    /* a night shift on Friday covers Saturday's early hours */
    bo_assert_ok(bo_people_shift_assign(b, "E3", D("2026-03-06"), "NIGHT", "S1", "stocker",
                                        NULL));
    bo_assert_ok(bo_people_understaffed(b, "S1", D("2026-03-07"), D("2026-03-07"), &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 1), "07:00");
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    /* 0 removes a minimum; bad input changes nothing */
    bo_assert_ok(bo_people_headcount_set(b, "S1", "stocker", 0x60, "06:00", "08:00", 0));
    bo_assert_ok(bo_people_understaffed(b, "S1", D("2026-03-07"), D("2026-03-08"), &c));
    ck_assert_int_eq(count_rows(c), 0);
    bo_assert_err(bo_people_headcount_set(b, "S1", "cashier", 0x1f, "08:30", "18:00", 2),
                  BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "from"), "%s", bo_error_message());
    bo_assert_err(bo_people_headcount_set(b, "S1", "cashier", 0, "08:00", "18:00", 2), BO_EINVAL);
    bo_assert_err(bo_people_headcount_set(b, "S1", "cashier", 1, "18:00", "08:00", 2), BO_EINVAL);
    bo_assert_err(bo_people_headcount_set(b, "S1", "cashier", 1, "08:00", "18:00", -1),
                  BO_EINVAL);
    bo_assert_ok(bo_people_understaffed(b, "S1", D("2026-03-03"), D("2026-03-03"), &c));
    ck_assert_int_eq(count_rows(c), 10);
    verify_clean(b);
    bo_test_book_free(b);
}
END_TEST

START_TEST(test_open_shift_claimed_by_eligible)
{
    bo_book *b = roster_book("ros_open");
    int64_t open = 0, sid = 0;
    bo_assert_ok(bo_people_open_shift_add(b, D("2026-03-05"), "DAY", "S1", "cashier", &open));
    bo_assert_ok(bo_people_unavailable_add(b, "E1", "2026-03-05T00:00", "2026-03-06T00:00", NULL));
    /* not eligible: the rule, and the shift stays open */
    bo_assert_err(bo_people_open_shift_claim(b, open, "E1", &sid), BO_ESTATE);
    ck_assert_msg(strncmp(bo_error_message(), "unavailable:", 12) == 0, "%s",
                  bo_error_message());
    ck_assert_int_eq(shifts_count(b), 0);
    bo_assert_ok(bo_people_open_shift_claim(b, open, "E2", &sid));
    ck_assert_int_gt(sid, 0);
    char who[16];
    shift_employee(b, sid, who);
    ck_assert_str_eq(who, "E2");
    bo_assert_err(bo_people_open_shift_claim(b, open, "E3", NULL), BO_ESTATE);
    ck_assert_msg(strstr(bo_error_message(), "claimed"), "%s", bo_error_message());
    bo_assert_err(bo_people_open_shift_claim(b, 99999, "E3", NULL), BO_ENOTFOUND);
    bo_assert_err(bo_people_open_shift_add(b, D("2026-03-05"), "NOPE", "S1", "cashier", NULL),
                  BO_ENOTFOUND);
    bo_cursor *c;
    bo_assert_ok(bo_people_open_shifts(b, "S1", D("2026-03-01"), D("2026-03-31"), &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 5), "claimed");
    ck_assert_str_eq(bo_cursor_text(c, 6), "E2");
    ck_assert_int_eq(bo_cursor_int(c, 7), sid);
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    ck_assert_int_eq(shifts_count(b), 1);
    verify_clean(b);
    bo_test_book_free(b);
}
END_TEST

struct seen {
    int published;
};

static void on_event(const char *event, int64_t id, void *user)
{
    (void)id;
    if (strcmp(event, "shift.published") == 0)
        ((struct seen *)user)->published++;
}

START_TEST(test_swap_accepted_and_approved)
{
    bo_book *b = roster_book("ros_swap");
    struct seen seen = { 0 };
    int64_t s1 = 0, s3 = 0, w = 0;
    bo_assert_ok(bo_people_shift_assign(b, "E1", D("2026-03-05"), "DAY", "S1", "cashier", &s1));
    bo_assert_ok(bo_people_roster_publish(b, "S1", D("2026-03-05"), D("2026-03-05"), NULL));
    bo_assert_ok(bo_event_subscribe(b, "*", on_event, &seen, NULL, NULL));
    bo_assert_ok(bo_people_swap_propose(b, s1, "E2", &w));
    bo_assert_err(bo_people_swap_propose(b, s1, "E3", NULL), BO_ESTATE); /* one at a time */
    /* a manager cannot approve what the colleague has not accepted */
    bo_assert_err(bo_people_swap_decide(b, w, 1), BO_ESTATE);
    ck_assert_msg(strstr(bo_error_message(), "proposed"), "%s", bo_error_message());
    bo_assert_ok(bo_people_swap_accept(b, w, 1));
    bo_assert_err(bo_people_swap_accept(b, w, 1), BO_ESTATE);
    bo_assert_ok(bo_people_swap_decide(b, w, 1));
    char who[16];
    shift_employee(b, s1, who);
    ck_assert_str_eq(who, "E2");
    ck_assert_int_eq(seen.published, 1);

    /* E3 works an overlapping shift that day: the approval is refused with
     * the rule, and the shift stays with E2 */
    bo_assert_ok(bo_people_shift_assign(b, "E3", D("2026-03-05"), "EARLY", "S2", "cashier", &s3));
    bo_assert_ok(bo_people_swap_propose(b, s1, "E3", &w));
    bo_assert_ok(bo_people_swap_accept(b, w, 1));
    bo_assert_err(bo_people_swap_decide(b, w, 1), BO_ESTATE);
    ck_assert_msg(strncmp(bo_error_message(), "overlap:", 8) == 0, "%s", bo_error_message());
    shift_employee(b, s1, who);
    ck_assert_str_eq(who, "E2");
    bo_assert_ok(bo_people_swap_decide(b, w, 0));
    /* a declined swap */
    bo_assert_ok(bo_people_swap_propose(b, s1, "E1", &w));
    bo_assert_ok(bo_people_swap_accept(b, w, 0));
    bo_assert_err(bo_people_swap_decide(b, w, 1), BO_ESTATE);
    bo_assert_err(bo_people_swap_propose(b, s1, "E2", NULL), BO_ESTATE); /* already hers */
    bo_assert_err(bo_people_swap_propose(b, 99999, "E2", NULL), BO_ENOTFOUND);
    bo_cursor *c;
    bo_assert_ok(bo_people_swaps(b, D("2026-03-01"), D("2026-03-31"), &c));
    const char *status[] = { "approved", "refused", "declined" };
    for (int i = 0; i < 3; i++) {
        bo_assert_ok(bo_cursor_next(c));
        ck_assert_str_eq(bo_cursor_text(c, 5), status[i]);
    }
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    ck_assert_int_eq(shifts_count(b), 2);
    verify_clean(b);
    bo_test_book_free(b);
}
END_TEST

/* Every call of this file by every role: allowed only with its permission. */
START_TEST(test_roster_access_matrix)
{
    bo_book *b = roster_book("ros_access");
    int64_t s1 = 0, open = 0, w = 0;
    bo_assert_ok(bo_people_shift_assign(b, "E1", D("2026-03-05"), "DAY", "S1", "cashier", &s1));
    bo_assert_ok(bo_people_open_shift_add(b, D("2026-03-06"), "DAY", "S1", "cashier", &open));
    bo_assert_ok(bo_people_swap_propose(b, s1, "E2", &w));
    bo_assert_ok(bo_role_define(b, "reader", "people.read"));
    bo_assert_ok(bo_role_define(b, "writer", "people.write"));
    bo_assert_ok(bo_role_define(b, "approver", "people.approve"));
    bo_assert_ok(bo_role_define(b, "admin", "people.admin"));
    bo_assert_ok(bo_role_define(b, "cashier", "ledger.read sales.post payroll.read"));
    const char *actors[] = { "reader", "writer", "approver", "admin", "cashier", "nobody" };
    for (int a = 0; a < 5; a++)
        bo_assert_ok(bo_role_grant(b, actors[a], actors[a]));
    enum { R, W, A, M };
    const int need[] = { W, R, A, R, A, W, R, W, W, A, R, W, A, W };
    const int ncalls = (int)(sizeof need / sizeof need[0]);
    for (int a = 0; a < 6; a++) {
        bo_assert_ok(bo_book_set_actor(b, actors[a]));
        for (int k = 0; k < ncalls; k++) {
            bo_cursor *c = NULL;
            int64_t v = 0;
            int rc = 0;
            bo_date day = D("2026-04-01") + a * 20 + k;
            switch (k) {
            case 0: rc = bo_people_unavailable_add(b, "E3", "2026-05-01T08:00",
                                                   "2026-05-01T09:00", &v); break;
            case 1: rc = bo_people_unavailability(b, NULL, day, day, &c); break;
            case 2: rc = bo_people_headcount_set(b, "S1", "cashier", 1, "08:00", "09:00", 1);
                break;
            case 3: rc = bo_people_understaffed(b, "S1", day, day, &c); break;
            case 4: rc = bo_people_open_shift_add(b, day, "DAY", "S1", "cashier", &v); break;
            case 5: rc = bo_people_open_shift_claim(b, 99999, "E3", &v); break;
            case 6: rc = bo_people_open_shifts(b, NULL, day, day, &c); break;
            case 7: rc = bo_people_swap_propose(b, 99999, "E3", &v); break;
            case 8: rc = bo_people_swap_accept(b, 99999, 1); break;
            case 9: rc = bo_people_swap_decide(b, 99999, 1); break;
            case 10: rc = bo_people_swaps(b, day, day, &c); break;
            case 11: {
                char key[16];
                snprintf(key, sizeof key, "u-%d", a);
                rc = bo_people_unavailable_add_keyed(b, "E3", "2026-05-02T08:00",
                                                     "2026-05-02T09:00", key, &v);
                break;
            }
            case 12: {
                char key[16];
                snprintf(key, sizeof key, "o-%d", a);
                rc = bo_people_open_shift_add_keyed(b, day, "DAY", "S1", "cashier", key, &v);
                break;
            }
            case 13: rc = bo_people_swap_propose_keyed(b, 99999, "E3", "w-1", &v); break;
            }
            bo_cursor_free(c);
            int allowed = (need[k] == R && a == 0) || (need[k] == W && a == 1) ||
                          (need[k] == A && a == 2) || (need[k] == M && a == 3);
            if (allowed)
                ck_assert_msg(rc != BO_EDENIED, "%s call %d: %s", actors[a], k,
                              bo_error_message());
            else
                ck_assert_msg(rc == BO_EDENIED, "%s call %d: rc %d %s", actors[a], k, rc,
                              bo_error_message());
        }
    }
    bo_assert_ok(bo_book_set_actor(b, "owner"));
    verify_clean(b);
    bo_test_book_free(b);
}
END_TEST


/* The rows of a listing just made into *c (rc: the call's result). */
static int64_t listing_count(int rc, bo_cursor **c)
{
    ck_assert_msg(rc == 0, "listing: %s", bo_error_message());
    return count_rows(*c);
}

static void expect_denied_at(int rc, const char *location)
{
    ck_assert_msg(rc == BO_EDENIED, "rc %d: %s", rc, bo_error_message());
    ck_assert_msg(strstr(bo_error_message(), "location") &&
                  strstr(bo_error_message(), location), "%s", bo_error_message());
}

/* A store manager (a role granted at S1 only) sees and changes S1's roster,
 * shifts, attendance, open shifts and swaps, and nothing of S2. */
START_TEST(test_store_manager_sees_only_her_store)
{
    bo_book *b = roster_book("ros_scope");
    bo_date day = D("2026-03-05");
    int64_t s1 = 0, s2 = 0, o1 = 0, o2 = 0, w2 = 0, v = 0;
    bo_assert_ok(bo_people_shift_assign(b, "E1", day, "DAY", "S1", "cashier", &s1));
    bo_assert_ok(bo_people_shift_assign(b, "E2", day, "DAY", "S2", "cashier", &s2));
    bo_assert_ok(bo_people_open_shift_add(b, day + 1, "DAY", "S1", "cashier", &o1));
    bo_assert_ok(bo_people_open_shift_add(b, day + 1, "DAY", "S2", "cashier", &o2));
    bo_assert_ok(bo_people_swap_propose(b, s2, "E3", &w2));
    bo_assert_ok(bo_people_punch(b, "E1", "2026-03-05T08:55", BO_PEOPLE_PUNCH_IN, "p1", NULL));
    bo_assert_ok(bo_people_punch(b, "E1", "2026-03-05T17:05", BO_PEOPLE_PUNCH_OUT, "p2", NULL));
    bo_assert_ok(bo_people_punch(b, "E2", "2026-03-05T09:00", BO_PEOPLE_PUNCH_IN, "p3", NULL));
    bo_assert_ok(bo_people_punch(b, "E2", "2026-03-05T17:00", BO_PEOPLE_PUNCH_OUT, "p4", NULL));
    bo_assert_ok(bo_people_attendance_run(b, day, day, "2026-03-09T00:00", NULL));
    bo_assert_ok(bo_role_define(b, "manager", "people.read people.write people.approve"));
    /* bad input changes nothing */
    bo_assert_err(bo_role_grant_location(b, "mara", "manager", "S 1"), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "location"), "%s", bo_error_message());
    bo_assert_err(bo_role_grant_location(b, "mara", "nope", "S1"), BO_ENOTFOUND);
    bo_assert_ok(bo_role_grant_location(b, "mara", "manager", "S1"));
    bo_assert_ok(bo_role_grant_location(b, "mara", "manager", "S1")); /* twice: no-op */
    bo_assert_ok(bo_role_grant(b, "olga", "manager"));
    bo_assert_err(bo_role_grant_location(b, "olga", "manager", "S1"), BO_ESTATE);
    ck_assert_msg(strstr(bo_error_message(), "every location"), "%s", bo_error_message());

    /* the grants list the location */
    bo_cursor *c = NULL;
    int listed = 0;
    bo_assert_ok(bo_role_list(b, &c));
    while (bo_cursor_next(c) == 0) {
        const char *actor = bo_cursor_text(c, 0);
        if (!strcmp(actor, "mara")) {
            ck_assert_str_eq(bo_cursor_text(c, 3), "S1");
            listed++;
        } else if (!strcmp(actor, "olga")) {
            ck_assert_ptr_null(bo_cursor_text(c, 3));
            listed++;
        }
    }
    bo_cursor_free(c);
    c = NULL;
    ck_assert_int_eq(listed, 2);
    bo_assert_ok(bo_book_set_actor(b, "mara"));
    bo_date from = D("2026-03-01"), to = D("2026-03-31");
    /* listings: S1's rows only */
    ck_assert_int_eq(listing_count(bo_people_shifts(b, NULL, from, to, &c), &c), 1);
    ck_assert_int_eq(listing_count(bo_people_shifts(b, "S1", from, to, &c), &c), 1);
    ck_assert_int_eq(listing_count(bo_people_open_shifts(b, NULL, from, to, &c), &c), 1);
    ck_assert_int_eq(listing_count(bo_people_swaps(b, from, to, &c), &c), 0);
    ck_assert_int_eq(listing_count(bo_people_attendance(b, NULL, from, to, &c), &c), 1);
    ck_assert_int_eq(listing_count(bo_people_attendance(b, "E2", from, to, &c), &c), 0);
    /* reads of S2: the permission error naming the location */
    c = NULL;
    expect_denied_at(bo_people_shifts(b, "S2", from, to, &c), "S2");
    ck_assert_ptr_null(c);
    expect_denied_at(bo_people_open_shifts(b, "S2", from, to, &c), "S2");
    expect_denied_at(bo_people_understaffed(b, "S2", from, to, &c), "S2");
    int rule = 0;
    expect_denied_at(bo_people_shift_check(b, "E3", day, "DAY", "S2", &rule), "S2");
    /* writes at S2: refused, nothing changed */
    expect_denied_at(bo_people_shift_assign(b, "E3", day, "DAY", "S2", "cashier", &v), "S2");
    expect_denied_at(bo_people_shift_repeat(b, "E3", "DAY", "S2", "cashier", day, day + 6,
                                            0x1f, 1, &v), "S2");
    expect_denied_at(bo_people_roster_publish(b, "S2", from, to, &v), "S2");
    expect_denied_at(bo_people_headcount_set(b, "S2", "cashier", 1, "08:00", "09:00", 1), "S2");
    expect_denied_at(bo_people_open_shift_add(b, day, "DAY", "S2", "cashier", &v), "S2");
    expect_denied_at(bo_people_open_shift_claim(b, o2, "E3", &v), "S2");
    expect_denied_at(bo_people_swap_propose(b, s2, "E1", &v), "S2");
    expect_denied_at(bo_people_swap_accept(b, w2, 1), "S2");
    /* the attendance run covers every store */
    bo_assert_err(bo_people_attendance_run(b, day, day, "2026-03-09T00:00", &v), BO_EDENIED);
    ck_assert_msg(strstr(bo_error_message(), "location"), "%s", bo_error_message());
    bo_assert_err(bo_people_attendance_post(b, day, day, &v), BO_EDENIED);
    /* her own store: allowed */
    int64_t s3 = 0;
    bo_assert_ok(bo_people_shift_assign(b, "E3", day, "EARLY", "S1", "cashier", &s3));
    bo_assert_ok(bo_people_roster_publish(b, "S1", from, to, &v));
    ck_assert_int_eq(v, 2);
    bo_assert_ok(bo_people_headcount_set(b, "S1", "cashier", 1, "08:00", "09:00", 1));
    bo_assert_ok(bo_people_understaffed(b, "S1", day, day, &c));
    bo_cursor_free(c);
    bo_assert_ok(bo_people_open_shift_claim(b, o1, "E2", NULL));
    bo_assert_ok(bo_people_swap_propose(b, s3, "E1", &v));
    bo_assert_ok(bo_people_swap_accept(b, v, 0));
    ck_assert_int_eq(listing_count(bo_people_shifts(b, NULL, from, to, &c), &c), 3);

    /* the owner sees every store, and nothing of S2 changed */
    bo_assert_ok(bo_book_set_actor(b, "owner"));
    ck_assert_int_eq(listing_count(bo_people_shifts(b, "S2", from, to, &c), &c), 1);
    ck_assert_int_eq(listing_count(bo_people_open_shifts(b, "S2", from, to, &c), &c), 1);
    ck_assert_int_eq(listing_count(bo_people_swaps(b, from, to, &c), &c), 2);
    /* the swap of S2 is still proposed: accept it as the owner */
    bo_assert_ok(bo_people_swap_accept(b, w2, 0));
    /* granted without a location: every store */
    bo_assert_ok(bo_role_grant(b, "mara", "manager"));
    bo_assert_ok(bo_book_set_actor(b, "mara"));
    ck_assert_int_eq(listing_count(bo_people_shifts(b, "S2", from, to, &c), &c), 1);
    bo_assert_ok(bo_book_set_actor(b, "owner"));
    bo_assert_ok(bo_role_grant_location(b, "lena", "manager", "S2"));
    bo_assert_ok(bo_role_revoke(b, "lena", "manager"));
    bo_assert_ok(bo_book_set_actor(b, "lena"));
    bo_assert_err(bo_people_shifts(b, NULL, from, to, &c), BO_EDENIED);
    bo_assert_ok(bo_book_set_actor(b, "owner"));
    verify_clean(b);
    bo_test_book_free(b);
}
END_TEST

static int64_t audit_seq(bo_book *b)
{
    int64_t seq = 0;
    char hex[BO_HASH_HEX_SIZE];
    bo_assert_ok(bo_audit_head(b, &seq, hex, sizeof hex));
    return seq;
}

static void expect_key_reuse(int rc, const char *key)
{
    ck_assert_msg(rc == BO_EKEYREUSE, "rc %d: %s", rc, bo_error_message());
    ck_assert_msg(strncmp(bo_error_message(), "key:", 4) == 0 &&
                  strstr(bo_error_message(), key), "%s", bo_error_message());
}

/* Unavailability, open shifts and swap proposals under a key: the same key
 * again answers the first record and records nothing; the same key with
 * other content is refused, naming the key, and changes nothing. */
START_TEST(test_roster_keys_answer_the_first)
{
    bo_book *b = roster_book("ros_keys");
    bo_cursor *c;
    int64_t u1 = 0, u2 = 0, o1 = 0, o2 = 0, s1 = 0, w1 = 0, w2 = 0;
    bo_assert_ok(bo_people_unavailable_add_keyed(b, "E1", "2026-03-03T08:00",
                                                 "2026-03-03T12:00", "u-1", &u1));
    int64_t seq = audit_seq(b);
    bo_assert_ok(bo_people_unavailable_add_keyed(b, "E1", "2026-03-03T08:00",
                                                 "2026-03-03T12:00", "u-1", &u2));
    ck_assert_int_eq(u2, u1);
    expect_key_reuse(bo_people_unavailable_add_keyed(b, "E1", "2026-03-03T08:00",
                                                     "2026-03-03T13:00", "u-1", &u2), "u-1");
    expect_key_reuse(bo_people_unavailable_add_keyed(b, "E2", "2026-03-03T08:00",
                                                     "2026-03-03T12:00", "u-1", &u2), "u-1");
    ck_assert_int_eq(audit_seq(b), seq);
    bo_assert_ok(bo_people_unavailability(b, NULL, D("2026-03-01"), D("2026-03-31"), &c));
    ck_assert_int_eq(count_rows(c), 1);
    /* without a key: each call records */
    bo_assert_ok(bo_people_unavailable_add_keyed(b, "E2", "2026-03-04T08:00",
                                                 "2026-03-04T12:00", NULL, &u2));
    bo_assert_ok(bo_people_unavailable_add(b, "E2", "2026-03-04T08:00", "2026-03-04T12:00",
                                           NULL));
    bo_assert_ok(bo_people_unavailability(b, "E2", D("2026-03-01"), D("2026-03-31"), &c));
    ck_assert_int_eq(count_rows(c), 2);

    bo_assert_ok(bo_people_open_shift_add_keyed(b, D("2026-03-06"), "DAY", "S1", "cashier",
                                                "o-1", &o1));
    seq = audit_seq(b);
    bo_assert_ok(bo_people_open_shift_add_keyed(b, D("2026-03-06"), "DAY", "S1", "cashier",
                                                "o-1", &o2));
    ck_assert_int_eq(o2, o1);
    expect_key_reuse(bo_people_open_shift_add_keyed(b, D("2026-03-06"), "DAY", "S2", "cashier",
                                                    "o-1", &o2), "o-1");
    expect_key_reuse(bo_people_open_shift_add_keyed(b, D("2026-03-07"), "DAY", "S1", "cashier",
                                                    "o-1", &o2), "o-1");
    ck_assert_int_eq(audit_seq(b), seq);
    bo_assert_ok(bo_people_open_shifts(b, NULL, D("2026-03-01"), D("2026-03-31"), &c));
    ck_assert_int_eq(count_rows(c), 1);

    bo_assert_ok(bo_people_shift_assign(b, "E3", D("2026-03-05"), "DAY", "S1", "cashier", &s1));
    bo_assert_ok(bo_people_swap_propose_keyed(b, s1, "E2", "w-1", &w1));
    seq = audit_seq(b);
    bo_assert_ok(bo_people_swap_propose_keyed(b, s1, "E2", "w-1", &w2));
    ck_assert_int_eq(w2, w1);
    expect_key_reuse(bo_people_swap_propose_keyed(b, s1, "E1", "w-1", &w2), "w-1");
    ck_assert_int_eq(audit_seq(b), seq);
    /* a retry after the colleague declined still answers the first */
    bo_assert_ok(bo_people_swap_accept(b, w1, 0));
    bo_assert_ok(bo_people_swap_propose_keyed(b, s1, "E2", "w-1", &w2));
    ck_assert_int_eq(w2, w1);
    bo_assert_ok(bo_people_swaps(b, D("2026-03-01"), D("2026-03-31"), &c));
    ck_assert_int_eq(count_rows(c), 1);
    /* a bad key is refused before anything */
    bo_assert_err(bo_people_swap_propose_keyed(b, s1, "E2", "", &w2), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "key"), "%s", bo_error_message());
    verify_clean(b);
    bo_test_book_free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("people_roster");
    TCase *tc = tcase_create("roster");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_unavailability_is_a_rule);
    tcase_add_test(tc, test_understaffing_report);
    tcase_add_test(tc, test_open_shift_claimed_by_eligible);
    tcase_add_test(tc, test_swap_accepted_and_approved);
    tcase_add_test(tc, test_roster_access_matrix);
    tcase_add_test(tc, test_store_manager_sees_only_her_store);
    tcase_add_test(tc, test_roster_keys_answer_the_first);
    suite_add_tcase(s, tc);
    return bo_test_run(s);
}
