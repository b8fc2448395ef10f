-- Invoices, payments, exchange rates and bank reconciliation through the
-- Lua module.
local lu = require("luaunit")
local bo = require("backoffice")
local t = require("bo_support")

TestBilling = {
    setUp = function(self)
        self.book, self.uri, self.files = t.new_book()
        local b = self.book
        b:account_add("1110", "Bank EUR", "asset", nil, "EUR")
        b:account_add("1200", "Receivables", "asset")
        b:account_add("1210", "Receivables EUR", "asset", nil, "EUR")
        b:account_add("1290", "FX revaluation", "asset")
        b:account_add("2100", "Tax payable", "liability")
        b:account_add("6900", "Write-offs", "expense")
        b:account_add("7000", "FX gains", "income")
        b:account_add("7100", "FX losses", "expense")
        b:account_add("7200", "Unrealized FX", "income")
        b:tax_rate_add("VAT20", "VAT 20%", 200000, "2100")
        b:tax_category_add("standard", "Standard", "VAT20")
        b:party_add("C1", "Customer", bo.PARTY_CUSTOMER)
        b:party_add("C2", "Kunde", bo.PARTY_CUSTOMER, "EUR")
        b:party_update("C2", { receivable_account = "1210" })
        local settings = {
            { "receivable_account", "1200" }, { "payable_account", "2000" },
            { "write_off_account", "6900" }, { "write_off_limit", "1.00" },
            { "fx_gain_account", "7000" }, { "fx_loss_account", "7100" },
            { "fx_unrealized_account", "7200" }, { "fx_revaluation_account", "1290" },
        }
        for _, s in ipairs(settings) do
            b:bill_setting_set(s[1], s[2])
        end
    end,
    tearDown = function(self)
        self.book:close()
        t.cleanup(self.files.path, self.files.base)
    end,
    invoice = function(self, party, date, price, tax, currency)
        local inv = bo.Invoice(bo.INVOICE_SALES, party, date, currency)
        inv:line("4000", "goods", 1000, price, 0, tax)
        lu.assertEquals(inv:line_count(), 1)
        local id = self.book:invoice_save(inv)
        self.book:invoice_post(id, date)
        return id
    end,
}

function TestBilling:test_typed_setters()
    local inv = bo.Invoice(bo.INVOICE_SALES, "C1", "2026-03-01")
    inv:set_series("INV")
    inv:set_due("2026-03-31")
    inv:set_memo("memo")
    inv:set_reference("PO-1")
    inv:set_inclusive(1)
    inv:set_account("1200")
    inv:set_number(1)
    inv:set_credits(0)
    local ok = pcall(function() inv:set_inclusive(2) end)
    lu.assertFalse(ok)
    inv:line("4000", "goods", 1000, 1200, 0, "standard")
    lu.assertTrue(self.book:invoice_save(inv) > 0)
    local pay = bo.Payment(bo.PAYMENT_RECEIVED, "C1", "2026-03-20", 100, nil, "1100")
    pay:set_memo("memo")
    pay:set_reference("TRX-1")
end

function TestBilling:test_payment_across_invoices()
    local b = self.book
    local a = self:invoice("C1", "2026-03-01", 10000, "standard")
    local c = self:invoice("C1", "2026-03-02", 5000)
    local pay = bo.Payment(bo.PAYMENT_RECEIVED, "C1", "2026-03-20", 16950, nil, "1100")
    pay:set_key("lua-1")
    pay:allocate(a, 12000)
    pay:allocate(c, 4950, 50)
    local pid = b:payment_post(pay)
    lu.assertEquals(b:payment_post(pay), pid)
    lu.assertEquals(b:balance("1200", "2026-03-31"), 0)
    lu.assertEquals(b:invoice_open(c, "2026-03-19"), 5000)
    lu.assertEquals(math.type(b:invoice_open(c, "2026-03-31")), "integer")
    lu.assertEquals(#t.collect(b:aging(bo.BILLING_RECEIVABLE, "2026-03-31")), 0)
    lu.assertEquals(t.collect(b:invoice_get(a))[1].doc_number, "INV-1")
    lu.assertEquals(#t.collect(b:invoice_lines(a)), 1)
    lu.assertEquals(#t.collect(b:invoices("C1")), 2)
    lu.assertEquals(#t.collect(b:payments()), 1)
    lu.assertEquals(t.collect(b:tax_report("2026-03-01", "2026-03-31"))[1].sales_tax, 2000)
    local rows = t.collect(b:statement("C1", "2026-03-01", "2026-03-31"))
    lu.assertEquals(rows[#rows].balance, 0)
    lu.assertTrue(#t.collect(b:cash_flow("2026-03-01", "2026-03-31")) > 0)
    local p2 = bo.Payment(bo.PAYMENT_RECEIVED, "C1", "2026-03-21", 100, nil, "1100")
    p2:set_key("lua-2")
    p2:allocate(a, 100)
    t.expect_error(bo.EPAYMENT, function() return b:payment_post(p2) end)
end

function TestBilling:test_credit_reverse_numbering()
    local b = self.book
    local a = self:invoice("C1", "2026-03-01", 1000)
    local pay = bo.Payment(bo.PAYMENT_RECEIVED, "C1", "2026-03-02", 3000, nil, "1100")
    pay:set_key("over")
    local pid = b:payment_post(pay)
    b:credit_apply(pid, a, 1000, "2026-03-03")
    local c = self:invoice("C1", "2026-03-04", 700)
    lu.assertTrue(b:invoice_reverse(c, "2026-03-05") > 0)
    t.expect_error(bo.ESEQUENCE, function() return b:bill_series_set_next("INV", 9) end)
    b:bill_series_add("S", "S-", 100)
    lu.assertEquals(#t.collect(b:bill_series()), 2)
    lu.assertEquals(#t.collect(b:bill_settings()), 8)
    local id = b:recurring_add(a, 1, "2026-04-01")
    lu.assertTrue(id > 0)
    lu.assertEquals(b:recurring_run("2026-05-15"), 2)
end

function TestBilling:test_currency_and_bank()
    local b = self.book
    t.expect_error(bo.ENORATE, function() return b:convert(100, "EUR", "2026-01-01") end)
    b:rate_set("EUR", "2026-01-01", "1.10")
    b:rate_set("EUR", "2026-01-31", "1.12")
    lu.assertEquals(b:convert(10000, "EUR", "2026-01-15"), 11000)
    lu.assertEquals(#t.collect(b:rates()), 2)
    self:invoice("C2", "2026-01-15", 20000)
    lu.assertTrue(b:revalue("2026-01-31") > 0)
    lu.assertEquals(b:balance("1290", "2026-01-31"), 400)
    local e = bo.Entry("2026-01-20", "manual")
    e:add_base("1110", 1000, "EUR", 1100)
    e:add("1100", -1100)
    lu.assertTrue(b:post(e) > 0)

    local s = bo.Entry("2026-03-01", "sale")
    s:add("1100", 1250)
    s:add("4000", -1250)
    b:post(s)
    local st = b:bank_import("1100", "csv", "date,amount\n2026-03-02,12.50\n2026-03-03,-1.00\n",
                             "date: 1\namount: 2\n")
    lu.assertEquals(b:bank_match(st, 3), 1)
    for _, l in ipairs(t.collect(b:bank_lines(st))) do
        if l.status == "unmatched" then
            b:bank_create(l.id, "6900", "fee")
        end
    end
    b:bank_close(st)
    lu.assertEquals(b:bank_reconciled("1100"), 1150)
    lu.assertEquals(#t.collect(b:bank_statements("1100")), 1)
    local err = t.expect_error(bo.EINVAL, function()
        return b:bank_import("1100", "csv", "d,a\n2026-03-01,x\n", "date: 1\namount: 2\n")
    end)
    lu.assertStrContains(err.message, "line 2")
    t.expect_error(bo.ENOTFOUND, function() return b:bank_accept(9999, 1) end)
end

-- Payment batches: book.billing:pain001(path, execution, party, debtor_iban,
-- debtor_bic) returns the number of transactions.
function TestBilling:test_pain001()
    local b = self.book
    b:account_add("5100", "Supplies", "expense")
    b:party_add("V1", "Vendor", bo.PARTY_VENDOR)
    local inv = bo.Invoice(bo.INVOICE_PURCHASE, "V1", "2026-03-01")
    inv:line("5100", "paper", 1000, 1250, 0, nil)
    b:invoice_post(b:invoice_save(inv), "2026-03-01")
    b:bill_setting_set("iban.V1", "GB82WEST12345698765432")
    local path = self.files.base .. "-pain.xml"
    lu.assertEquals(b.billing:pain001(path, "2026-03-10", nil, "DE89370400440532013000"), 1)
    local f = io.open(path)
    local x = f:read("a")
    f:close()
    os.remove(path)
    lu.assertStrContains(x, "<CtrlSum>12.50</CtrlSum>")
    t.expect_error(bo.EINVAL, function()
        return b.billing:pain001(path, "2026-03-10", nil, "DE89370400440532013001")
    end)
end

os.exit(lu.LuaUnit.run(), true)
