-- Till sessions through the Lua module: a session opened with a float, a
-- cash sale with change, a bank drop, the close with 0.50 short posted to
-- the over/short account, the listing, and a second close refused; a
-- shipment whose carrier has no tracking API cannot be polled.
local lu = require("luaunit")
local bo = require("backoffice")
local t = require("bo_support")

local function fixture(self)
    self.book, self.uri, self.files = t.new_book()
    local b = self.book
    for _, a in ipairs({ { "1200", "Inventory", "asset" }, { "2100", "GRNI", "liability" },
                         { "5100", "COGS", "expense" }, { "6900", "Over/short", "expense" } }) do
        b:account_add(a[1], a[2], a[3])
    end
    for _, kv in ipairs({ { "account.inventory", "1200" }, { "account.cogs", "5100" },
                          { "account.grni", "2100" }, { "account.revenue", "4000" },
                          { "payment.cash", "1000" }, { "account.over_short", "6900" } }) do
        b:inv_setting_set(kv[1], kv[2])
    end
    b:inv_location_add("S1", "Store", "store", 0)
    b:inv_item_add("A", "Widget", 0, bo.INVENTORY_FIFO)
    b:inv_receive("A", "S1", 10, 1000, "2025-03-01", nil, "r1")
end

local function teardown(self)
    self.book:close()
    t.cleanup(self.files.path, self.files.base)
end

TestTills = { setUp = fixture, tearDown = teardown }

function TestTills:test_till_session()
    local b = self.book
    local inv = b.inventory
    local till = inv:till_open("S1", "2025-03-02", 10000, "open-1")
    local s = bo.Sale("2025-03-02", "till")
    s:set_key("s1")
    s:line("A", "S1", 1, 1500)
    s:payment("cash", 2000)
    b:inv_sale_post(s)
    inv:till_cash(till, "2025-03-02", -5000, "1100", "bank drop", "drop-1")
    lu.assertEquals(inv:till_close(till, "2025-03-02", 6450, "close-1"), -50)
    lu.assertEquals(b:balance("6900", "9999-12-31"), 50)
    local rows = {}
    for r in inv:tills("2025-03-01", "2025-03-31") do
        rows[#rows + 1] = { r.cashier, r.expected, r.counted, r.difference }
    end
    lu.assertEquals(rows, { { "alice", 6500, 6450, -50 } })
    t.expect_error(bo.ESTATE, inv.till_close, inv, till, "2025-03-02", 6450, "close-2")
end

function TestTills:test_shipment_poll_without_carrier_api()
    local b = self.book
    local s = bo.Sale("2025-03-02", "web")
    s:set_key("s2")
    s:line("A", "S1", 1, 1500)
    s:payment("cash", 1500)
    local sid = b:inv_sale_post(s)
    local ship = b:inv_shipment_add(sid, "NOPOST", "ground", "NP1", "ship-1")
    t.expect_error(bo.ENOTFOUND, b.inventory.shipment_poll, b.inventory, ship)
end

os.exit(lu.LuaUnit.run(), true)
