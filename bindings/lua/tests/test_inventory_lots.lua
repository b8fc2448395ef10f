-- Lots, expiry and serial numbers, and GS1 barcodes through the Lua
-- module: milk by lot (first expired first out, an expired lot refused,
-- a recall), a phone by serial (a second sale refused), GS1 strings.
local lu = require("luaunit")
local bo = require("backoffice")
local t = require("bo_support")

local function fixture(self)
    self.book, self.uri, self.files = t.new_book()
    local b = self.book
    for _, a in ipairs({ { "1200", "Inventory", "asset" }, { "2100", "GRNI", "liability" },
                         { "5100", "COGS", "expense" }, { "5200", "Shrinkage", "expense" } }) do
        b:account_add(a[1], a[2], a[3])
    end
    for _, kv in ipairs({ { "account.inventory", "1200" }, { "account.cogs", "5100" },
                          { "account.grni", "2100" }, { "account.adjustments", "5200" },
                          { "account.revenue", "4000" }, { "payment.cash", "1000" } }) do
        b:inv_setting_set(kv[1], kv[2])
    end
    b:inv_location_add("S1", "Store", "store", 0)
    b:inv_location_add("WH", "Warehouse", "warehouse", 0)
    b:party_add("ANNA", "Anna Berg", bo.PARTY_CUSTOMER)
    local inv = b.inventory
    inv:item_add("MILK", "Milk 1 l", 0, bo.INVENTORY_FIFO)
    inv:track_set("MILK", bo.INVENTORY_TRACK_LOT)
    inv:item_add("PHONE", "Phone", 0, bo.INVENTORY_FIFO)
    inv:track_set("PHONE", bo.INVENTORY_TRACK_SERIAL)
end

local function teardown(self)
    self.book:close()
    t.cleanup(self.files.path, self.files.base)
end

local function sale(sku, qty, date, key, customer)
    local s = bo.Sale(date, "till")
    s:set_key(key)
    if customer then s:set_customer(customer) end
    s:line(sku, "S1", qty, 100)
    s:payment("cash", 100 * qty)
    return s
end

TestLots = { setUp = fixture, tearDown = teardown }

function TestLots:test_milk_by_lot()
    local inv = self.book.inventory
    lu.assertEquals(inv:track_get("MILK"), bo.INVENTORY_TRACK_LOT)
    inv:receive_picked("MILK", "S1", 10, 1000, "2026-02-20", "A", "2026-03-10", nil, nil, "r1")
    inv:receive_picked("MILK", "S1", 5, 500, "2026-02-21", "B", "2026-03-05", nil, nil, "r2")
    inv:receive_picked("MILK", "S1", 3, 300, "2026-02-18", "D", "2026-03-01", nil, nil, "r3")
    local id = inv:sale_post_picked(sale("MILK", 7, "2026-03-03", "s1", "ANNA"))
    lu.assertEquals(inv:lot_stock("MILK", "B", "S1"), 0)
    lu.assertEquals(inv:lot_stock("MILK", "A", "S1"), 8)
    t.expect_error(bo.EEXPIRED, inv.sale_post_picked, inv, sale("MILK", 1, "2026-03-03", "s2"), "1=D")
    lu.assertEquals(inv:lot_stock("MILK", "D", "S1"), 3)
    local lots = {}
    for r in inv:lots("MILK") do lots[#lots + 1] = r.lot end
    lu.assertEquals(lots, { "D", "A" })
    lu.assertEquals(inv:expiring_value(bo.date_parse("2026-03-03"), 7), 1100)
    local n = 0
    for r in inv:expiring(bo.date_parse("2026-03-03"), 7) do n = n + 1 end
    lu.assertEquals(n, 2)
    for r in inv:lot_recall("MILK", "A") do
        lu.assertEquals(r.sale, id)
        lu.assertEquals(r.customer, "ANNA")
        lu.assertEquals(r.qty, 2)
    end
    inv:transfer_picked("MILK", "S1", "WH", 2, "2026-03-03", "A", 0, nil, "t1")
    lu.assertEquals(inv:lot_stock("MILK", "A", "WH"), 2)
    inv:issue_picked("MILK", "S1", 3, "2026-03-04", "expired", "D", nil, "i1")
    inv:adjust_picked("MILK", "WH", -1, 0, "2026-03-04", "broken", nil, "a1")
    lu.assertEquals(inv:lot_stock("MILK", "A", "WH"), 1)
    t.expect_error(bo.EINVAL, self.book.inv_receive, self.book, "MILK", "S1", 1, 100,
                   "2026-03-04", nil, "r9")
end

function TestLots:test_phone_by_serial()
    local inv = self.book.inventory
    inv:receive_picked("PHONE", "S1", 2, 80000, "2026-03-01", "SN1,SN2", nil, nil, nil, "r1")
    inv:sale_post_picked(sale("PHONE", 1, "2026-03-02", "s1"), "1=SN1")
    t.expect_error(bo.ESERIAL, inv.sale_post_picked, inv, sale("PHONE", 1, "2026-03-03", "s2"),
                   "1=SN1")
    lu.assertEquals(inv:stock("PHONE", "S1"), 1)
    local kinds = {}
    for r in inv:serial_history("PHONE", "SN1") do kinds[#kinds + 1] = r.kind end
    lu.assertEquals(kinds, { "receive", "sale" })
    for r in inv:serials("PHONE") do
        if r.serial == "SN2" then lu.assertEquals(r.location, "S1") end
    end
end

function TestLots:test_purchase_order_by_lot_and_case()
    local b = self.book
    local inv = b.inventory
    b:party_add("DAIRY", "Dairy Co", bo.PARTY_VENDOR)
    inv:unit_set("MILK", "case", 12, 1)
    local po = inv:po_add("P1", "DAIRY", "2026-03-01")
    lu.assertEquals(inv:po_line_unit(po, "MILK", "S1", 3, "case", 1200, "2026-03-02"), 1)
    t.expect_error(bo.EUNIT, inv.po_line_unit, inv, po, "MILK", "S1", 1, "crate", 100,
                   "2026-03-02")
    t.expect_error(bo.EINVAL, inv.po_receive, inv, po, 1, 1, "2026-03-02", "g0")
    inv:po_receive_picked(po, 1, 2, "2026-03-02", "A:18,B:6", "2026-03-10", nil, "g1")
    lu.assertEquals(inv:lot_stock("MILK", "A", "S1"), 18)
    lu.assertEquals(inv:lot_stock("MILK", "B", "S1"), 6)
    lu.assertEquals(inv:value("MILK", "S1"), 2400)
    local line = t.collect(inv:po_lines(po))[1]
    lu.assertEquals({ line.received, line.unit }, { 2, "case" })
    t.expect_error(bo.EINVAL, inv.po_receive_picked, inv, po, 1, 1, "2026-03-03", "C:10",
                   nil, nil, "g2")
    lu.assertEquals(inv:stock("MILK", "S1"), 24)
end

function TestLots:test_hold_of_a_lot()
    local inv = self.book.inventory
    inv:receive_picked("MILK", "S1", 10, 1000, "2026-10-02", "A", "2099-01-10", nil, nil, "r1")
    inv:receive_picked("MILK", "S1", 10, 1000, "2026-10-03", "B", "2099-01-20", nil, nil, "r2")
    local h = inv:hold_lot("MILK", "S1", 4, "900", nil, "h1")
    lu.assertEquals(t.collect(inv:holds("MILK"))[1].lot, "A")
    t.expect_error(bo.ESTOCK, inv.hold_lot, inv, "MILK", "S1", 7, "900", "A")
    t.expect_error(bo.ESTOCK, inv.sale_post_picked, inv, sale("MILK", 7, "2026-12-20", "s1"),
                   "1=A")
    lu.assertEquals(inv:lot_stock("MILK", "A", "S1"), 10)
    inv:hold_release(h)
    inv:sale_post_picked(sale("MILK", 7, "2026-12-20", "s2"), "1=A")
    lu.assertEquals(inv:lot_stock("MILK", "A", "S1"), 3)
end

function TestLots:test_gs1()
    local raw = "]C10109506000134352172612001" .. "0LOT42\29" .. "21SN7"
    lu.assertEquals(bo.gs1_normalize(raw), "(01)09506000134352(17)261200(10)LOT42(21)SN7")
    lu.assertEquals(bo.gs1_get(raw, "21"), "SN7")
    lu.assertEquals(bo.gs1_expiry(raw), bo.date_parse("2026-12-31"))
    local v, d = bo.gs1_net_weight("(3103)001250")
    lu.assertEquals({ v, d }, { 1250, 3 })
    local item, value = bo.gs1_variable_measure("2012345012509", nil)
    lu.assertEquals({ item, value }, { "2012345", 1250 })
    t.expect_error(bo.EBARCODE, bo.gs1_normalize, "(01)09506000134352(17)2612")
    t.expect_error(bo.ECHECKDIGIT, bo.gs1_get, "(01)09506000134353", "01")
end

os.exit(lu.LuaUnit.run(), true)
