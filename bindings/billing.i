/* The billing domain (backoffice/billing.h) in Python and Lua: included by
 * backoffice.i after the Book, Entry and Cursor classes. Documents and
 * payments are built with the Invoice and Payment classes and handed to
 * Book methods; everything else is a Book method. Output arguments come
 * back as return values (ids, amounts, cursors). */
%rename("$ignore", regextarget=1, %$isfunction) "^bo_billing_";
%rename("$ignore", regextarget=1, %$isfunction) "^bo_invoice_";
%rename("$ignore", regextarget=1, %$isfunction) "^bo_payment_";
%rename(Invoice) bo_invoice;
%rename(line) bo_invoice::line_;
/* Options structs stay in C: constructors and methods take their members as
 * arguments. */
%ignore bo_invoice_line_options;
%ignore BO_INVOICE_LINE_OPTIONS_INIT;
%ignore BO_INVOICE_LINE_OPTIONS_VERSION;
%ignore bo_payment_options;
%ignore BO_PAYMENT_OPTIONS_INIT;
%ignore BO_PAYMENT_OPTIONS_VERSION;
%rename(Payment) bo_payment;
%nodefaultctor bo_invoice;
%nodefaultdtor bo_invoice;
%nodefaultctor bo_payment;
%nodefaultdtor bo_payment;
%apply int BO_VALUE { int line_count };

/* Builders made by constructors: raise when NULL. */
#ifdef SWIGPYTHON
%typemap(out) bo_invoice *, bo_payment *, struct bo_invoice *, struct bo_payment * {
    if (!$1) {
        bo_py_raise_last(bo_swig_rc ? bo_swig_rc : BO_ERROR);
        SWIG_fail;
    }
    $result = SWIG_NewPointerObj(SWIG_as_voidptr($1), $descriptor, $owner | %newpointer_flags);
}
#endif
#ifdef SWIGLUA
%typemap(out) bo_invoice *, bo_payment *, struct bo_invoice *, struct bo_payment * {
    if (!$1) {
        bo_lua_push_error(L, bo_swig_rc ? bo_swig_rc : BO_ERROR, bo_error_message());
        SWIG_fail;
    }
    SWIG_NewPointerObj(L, $1, $descriptor, $owner);
    SWIG_arg++;
}
#endif

%include "backoffice/billing.h"

%extend bo_entry {
    int add_base(const char *account, int64_t amount, const char *currency,
                 int64_t base_amount, const char *memo = NULL);
}

typedef struct bo_invoice {} bo_invoice;
typedef struct bo_payment {} bo_payment;

%extend bo_invoice {
    bo_invoice(int kind, const char *party, bo_date date, const char *currency = NULL) {
        bo_invoice *v = NULL;
        bo_swig_rc = bo_invoice_new(&v, kind, party, date, currency);
        return v;
    }
    ~bo_invoice() {
        bo_invoice_free(self);
    }
    /* These call bo_invoice_<name> directly. */
    int set_series(const char *series);
    int set_due(bo_date due);
    int set_memo(const char *memo);
    int set_reference(const char *reference);
    int set_inclusive(int inclusive);
    int set_credits(int64_t invoice_id);
    int set_number(int64_t number);
    int set_account(const char *account);
    int set_key(const char *key);
    /* Invoice.line: the members of bo_invoice_line_options as arguments
     * (named line_ in C so as not to clash with bo_invoice_line). */
    int line_(const char *account, const char *description, int64_t quantity,
             int64_t unit_price, int64_t discount_ppm = 0, const char *tax_category = NULL) {
        bo_invoice_line_options o;
        int rc = bo_invoice_line_options_init(&o, BO_INVOICE_LINE_OPTIONS_VERSION);
        if (rc)
            return rc;
        o.account = account;
        o.description = description;
        o.quantity = quantity;
        o.unit_price = unit_price;
        o.discount_ppm = discount_ppm;
        o.tax_category = tax_category;
        return bo_invoice_line(self, &o);
    }
    int line_count();
#ifdef SWIGPYTHON
%pythoncode %{
    def close(self):
        """Release the builder now. Idempotent."""
        _backoffice._release(self)
%}
#endif
}

%extend bo_payment {
    bo_payment(int kind, const char *party, bo_date date, int64_t amount,
               const char *currency, const char *account) {
        bo_payment *p = NULL;
        bo_payment_options o;
        bo_swig_rc = bo_payment_options_init(&o, BO_PAYMENT_OPTIONS_VERSION);
        if (bo_swig_rc)
            return NULL;
        o.kind = kind;
        o.party = party;
        o.date = date;
        o.amount = amount;
        o.currency = currency;
        o.account = account;
        bo_swig_rc = bo_payment_new(&p, &o);
        return p;
    }
    ~bo_payment() {
        bo_payment_free(self);
    }
    /* These call bo_payment_<name> directly. */
    int set_memo(const char *memo);
    int set_reference(const char *reference);
    int set_key(const char *key);
    int allocate(int64_t invoice, int64_t amount, int64_t write_off = 0);
#ifdef SWIGPYTHON
%pythoncode %{
    def close(self):
        """Release the builder now. Idempotent."""
        _backoffice._release(self)
%}
#endif
}

%extend bo_book {
    int bill_setting_set(const char *key, const char *value) {
        return bo_billing_setting_set(self, key, value);
    }
    int bill_settings(bo_cursor **out) {
        return bo_billing_settings(self, out);
    }
    int bill_series_add(const char *code, const char *prefix, int64_t next = 1) {
        return bo_billing_series_add(self, code, prefix, next);
    }
    int bill_series_set_next(const char *code, int64_t next) {
        return bo_billing_series_set_next(self, code, next);
    }
    int bill_series(bo_cursor **out) {
        return bo_billing_series(self, out);
    }
    /* Returns the document id. */
    int invoice_save(int64_t *id, const bo_invoice *invoice) {
        return bo_billing_invoice_save(self, invoice, id);
    }
    /* Returns the journal entry id. */
    int invoice_post(int64_t *entry, int64_t id, bo_date date) {
        return bo_billing_invoice_post(self, id, date, entry);
    }
    int invoice_reverse(int64_t *entry, int64_t id, bo_date date) {
        return bo_billing_invoice_reverse(self, id, date, entry);
    }
    int invoice_get(bo_cursor **out, int64_t id) {
        return bo_billing_invoice_get(self, id, out);
    }
    int invoice_lines(bo_cursor **out, int64_t id) {
        return bo_billing_invoice_lines(self, id, out);
    }
    int invoices(bo_cursor **out, const char *party = NULL) {
        return bo_billing_invoices(self, party, out);
    }
    int invoice_open(int64_t *open, int64_t id, bo_date as_of) {
        return bo_billing_invoice_open(self, id, as_of, open);
    }
    /* Returns the payment id. */
    int payment_post(int64_t *id, const bo_payment *payment) {
        return bo_billing_payment_post(self, payment, id);
    }
    int credit_apply(int64_t payment, int64_t invoice, int64_t amount, bo_date date) {
        return bo_billing_credit_apply(self, payment, invoice, amount, date);
    }
    int payments(bo_cursor **out, const char *party = NULL) {
        return bo_billing_payments(self, party, out);
    }
    int aging(bo_cursor **out, int side, bo_date as_of) {
        return bo_billing_aging(self, side, as_of, out);
    }
    /* From the first day to the last unless told. */
    int statement(bo_cursor **out, const char *party, bo_opt_date start = BO_DATE_MIN,
                  bo_opt_date end = BO_DATE_MAX) {
        return bo_billing_statement(self, party, start, end, out);
    }
    int tax_report(bo_cursor **out, bo_date start, bo_date end) {
        return bo_billing_tax_report(self, start, end, out);
    }
    int cash_flow(bo_cursor **out, bo_date start, bo_date end) {
        return bo_billing_cash_flow(self, start, end, out);
    }
    int rate_set(const char *currency, bo_date date, const char *rate) {
        return bo_billing_rate_set(self, currency, date, rate);
    }
    /* Returns the book-currency amount. */
    int convert(int64_t *base, int64_t amount, const char *currency, bo_date date) {
        return bo_billing_convert(self, amount, currency, date, base);
    }
    int rates(bo_cursor **out, const char *currency = NULL) {
        return bo_billing_rates(self, currency, out);
    }
    /* Returns the revaluation entry (0 when nothing moved). */
    int revalue(int64_t *entry, bo_date date) {
        return bo_billing_revalue(self, date, entry);
    }
    /* Returns the statement id. */
    int bank_import(int64_t *statement, const char *account, const char *format,
                    const char *data, const char *mapping = NULL) {
        return bo_billing_bank_import(self, account, format, data, mapping, statement);
    }
    int bank_statements(bo_cursor **out, const char *account = NULL) {
        return bo_billing_bank_statements(self, account, out);
    }
    int bank_lines(bo_cursor **out, int64_t statement) {
        return bo_billing_bank_lines(self, statement, out);
    }
    /* Returns the number of lines matched. */
    int bank_match(int64_t *matched, int64_t statement, int window_days = 3) {
        return bo_billing_bank_match(self, statement, window_days, matched);
    }
    int bank_accept(int64_t line, int64_t entry) {
        return bo_billing_bank_accept(self, line, entry);
    }
    int bank_create(int64_t *entry, int64_t line, const char *counter_account,
                    const char *memo = NULL) {
        return bo_billing_bank_create(self, line, counter_account, memo, entry);
    }
    int bank_reconciled(int64_t *balance, const char *account) {
        return bo_billing_bank_reconciled(self, account, balance);
    }
    int bank_close(int64_t statement) {
        return bo_billing_bank_close(self, statement);
    }
    int recurring_add(int64_t *id, int64_t invoice, int months, bo_date start) {
        return bo_billing_recurring_add(self, invoice, months, start, id);
    }
    int recurring_run(int64_t *created, bo_date as_of) {
        return bo_billing_recurring_run(self, as_of, created);
    }
    /* Returns the number of transactions written. */
    int pain001(int64_t *count, const char *path, bo_date execution, const char *party = NULL,
                const char *debtor_iban = NULL, const char *debtor_bic = NULL) {
        int rc = bo_billing_pain001(self, path, party, execution, debtor_iban, debtor_bic);
        if (rc >= 0) {
            *count = rc;
            rc = 0;
        }
        return rc;
    }
}
