-- Units of measure, price lists and promotions through the Lua module:
-- coffee kept in kg, bought by the bag, sold by the 100 g; a remainder and a
-- unit the item lacks refused (EUNIT); a price list with a quantity break
-- stacked with buy-two-get-one and 10% off; coupons; the sale's lines show
-- what priced them.
local lu = require("luaunit")
local bo = require("backoffice")
local t = require("bo_support")

local function fixture(self)
    self.book, self.uri, self.files = t.new_book()
    local b = self.book
    for _, a in ipairs({ { "1200", "Inventory", "asset" }, { "2100", "GRNI", "liability" },
                         { "5100", "COGS", "expense" } }) do
        b:account_add(a[1], a[2], a[3])
    end
    for _, kv in ipairs({ { "account.inventory", "1200" }, { "account.cogs", "5100" },
                          { "account.grni", "2100" }, { "account.adjustments", "5100" },
                          { "account.revenue", "4000" }, { "payment.cash", "1000" } }) do
        b:inv_setting_set(kv[1], kv[2])
    end
    b:inv_location_add("S1", "Store", "store", 0)
    b:inv_item_add("COFFEE", "Coffee", 3, bo.INVENTORY_FIFO)
    b:inv_item_update("COFFEE", { unit = "kg" })
    b.inventory:unit_set("COFFEE", "bag", 1, 1)
    b:inv_unit_set("COFFEE", "100g", 1, 10, 450)
    b:inv_receive_unit("COFFEE", "S1", 2000, "bag", 3000, "2026-03-01", nil, "r1")
end

local function teardown(self)
    self.book:close()
    t.cleanup(self.files.path, self.files.base)
end

TestPricing = { setUp = fixture, tearDown = teardown }

function TestPricing:test_units()
    local b = self.book
    lu.assertEquals(b:inv_stock("COFFEE", "S1"), 2000)
    lu.assertEquals(b:inv_unit_convert("COFFEE", "100g", nil, 2500), 250)
    lu.assertEquals(b.inventory:unit_convert("COFFEE", nil, "100g", 250), 2500)
    local n = 0
    for _ in b:inv_units("COFFEE") do n = n + 1 end
    lu.assertEquals(n, 2)
    t.expect_error(bo.EUNIT, b.inv_unit_convert, b, "COFFEE", "lb", nil, 1000)
    t.expect_error(bo.EUNIT, b.inv_unit_convert, b, "COFFEE", "100g", nil, 1)
end

function TestPricing:test_list_and_promotions()
    local b = self.book
    b:inv_pricelist_add("RETAIL", nil, nil, "2026-01-01", "2026-12-31")
    b:inv_pricelist_price("RETAIL", "COFFEE", "100g", 0, 420)
    b.inventory:pricelist_price("RETAIL", "COFFEE", "100g", 5000, 400)
    t.expect_error(bo.EEXISTS, b.inv_pricelist_add, b, "OTHER", nil, nil, "2026-06-01",
                   "2027-01-01")
    b:party_add("BOB", "Bob", bo.PARTY_CUSTOMER)
    b:inv_customer_group_set("BOB", "vip")
    b:inv_promotion_set("B2G1", "buy_get", "COFFEE", 0, 2, 1)
    b.inventory:promotion_set("TEN", "percent", "COFFEE", 1000)
    b:inv_promotion_set("OLD", "amount", nil, 100, 0, 0, nil, "HELLO", nil, "2026-06-30")
    local n = 0
    for _ in b:inv_promotions() do n = n + 1 end
    lu.assertEquals(n, 3)
    n = 0
    for _ in b:inv_pricelists() do n = n + 1 end
    lu.assertEquals(n, 2)
    local sale = bo.Sale("2026-12-06")
    sale:set_key("t/1")
    sale:line_unit("COFFEE", "S1", 6000, "100g")
    sale:set_coupon("HELLO")
    sale:payment("cash", 1440)
    t.expect_error(bo.EEXPIRED, b.inv_sale_post, b, sale)
    sale:set_coupon(nil)
    local sid = b:inv_sale_post(sale)
    n = 0
    for row in b:inv_sale_lines(sid) do
        n = n + 1
        lu.assertEquals(row.qty, 600)
        lu.assertEquals(row.net, 1440)
        lu.assertEquals(row.price_list, "RETAIL")
        lu.assertEquals(row.price_list_version, 3)
        lu.assertEquals(row.promotions, "B2G1@v1:-800;TEN@v1:-160")
    end
    lu.assertEquals(n, 1)
    lu.assertEquals(bo.SALE_PRICE_AUTO, -1)
end

os.exit(lu.LuaUnit.run(), true)
