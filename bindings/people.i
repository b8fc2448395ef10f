/* The people domain (backoffice/people.h) in Python and Lua: methods on
 * Book, reached as book.people.<method>. Included by backoffice.i after the
 * Book, Entry and Cursor classes. Dates are day numbers (bo_date), times
 * "HH:MM", instants "YYYY-MM-DDTHH:MM", leave in hundredths of a day. */
%rename("$ignore", %$isfunction, regextarget=1) "^bo_people_";
/* Options structs stay in C: methods take their members as arguments. */
%ignore bo_people_shift_options;
%ignore BO_PEOPLE_SHIFT_OPTIONS_INIT;
%ignore BO_PEOPLE_SHIFT_OPTIONS_VERSION;
%ignore bo_people_applicant_options;
%ignore BO_PEOPLE_APPLICANT_OPTIONS_INIT;
%ignore BO_PEOPLE_APPLICANT_OPTIONS_VERSION;
%include "backoffice/people.h"

%extend bo_book {
    int people_shift_type_add(const char *code, const char *start, const char *end,
                              int break_minutes = 0, int grace_late = 0,
                              int grace_early = 0, int checkin_before = 120,
                              int checkout_after = 240, int half_day_minutes = 0,
                              int absent_minutes = 0, int punch_mode = 1) {
        bo_people_shift_options o;
        int rc = bo_people_shift_options_init(&o, BO_PEOPLE_SHIFT_OPTIONS_VERSION);
        if (rc)
            return rc;
        o.start = start;
        o.end = end;
        o.break_minutes = break_minutes;
        o.grace_late = grace_late;
        o.grace_early = grace_early;
        o.checkin_before = checkin_before;
        o.checkout_after = checkout_after;
        o.half_day_minutes = half_day_minutes;
        o.absent_minutes = absent_minutes;
        o.punch_mode = punch_mode;
        return bo_people_shift_type_add(self, code, &o);
    }
    int people_shift_types(bo_cursor **out) {
        return bo_people_shift_types(self, out);
    }
    int people_limit_set(const char *name, int64_t minutes) {
        return bo_people_limit_set(self, name, minutes);
    }
    int people_holiday_add(const char *calendar, bo_date date, const char *name,
                           int flags = 0) {
        return bo_people_holiday_add(self, calendar, date, name, flags);
    }
    int people_holidays(bo_cursor **out, const char *calendar, bo_date from, bo_date to) {
        return bo_people_holidays(self, calendar, from, to, out);
    }
    /* Returns the rule broken (BO_PEOPLE_RULE_NONE: none). */
    int people_shift_check(int *rule, const char *number, bo_date date, const char *shift,
                           const char *location) {
        return bo_people_shift_check(self, number, date, shift, location, rule);
    }
    /* Returns the shift's id. */
    int people_shift_assign(int64_t *id, const char *number, bo_date date, const char *shift,
                            const char *location, const char *role) {
        return bo_people_shift_assign(self, number, date, shift, location, role, id);
    }
    /* Returns the number of shifts made. */
    int people_shift_repeat(int64_t *count, const char *number, const char *shift,
                            const char *location, const char *role, bo_date from, bo_date to,
                            int weekdays, int every_weeks = 1) {
        return bo_people_shift_repeat(self, number, shift, location, role, from, to,
                                      weekdays, every_weeks, count);
    }
    /* Returns the number published. */
    int people_roster_publish(int64_t *count, const char *location, bo_date from, bo_date to) {
        return bo_people_roster_publish(self, location, from, to, count);
    }
    int people_shifts(bo_cursor **out, const char *location, bo_date from, bo_date to) {
        return bo_people_shifts(self, location, from, to, out);
    }
    /* Returns the punch's id; key is required. */
    int people_punch(int64_t *id, const char *number, const char *at, int kind = 0,
                     const char *key = NULL) {
        return bo_people_punch(self, number, at, kind, key, id);
    }
    /* Returns the number of results written. now: None/nil for the current time. */
    int people_attendance_run(int64_t *count, bo_date from, bo_date to,
                              const char *now = NULL) {
        return bo_people_attendance_run(self, from, to, now, count);
    }
    int people_attendance(bo_cursor **out, const char *number, bo_date from, bo_date to) {
        return bo_people_attendance(self, number, from, to, out);
    }
    /* Returns the number of results posted to payroll. */
    int people_attendance_post(int64_t *count, bo_date from, bo_date to) {
        return bo_people_attendance_post(self, from, to, count);
    }
    int people_leave_policy_add(const char *code, int accrual, int64_t days_per_year,
                                int64_t cap = 0, int64_t carry_max = -1,
                                int carry_months = 0) {
        return bo_people_leave_policy_add(self, code, accrual, days_per_year, cap, carry_max,
                                          carry_months);
    }
    int people_leave_entitle(const char *number, const char *policy, bo_date from) {
        return bo_people_leave_entitle(self, number, policy, from);
    }
    /* Returns the request's id. */
    int people_leave_request(int64_t *id, const char *number, const char *policy,
                             bo_date from, bo_date to, int half = 0, const char *key = NULL) {
        return bo_people_leave_request(self, number, policy, from, to, half, key, id);
    }
    int people_leave_decide(int64_t request_id, int approve = 1) {
        return bo_people_leave_decide(self, request_id, approve);
    }
    int people_leave_collective(const char *policy, bo_date date, int64_t amount) {
        return bo_people_leave_collective(self, policy, date, amount);
    }
    /* Returns the days available at the end of date (hundredths). */
    int people_leave_balance(int64_t *available, const char *number, const char *policy,
                             bo_date date) {
        return bo_people_leave_balance(self, number, policy, date, available, NULL);
    }
    /* Returns the carried days expired in date's year up to date (hundredths). */
    int people_leave_expired(int64_t *expired, const char *number, const char *policy,
                             bo_date date) {
        int64_t available = 0;
        return bo_people_leave_balance(self, number, policy, date, &available, expired);
    }
    int people_leave_requests(bo_cursor **out, const char *number = NULL) {
        return bo_people_leave_requests(self, number, out);
    }
    /* ---- recruitment ---- */
    int people_stage_set(const char *code, const char *name, int position) {
        return bo_people_stage_set(self, code, name, position);
    }
    int people_stages(bo_cursor **out) {
        return bo_people_stages(self, out);
    }
    int people_opening_add(const char *code, const char *title, const char *location,
                           const char *role, bo_date opened) {
        return bo_people_opening_add(self, code, title, location, role, opened);
    }
    int people_opening_close(const char *code) {
        return bo_people_opening_close(self, code);
    }
    int people_openings(bo_cursor **out) {
        return bo_people_openings(self, out);
    }
    /* Returns the applicant's id. consent_date 0: the day of applying. */
    int people_applicant_add(int64_t *id, const char *opening, const char *name,
                             const char *email, const char *consent, bo_date applied,
                             const char *phone = NULL, bo_date consent_date = 0,
                             const char *key = NULL) {
        bo_people_applicant_options o;
        int rc = bo_people_applicant_options_init(&o, BO_PEOPLE_APPLICANT_OPTIONS_VERSION);
        if (rc)
            return rc;
        o.name = name;
        o.email = email;
        o.phone = phone;
        o.consent = consent;
        o.consent_date = consent_date;
        o.applied = applied;
        o.key = key;
        return bo_people_applicant_add(self, opening, &o, id);
    }
    int people_applicant_move(int64_t id, const char *stage, bo_date date) {
        return bo_people_applicant_move(self, id, stage, date);
    }
    int people_applicant_close(int64_t id, int outcome, bo_date date) {
        return bo_people_applicant_close(self, id, outcome, date);
    }
    int people_applicant_hire(int64_t id, const char *number, bo_date start) {
        return bo_people_applicant_hire(self, id, number, start);
    }
    int people_applicants(bo_cursor **out, const char *opening = NULL) {
        return bo_people_applicants(self, opening, out);
    }
    int people_applicant_retention_set(int days) {
        return bo_people_applicant_retention_set(self, days);
    }
    int people_applicant_export(int64_t id, const char *path) {
        return bo_people_applicant_export(self, id, path);
    }
    int people_applicant_erase(int64_t id) {
        return bo_people_applicant_erase(self, id);
    }
    /* Returns the number of applicants erased. */
    int people_applicant_purge(int64_t *count, bo_date today) {
        return bo_people_applicant_purge(self, today, count);
    }
    /* ---- reviews ---- */
    int people_review_cycle_add(const char *code, const char *name, bo_date from, bo_date to) {
        return bo_people_review_cycle_add(self, code, name, from, to);
    }
    int people_review_criterion_add(const char *cycle, const char *code, const char *name,
                                    int64_t weight) {
        return bo_people_review_criterion_add(self, cycle, code, name, weight);
    }
    /* Returns the review's id. */
    int people_review_open(int64_t *id, const char *cycle, const char *number) {
        return bo_people_review_open(self, cycle, number, id);
    }
    int people_review_score(int64_t review, const char *criterion, int who, int64_t score,
                            const char *note = NULL) {
        return bo_people_review_score(self, review, criterion, who, score, note);
    }
    /* Returns the weighted score in hundredths. */
    int people_review_result(int64_t *score, int64_t review, int who) {
        return bo_people_review_result(self, review, who, score);
    }
    int people_review_scores(bo_cursor **out, int64_t review) {
        return bo_people_review_scores(self, review, out);
    }
    /* ---- roster gaps ---- */
    /* Returns the record's id; key: an idempotency key, or none. */
    int people_unavailable_add(int64_t *id, const char *number, const char *from,
                               const char *until, const char *key = NULL) {
        return key ? bo_people_unavailable_add_keyed(self, number, from, until, key, id)
                   : bo_people_unavailable_add(self, number, from, until, id);
    }
    int people_unavailability(bo_cursor **out, const char *number, bo_date from, bo_date to) {
        return bo_people_unavailability(self, number, from, to, out);
    }
    int people_headcount_set(const char *location, const char *role, int weekdays,
                             const char *from, const char *until, int minimum) {
        return bo_people_headcount_set(self, location, role, weekdays, from, until, minimum);
    }
    int people_understaffed(bo_cursor **out, const char *location, bo_date from, bo_date to) {
        return bo_people_understaffed(self, location, from, to, out);
    }
    /* Returns the open shift's id; key: an idempotency key, or none. */
    int people_open_shift_add(int64_t *id, bo_date date, const char *shift,
                              const char *location, const char *role, const char *key = NULL) {
        return key ? bo_people_open_shift_add_keyed(self, date, shift, location, role, key, id)
                   : bo_people_open_shift_add(self, date, shift, location, role, id);
    }
    /* Returns the id of the shift made. */
    int people_open_shift_claim(int64_t *shift_id, int64_t id, const char *number) {
        return bo_people_open_shift_claim(self, id, number, shift_id);
    }
    int people_open_shifts(bo_cursor **out, const char *location, bo_date from, bo_date to) {
        return bo_people_open_shifts(self, location, from, to, out);
    }
    /* Returns the swap's id; key: an idempotency key, or none. */
    int people_swap_propose(int64_t *id, int64_t shift_id, const char *number,
                            const char *key = NULL) {
        return key ? bo_people_swap_propose_keyed(self, shift_id, number, key, id)
                   : bo_people_swap_propose(self, shift_id, number, id);
    }
    int people_swap_accept(int64_t id, int accept = 1) {
        return bo_people_swap_accept(self, id, accept);
    }
    int people_swap_decide(int64_t id, int approve = 1) {
        return bo_people_swap_decide(self, id, approve);
    }
    int people_swaps(bo_cursor **out, bo_date from, bo_date to) {
        return bo_people_swaps(self, from, to, out);
    }
    /* ---- iCalendar ---- */
    /* Returns the number of days added. */
    int people_holidays_import_ics(int64_t *count, const char *calendar, const char *path) {
        return bo_people_holidays_import_ics(self, calendar, path, count);
    }
    int people_holidays_export_ics(const char *calendar, bo_date from, bo_date to,
                                   const char *path) {
        return bo_people_holidays_export_ics(self, calendar, from, to, path);
    }
    int people_roster_export_ics(const char *number, bo_date from, bo_date to,
                                 const char *path) {
        return bo_people_roster_export_ics(self, number, from, to, path);
    }
}
