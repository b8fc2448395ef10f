-- Offline terminals through the Lua module: a terminal book's outbox and
-- receipts, the sync with a central book (exactly once, quarantine, stock
-- as facts), limits and errors.
local lu = require("luaunit")
local bo = require("backoffice")
local t = require("bo_support")

local function shop(b, negative)
    for _, a in ipairs({ { "1200", "Inventory", "asset" }, { "2100", "GRNI", "liability" },
                         { "2200", "VAT", "liability" }, { "5100", "COGS", "expense" } }) do
        b:account_add(a[1], a[2], a[3])
    end
    b:tax_rate_add("VAT20", "VAT", 200000, "2200")
    b:tax_category_add("standard", "Standard", "VAT20")
    for _, kv in ipairs({ { "account.inventory", "1200" }, { "account.cogs", "5100" },
                          { "account.grni", "2100" }, { "account.revenue", "4000" },
                          { "payment.cash", "1000" } }) do
        b:inv_setting_set(kv[1], kv[2])
    end
    b:inv_location_add("S1", "Store", "store", negative)
    b:inv_item_add("A", "Widget", 0, bo.INVENTORY_FIFO, "standard")
end

local function fixture(self)
    self.book, self.uri, self.files = t.new_book()
    shop(self.book, 0)
    self.till, self.turi, self.tfiles = t.new_book()
    shop(self.till, 1)
    self.till.sync:terminal_setup("T1", self.uri)
end

local function teardown(self)
    self.till:close()
    self.book:close()
    t.cleanup(self.files.path, self.files.base)
    t.cleanup(self.tfiles.path, self.tfiles.base)
end

local function sell(book, key, sku)
    local sale = bo.Sale("2026-02-01", "till")
    sale:set_key(key)
    sale:line(sku or "A", "S1", 1, 1200)
    sale:payment("cash", 1200)
    return book:inv_sale_post(sale)
end

TestSync = { setUp = fixture, tearDown = teardown }

function TestSync:test_outbox_and_exactly_once()
    local a = sell(self.till, "k1")
    sell(self.till, "k2")
    lu.assertEquals(self.till.sync:terminal_receipt(a), 1)
    local queued, value, quarantined, synced, next_receipt = self.till.sync:terminal_status()
    lu.assertEquals({ queued, value, quarantined, synced, next_receipt }, { 2, 2400, 0, 0, 3 })
    lu.assertEquals(#t.collect(self.till.sync:terminal_outbox("queued")), 2)
    t.expect_error(bo.ESTATE, self.till.sync.terminal_close_check, self.till.sync)
    local pushed, replayed, q, negative = self.till.sync:run(self.book)
    lu.assertEquals({ pushed, replayed, q, negative }, { 2, 0, 0, 1 })
    lu.assertEquals(self.book:inv_stock("A", "S1"), -2)
    lu.assertEquals(#t.collect(self.book.sync:inbox("T1")), 2)
    lu.assertEquals(t.collect(self.book.sync:negative())[1].sku, "A")
    pushed = self.till.sync:run()
    lu.assertEquals(pushed, 0)
    self.till.sync:terminal_close_check()
end

function TestSync:test_cash_movement()
    local e = self.till.sync:terminal_cash("2026-02-01", 5000, "3000", "c1", "float")
    lu.assertEquals(self.till.sync:terminal_cash("2026-02-01", 5000, "3000", "c1", "float"), e)
    t.expect_error(bo.EINVAL, self.till.sync.terminal_cash, self.till.sync, "2026-02-01", 0,
                   "3000", "c2")
    lu.assertEquals(self.till.sync:run(self.book), 1)
    lu.assertEquals(self.book:balance("1000", "2026-12-31"), 5000)
end

function TestSync:test_quarantine_limits_errors()
    self.till:inv_item_add("LOCAL", "Here only", 0, bo.INVENTORY_FIFO)
    sell(self.till, "a", "LOCAL")
    local pushed, _, q = self.till.sync:run(self.book)
    lu.assertEquals({ pushed, q }, { 0, 1 })
    local bad = t.collect(self.till.sync:terminal_outbox("quarantined"))[1]
    lu.assertEquals(bad.code, bo.ENOTFOUND)
    self.book:inv_item_add("LOCAL", "Known now", 0, bo.INVENTORY_FIFO)
    self.till.sync:terminal_resubmit(1)
    lu.assertEquals(self.till.sync:run(self.book), 1)
    self.till.sync:terminal_limits(1, 0, 0)
    sell(self.till, "b")
    local err = t.expect_error(bo.ELIMIT, sell, self.till, "c")
    lu.assertStrContains(err.message, "max_queued")
    t.expect_error(bo.EINVAL, self.till.sync.terminal_outbox, self.till.sync, "lost")
    t.expect_error(bo.ESTATE, self.till.sync.terminal_setup, self.till.sync, "T2", self.uri)
    t.expect_error(bo.ENOTFOUND, self.till.sync.terminal_resubmit, self.till.sync, 99)
end

os.exit(lu.LuaUnit.run())
