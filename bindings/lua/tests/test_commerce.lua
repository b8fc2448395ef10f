-- Tax rates, categories and parties through the Lua module.
local lu = require("luaunit")
local bo = require("backoffice")
local t = require("bo_support")

TestCommerce = {
    setUp = function(self)
        self.book, self.uri, self.files = t.new_book()
        local b = self.book
        b:account_add("2100", "Tax payable", "liability")
        b:tax_rate_add("VAT20", "VAT 20%", 200000, "2100")
        b:tax_rate_add("GST", "GST", 50000, "2100")
        b:tax_rate_add("QST", "QST", 99750, "2100", nil, bo.TAX_COMPOUND)
        b:tax_category_add("vat", "VAT", "VAT20")
        b:tax_category_add("quebec", "GST then QST", "GST QST")
        b:tax_category_add("exempt", "Exempt")
    end,
    tearDown = function(self)
        self.book:close()
        t.cleanup(self.files.path, self.files.base)
    end,
}

function TestCommerce:test_compute()
    local net, tax = self.book:tax_compute("vat", 1000, 1)
    lu.assertEquals({ net, tax }, { 833, 167 })
    net, tax = self.book:tax_compute("quebec", 10000)
    lu.assertEquals({ net, tax }, { 10000, 1547 })
    t.expect_error(bo.ENOTFOUND, function() return self.book:tax_compute("nope", 1) end)
end

function TestCommerce:test_rate_parse()
    lu.assertEquals(bo.tax_rate_parse("6.25%"), 62500)
    t.expect_error(bo.EINVAL, function() return bo.tax_rate_parse("6.25") end)
end

function TestCommerce:test_lists()
    local codes = {}
    for _, r in ipairs(t.collect(self.book:tax_rates())) do
        codes[#codes + 1] = r.code
    end
    lu.assertEquals(codes, { "GST", "QST", "VAT20" })
    local cats = {}
    for _, c in ipairs(t.collect(self.book:tax_categories())) do
        cats[c.code] = c.rates
    end
    lu.assertEquals(cats, { exempt = "", quebec = "GST QST", vat = "VAT20" })
end

function TestCommerce:test_parties()
    local b = self.book
    b:party_add("ACME", "Acme", bo.PARTY_VENDOR)
    b:party_add("C1", "Cafe", bo.PARTY_CUSTOMER, "EUR")
    b:party_update("ACME", { terms_days = 45 })
    local row = t.collect(b:party_get("ACME"))[1]
    lu.assertEquals(row.terms_days, 45)
    lu.assertEquals(#t.collect(b:parties(bo.PARTY_CUSTOMER)), 1)
    lu.assertEquals(#t.collect(b:parties()), 2)
    t.expect_error(bo.EEXISTS, function() return b:party_add("ACME", "x", 2) end)
    t.expect_error(bo.EINVAL, function() return b:party_update("ACME", { salary = "1" }) end)
    t.expect_error(bo.EINVAL, function() return b:party_update("ACME", {}) end)
end

function TestCommerce:test_access()
    local b = self.book
    b:role_define("none", "audit.read")
    b:role_grant("eve", "none")
    local eve = bo.open(self.uri, { actor = "eve", sync = bo.SYNC_OFF })
    local calls = {
        function() return eve:tax_rates() end,
        function() return eve:tax_categories() end,
        function() return eve:tax_compute("vat", 1) end,
        function() return eve:tax_rate_add("X", "x", 1, "2100") end,
        function() return eve:tax_category_add("x", "x") end,
        function() return eve:party_add("X", "x", 1) end,
        function() return eve:party_update("X", { name = "x" }) end,
        function() return eve:party_get("X") end,
        function() return eve:parties() end,
    }
    for _, call in ipairs(calls) do
        t.expect_error(bo.EDENIED, call)
    end
    eve:close()
end

os.exit(lu.LuaUnit.run())
