-- Idempotency keys through the Lua module: the commands a terminal retries
-- refuse to run without a key (EINVAL naming "key", nothing recorded), a
-- replayed key answers the first id, a reused key with other content raises
-- EKEYREUSE. Keys are the optional last argument or a builder's set_key().
local lu = require("luaunit")
local bo = require("backoffice")
local t = require("bo_support")

local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
local PACK = here .. "/../../../data/payroll/generic.yaml"

local function audit_seq(b)
    local seq = b:audit_head()
    return seq
end

local function sale(b, key, qty)
    local s = bo.Sale("2025-03-02")
    if key then
        s:set_key(key)
    end
    s:line("A", "S1", qty or 1, 500)
    s:payment("cash", 1000)
    return b:inv_sale_post(s)
end

TestKeys = {
    setUp = function(self)
        self.book, self.uri, self.files = t.new_book()
        local b = self.book
        for _, a in ipairs({ { "1200", "Inventory", "asset" }, { "1300", "Receivables", "asset" },
                             { "2100", "Net pay", "liability" }, { "2210", "Tax", "liability" },
                             { "2220", "Pension", "liability" }, { "2300", "GRNI", "liability" },
                             { "5100", "Wages", "expense" }, { "5200", "Employer", "expense" },
                             { "5300", "COGS", "expense" }, { "5400", "Shrinkage", "expense" } }) do
            b:account_add(a[1], a[2], a[3])
        end
        for _, kv in ipairs({ { "account.inventory", "1200" }, { "account.cogs", "5300" },
                              { "account.grni", "2300" }, { "account.adjustments", "5400" },
                              { "account.revenue", "4000" }, { "payment.cash", "1000" } }) do
            b:inv_setting_set(kv[1], kv[2])
        end
        b:inv_location_add("S1", "Store", "store", 0)
        b:inv_item_add("A", "Widget", 0, bo.INVENTORY_FIFO)
        b:inv_receive("A", "S1", 10, 1000, "2025-03-01", nil, "init")
        b:party_add("C1", "Customer", bo.PARTY_CUSTOMER)
        b:bill_setting_set("receivable_account", "1300")
        local f = assert(io.open(PACK, "rb"))
        b:pay_pack_load(f:read("a"), "generic.yaml")
        f:close()
        b:pay_employee_add("E1", "Ann", "2023-01-01")
    end,
    tearDown = function(self)
        self.book:close()
        t.cleanup(self.files.path, self.files.base)
    end,
}

function TestKeys:test_sale_needs_a_key()
    local b = self.book
    local seq = audit_seq(b)
    for _ = 1, 2 do -- the terminal's retry
        local err = t.expect_error(bo.EINVAL, sale, b, nil)
        lu.assertEquals(err.message, "key: a sale needs an idempotency key")
    end
    lu.assertEquals(audit_seq(b), seq)
    lu.assertEquals(b:inv_stock("A", "S1"), 10)
    local first = sale(b, "till-1/7")
    lu.assertEquals(sale(b, "till-1/7"), first)
    lu.assertEquals(sale(b, "till-1/7"), first)
    local err = t.expect_error(bo.EKEYREUSE, sale, b, "till-1/7", 2)
    lu.assertEquals(err.message,
                    string.format('key: "till-1/7" was used for a different sale (id %d)', first))
    lu.assertEquals(b:inv_stock("A", "S1"), 9)
end

function TestKeys:test_time_records()
    local b = self.book
    local seq = audit_seq(b)
    local err = t.expect_error(bo.EINVAL, b.pay_clock, b, "E1", "2024-01-05", "08:00", "16:00")
    lu.assertStrContains(err.message, "key: a clock event needs an idempotency key")
    err = t.expect_error(bo.EINVAL, b.pay_hours_add, b, "E1", "2024-01-05", "regular", 60)
    lu.assertStrContains(err.message, "key: a timesheet entry needs an idempotency key")
    lu.assertEquals(audit_seq(b), seq)
    local clock = b:pay_clock("E1", "2024-01-05", "08:00", "16:00", "clock-1")
    lu.assertEquals(math.type(clock), "integer")
    lu.assertEquals(b:pay_clock("E1", "2024-01-05", "08:00", "16:00", "clock-1"), clock)
    local hours = b:pay_hours_add("E1", "2024-01-08", "regular", 60, "h-1")
    lu.assertEquals(b:pay_hours_add("E1", "2024-01-08", "regular", 60, "h-1"), hours)
    t.expect_error(bo.EKEYREUSE, b.pay_hours_add, b, "E1", "2024-01-08", "regular", 90, "h-1")
    local leave = b:pay_leave_add("E1", "2024-01-15", "2024-01-16", "paid", "l-1")
    lu.assertEquals(b:pay_leave_add("E1", "2024-01-15", "2024-01-16", "paid", "l-1"), leave)
    lu.assertTrue(b:pay_leave_add("E1", "2024-01-22", "2024-01-22", "unpaid") > leave)
end

function TestKeys:test_counts_and_shipments()
    local b = self.book
    t.expect_error(bo.EINVAL, b.inv_count_start, b, "S1", "2025-03-05")
    local c = b:inv_count_start("S1", "2025-03-05", "count-1")
    lu.assertEquals(b:inv_count_start("S1", "2025-03-05", "count-1"), c)
    b:inv_count_set(c, "A", 8)
    t.expect_error(bo.EINVAL, b.inv_count_post, b, c)
    b:inv_count_post(c, "count-1-post")
    b:inv_count_post(c, "count-1-post")
    lu.assertEquals(b:inv_stock("A", "S1"), 8)
    local sid = sale(b, "till-2")
    t.expect_error(bo.EINVAL, b.inv_shipment_add, b, sid, "DHL")
    local ship = b:inv_shipment_add(sid, "DHL", nil, nil, "ship-1")
    lu.assertEquals(b:inv_shipment_add(sid, "DHL", nil, nil, "ship-1"), ship)
    t.expect_error(bo.EKEYREUSE, b.inv_shipment_add, b, sid, "UPS", nil, nil, "ship-1")
end

function TestKeys:test_billing_builders()
    local b = self.book
    local inv = bo.Invoice(bo.INVOICE_SALES, "C1", "2025-03-09")
    inv:set_key("inv-1")
    inv:line("4000", "goods", 1000, 1000)
    local first = b:invoice_save(inv)
    lu.assertEquals(b:invoice_save(inv), first)
    local pay = bo.Payment(bo.PAYMENT_RECEIVED, "C1", "2025-03-10", 500, nil, "1100")
    local err = t.expect_error(bo.EINVAL, b.payment_post, b, pay)
    lu.assertEquals(err.message, "key: a payment needs an idempotency key")
    pay:set_key("pay-1")
    local pid = b:payment_post(pay)
    lu.assertEquals(b:payment_post(pay), pid)
end

os.exit(lu.LuaUnit.run(), true)
