/* Offline terminals and their sync (backoffice/sync.h) in Python and Lua:
 * methods on Book named terminal_<verb> and sync_<verb>, reached as
 * book.sync.<verb>. The status, options and report structs stay in C:
 * terminal_status returns (queued, queued_value, quarantined, synced,
 * next_receipt, warnings), sync_run takes the central book (None/nil: the
 * terminal's central URI) and returns (pushed, replayed, quarantined,
 * negative). */
%rename("$ignore", %$isfunction, regextarget=1) "^bo_(sync|terminal)_";
%ignore bo_terminal_status;
%ignore BO_TERMINAL_STATUS_INIT;
%ignore BO_TERMINAL_STATUS_VERSION;
%ignore bo_sync_options;
%ignore BO_SYNC_OPTIONS_INIT;
%ignore BO_SYNC_OPTIONS_VERSION;
%ignore bo_sync_report;
%ignore BO_SYNC_REPORT_INIT;
%ignore BO_SYNC_REPORT_VERSION;
%include "backoffice/sync.h"

%extend bo_book {
    int terminal_setup(const char *terminal, const char *central_uri) {
        return bo_terminal_setup(self, terminal, central_uri);
    }
    int terminal_limits(int64_t max_queued, int64_t max_value, int64_t max_offline_hours) {
        return bo_terminal_limits(self, max_queued, max_value, max_offline_hours);
    }
    int terminal_status(int64_t *queued, int64_t *queued_value, int64_t *quarantined,
                        int64_t *synced, int64_t *next_receipt, int *warnings) {
        bo_terminal_status st = BO_TERMINAL_STATUS_INIT;
        int rc = bo_terminal_status_get(self, &st);
        if (rc)
            return rc;
        *queued = st.queued;
        *queued_value = st.queued_value;
        *quarantined = st.quarantined;
        *synced = st.synced;
        *next_receipt = st.next_receipt;
        *warnings = st.warnings;
        return 0;
    }
    /* state None/nil: every command. */
    int terminal_outbox(bo_cursor **out, const char *state = NULL) {
        return bo_terminal_outbox(self, state, out);
    }
    int terminal_cash(int64_t *entry, bo_date date, int64_t amount, const char *account,
                      const char *key, const char *memo = NULL) {
        return bo_terminal_cash(self, date, amount, account, memo, key, entry);
    }
    int terminal_receipt(int64_t *receipt, int64_t sale_id) {
        return bo_terminal_receipt(self, sale_id, receipt);
    }
    int terminal_resubmit(int64_t seq) {
        return bo_terminal_resubmit(self, seq);
    }
    int terminal_close_check() {
        return bo_terminal_close_check(self);
    }
    int sync_run(int64_t *pushed, int64_t *replayed, int64_t *quarantined,
                 int64_t *negative, bo_book *central = NULL, int batch = 0,
                 int pull = 1) {
        bo_sync_options o;
        int rc = bo_sync_options_init(&o, BO_SYNC_OPTIONS_VERSION);
        if (rc)
            return rc;
        o.batch = batch;
        o.pull = pull;
        bo_sync_report r = BO_SYNC_REPORT_INIT;
        rc = bo_sync_run(self, central, &o, &r);
        *pushed = r.pushed;
        *replayed = r.replayed;
        *quarantined = r.quarantined;
        *negative = r.negative;
        return rc;
    }
    /* terminal None/nil: every terminal. */
    int sync_inbox(bo_cursor **out, const char *terminal = NULL) {
        return bo_sync_inbox(self, terminal, out);
    }
    int sync_negative(bo_cursor **out) {
        return bo_sync_negative(self, out);
    }
}
