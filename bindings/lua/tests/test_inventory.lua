-- The inventory domain through the Lua module: stock, FIFO cost, a sale
-- with tax, replay, return, holds, purchasing, counts, shipments, errors.
local lu = require("luaunit")
local bo = require("backoffice")
local t = require("bo_support")

local function fixture(self)
    self.book, self.uri, self.files = t.new_book()
    local b = self.book
    for _, a in ipairs({ { "1200", "Inventory", "asset" }, { "2100", "GRNI", "liability" },
                         { "2200", "VAT", "liability" }, { "5100", "COGS", "expense" },
                         { "5200", "Shrinkage", "expense" } }) do
        b:account_add(a[1], a[2], a[3])
    end
    b:tax_rate_add("VAT20", "VAT", 200000, "2200")
    b:tax_category_add("standard", "Standard", "VAT20")
    for _, kv in ipairs({ { "account.inventory", "1200" }, { "account.cogs", "5100" },
                          { "account.grni", "2100" }, { "account.adjustments", "5200" },
                          { "account.revenue", "4000" }, { "payment.cash", "1000" },
                          { "payment.card", "1100" } }) do
        b:inv_setting_set(kv[1], kv[2])
    end
    b:inv_location_add("S1", "Store", "store", 0)
    b:inv_location_add("WH", "Warehouse", "warehouse", 0)
    b:inv_item_add("A", "Widget", 0, bo.INVENTORY_FIFO, "standard")
    b:inv_item_add("B", "Beans", 3, bo.INVENTORY_AVERAGE)
end

local function teardown(self)
    self.book:close()
    t.cleanup(self.files.path, self.files.base)
end

local function balance(book, account)
    return book:balance(account, "9999-12-31")
end

TestInventory = { setUp = fixture, tearDown = teardown }

function TestInventory:test_fifo_and_stock()
    local b = self.book
    b:inv_receive("A", "S1", 10, 1000, "2025-03-01", nil, "k0")
    b:inv_receive("A", "S1", 5, 600, "2025-03-01", "PO-1", "k1")
    b:inv_issue("A", "S1", 12, "2025-03-02", "damaged", nil, "i1")
    lu.assertEquals(b:inv_stock("A", "S1"), 3)
    lu.assertEquals(math.type(b:inv_stock("A", "S1")), "integer")
    lu.assertEquals(b:inv_available("A", "S1"), 3)
    lu.assertEquals(b:inv_value("A", "S1"), 360)
    lu.assertEquals(balance(b, "5100"), 1240)
    local total = 0
    for _, r in ipairs(t.collect(b:inv_valuation())) do total = total + r.value end
    lu.assertEquals(total, balance(b, "1200"))
    lu.assertEquals(#t.collect(b:inv_layers("A", "S1")), 1)
    lu.assertEquals(#t.collect(b:inv_history("A", "S1", "2025-01-01", "2025-12-31")), 3)
    lu.assertEquals(#t.collect(b:inv_stock_list()), 1)
end

function TestInventory:test_sale_replay_return()
    local b = self.book
    b:inv_receive("A", "S1", 10, 4000, "2025-03-01", nil, "k0")
    local first
    for _ = 1, 3 do
        local sale = bo.Sale("2025-03-02", "till")
        sale:set_key("till-1")
        sale:line("A", "S1", 3, 1200)
        sale:payment("cash", 4000)
        lu.assertEquals(sale:line_count(), 1)
        local id = b:inv_sale_post(sale)
        first = first or id
        lu.assertEquals(id, first)
    end
    lu.assertEquals(b:inv_stock("A", "S1"), 7)
    lu.assertEquals(balance(b, "1000"), 3600)
    lu.assertEquals(t.collect(b:inv_sale_lines(first))[1].tax, 600)
    b:inv_return(first, 1, 3, "2025-03-03", "cash", "ret-1")
    lu.assertEquals(balance(b, "4000"), 0)
    lu.assertEquals(b:inv_stock("A", "S1"), 10)
end

function TestInventory:test_errors_and_quantities()
    local b = self.book
    b:inv_receive("A", "S1", 2, 200, "2025-03-01", nil, "k0")
    t.expect_error(bo.ENOTFOUND, b.inv_receive, b, "NOPE", "S1", 1, 1, "2025-03-01", nil, "k1")
    t.expect_error(bo.EINVAL, b.inv_receive, b, "A", "S1", 0, 1, "2025-03-01", nil, "k2")
    t.expect_error(bo.ESTOCK, b.inv_issue, b, "A", "S1", 3, "2025-03-01", "x", nil, "i1")
    local sale = bo.Sale("2025-03-02")
    sale:set_key("till-1/0001")
    sale:line("A", "S1", 1, 1000)
    sale:payment("card", 999)
    t.expect_error(bo.EPAYMENT, b.inv_sale_post, b, sale)
    t.expect_error(bo.EINVAL, bo.inv_qty_parse, "0.0005", 3)
    lu.assertEquals(bo.inv_qty_parse("1.25", 3), 1250)
    lu.assertEquals(bo.inv_qty_format(1250, 3), "1.250")
end

function TestInventory:test_holds()
    local b = self.book
    b:inv_receive("A", "S1", 5, 500, "2025-03-01", nil, "k0")
    local h = b:inv_hold("A", "S1", 4, "900", "cart-1")
    lu.assertEquals(b:inv_available("A", "S1"), 1)
    t.expect_error(bo.ESTOCK, b.inv_hold, b, "A", "S1", 2, "900")
    local sale = bo.Sale("2025-03-02")
    sale:set_key("web-1")
    sale:line_hold(h, 100)
    sale:payment("cash", 400)
    b:inv_sale_post(sale)
    local h2 = b:inv_hold("A", "S1", 1, "900")
    b:inv_hold_release(h2)
    t.expect_error(bo.ESTATE, b.inv_hold_release, b, h2)
    lu.assertEquals(b:inv_holds_expire(), 0)
    lu.assertEquals(#t.collect(b:inv_holds("A")), 2)
end

function TestInventory:test_purchasing_counts_shipping()
    local b = self.book
    b:party_add("ACME", "Acme", bo.PARTY_VENDOR)
    b:inv_item_update("A", { supplier = "ACME" })
    b:inv_item_barcode_add("A", "400638")
    lu.assertEquals(t.collect(b:inv_item_get("400638"))[1].sku, "A")
    lu.assertEquals(#t.collect(b:inv_items()), 2)
    lu.assertEquals(#t.collect(b:inv_locations()), 2)
    lu.assertEquals(#t.collect(b:inv_settings()), 7)
    b:inv_location_update("WH", { name = "Main warehouse" })
    local po = b:inv_po_add("PO-1", "ACME", "2025-03-01")
    lu.assertEquals(b:inv_po_line(po, "A", "WH", 10, 100, "2025-03-05"), 1)
    b:inv_po_receive(po, 1, 6, "2025-03-05", "grn-1")
    b:inv_landed_cost(po, 60, "2000", "2025-03-06")
    lu.assertEquals(b:inv_value("A", "WH"), 660)
    lu.assertEquals(t.collect(b:inv_po_lines(po))[1].received, 6)
    local tr = b:inv_transfer("A", "WH", "S1", 2, "2025-03-07", 1, nil, "t-1")
    b:inv_transfer_arrive(tr, "2025-03-08")
    b:inv_reorder_set("A", "WH", 5, 20)
    lu.assertEquals(t.collect(b:inv_reorder_suggest())[1].supplier, "ACME")
    b:inv_adjust("A", "WH", -1, -1, "2025-03-08", "broken", "a-1")
    local c = b:inv_count_start("WH", "2025-03-09", "count-1")
    b:inv_count_set(c, "A", 2)
    b:inv_count_post(c, "count-1-post")
    lu.assertEquals(t.collect(b:inv_count_lines(c))[1].variance, -1)
    b:party_add("C-9", "A customer", bo.PARTY_CUSTOMER)
    local sale = bo.Sale("2025-03-10")
    sale:set_inclusive(0)
    sale:set_customer("C-9")
    sale:set_key("web-2")
    sale:line("A", "S1", 1, 500)
    sale:payment("card", 600)
    local sid = b:inv_sale_post(sale)
    local ship = b:inv_shipment_add(sid, "DHL", "express", "JD1", "ship-1")
    b:inv_shipment_status(ship, "shipped", "picked up")
    lu.assertEquals(#t.collect(b:inv_shipment_history(ship)), 2)
    -- The carrier's events: a duplicate records nothing.
    local inv = b.inventory
    lu.assertEquals(inv:shipment_track("DHL", "JD1", "2025-03-11T08:00:00Z", "PU",
                                       "in_transit", "picked up"), 1)
    lu.assertEquals(inv:shipment_track("DHL", "JD1", "2025-03-11T08:00:00Z", "PU",
                                       "in_transit", "picked up"), 0)
    lu.assertEquals(inv:shipment_track("DHL", "JD1", "2025-03-12T10:00:00Z", "OK",
                                       "delivered"), 1)
    local rows = t.collect(inv:shipment_tracking(ship))
    lu.assertEquals(#rows, 2)
    lu.assertEquals(rows[2].code, "OK")
    t.expect_error(bo.ENOTFOUND, inv.shipment_track, inv, "DHL", "NOPE",
                   "2025-03-12T10:00:00Z", "OK", "delivered")
    t.expect_error(bo.EINVAL, inv.shipment_track, inv, "DHL", "JD1", "yesterday", "OK",
                   "delivered")
    t.expect_error(bo.ENOTFOUND, b.inv_stock_row, b, 999999)
end

function TestInventory:test_backdated_receipt_revalues()
    -- a receipt dated before a later issue takes its place in date order
    local b = self.book
    b:inv_receive("A", "S1", 10, 1000, "2025-03-01", nil, "k0")
    b:inv_receive("A", "S1", 10, 1300, "2025-03-10", nil, "k1")
    b:inv_issue("A", "S1", 14, "2025-03-12", "used", nil, "i1")
    lu.assertEquals(balance(b, "5100"), 1520)
    b:inv_receive("A", "S1", 5, 611, "2025-03-05", nil, "k2")
    lu.assertEquals(balance(b, "5100"), 1489)
    lu.assertEquals(b:inv_value("A", "S1"), 1422)
    lu.assertEquals(balance(b, "1200"), 1422)
    b:period_add("2025-03", "2025-03-01", "2025-03-31")
    b:period_add("2025-04", "2025-04-01", "2025-04-30")
    b:inv_issue("A", "S1", 1, "2025-04-02", "used", nil, "i2")
    b:period_close("2025-04")
    local err = t.expect_error(bo.EPERIOD, b.inv_receive, b, "A", "S1", 1, 100, "2025-03-20", nil,
                               "k3")
    lu.assertStrContains(err.message, "'2025-04'")
    lu.assertEquals(b:inv_stock("A", "S1"), 10)
end

os.exit(lu.LuaUnit.run(), true)
