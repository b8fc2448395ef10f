-- Module functions and exact int64 arithmetic through the Lua module.
local lu = require("luaunit")
local bo = require("backoffice")
local t = require("bo_support")

local TWO53 = 1 << 53

TestMoney = {}

function TestMoney:test_int64_exact()
    local v = bo.money_add(TWO53, 1)
    lu.assertEquals(math.type(v), "integer")
    lu.assertEquals(v, TWO53 + 1)
    lu.assertNotEquals(v, TWO53) -- a double would have rounded it
    lu.assertEquals(bo.money_add(math.maxinteger, 0), math.maxinteger)
    lu.assertEquals(bo.money_sub(math.mininteger + 1, 1), math.mininteger)
    lu.assertEquals(bo.money_neg(-math.maxinteger), math.maxinteger)
end

function TestMoney:test_overflow_raises()
    t.expect_error(bo.EOVERFLOW, bo.money_add, math.maxinteger, 1)
    t.expect_error(bo.EOVERFLOW, bo.money_neg, math.mininteger)
    t.expect_error(bo.EOVERFLOW, bo.money_muldiv, math.maxinteger, 2, 1, bo.ROUND_HALF_EVEN)
    -- Numbers that are not exact integers never reach the library.
    t.expect_error(bo.EINVAL, bo.money_add, 2^63, 0)
    t.expect_error(bo.EINVAL, bo.money_add, 1.5, 0)
    lu.assertFalse(pcall(bo.money_add, "x", 0))
end

function TestMoney:test_split()
    lu.assertEquals(bo.money_split(100, { 1, 1, 1 }), { 34, 33, 33 })
    lu.assertEquals(bo.money_split(-100, { 1, 1, 1 }), { -34, -33, -33 })
    local parts, sum = bo.money_split(1001, { 5, 3, 2 }), 0
    for _, p in ipairs(parts) do
        sum = sum + p
    end
    lu.assertEquals(sum, 1001)
    lu.assertEquals(bo.money_split(math.maxinteger, { 1, 1 }),
                    { math.maxinteger // 2 + 1, math.maxinteger // 2 })
    t.expect_error(bo.EINVAL, bo.money_split, 100, {})
    t.expect_error(bo.EINVAL, bo.money_split, 100, { 0, 0 })
    t.expect_error(bo.EINVAL, bo.money_split, 100, { 1, -1 })
    lu.assertFalse(pcall(bo.money_split, 100, 3))
end

function TestMoney:test_rounding_parse_format()
    lu.assertEquals(bo.money_muldiv(1005, 1, 10, bo.ROUND_HALF_EVEN), 100)
    lu.assertEquals(bo.money_muldiv(1005, 1, 10, bo.ROUND_HALF_UP), 101)
    lu.assertEquals(bo.money_rescale(125, 2, 1, bo.ROUND_HALF_EVEN), 12)
    lu.assertEquals(bo.money_parse("-1234.50", "USD"), -123450)
    lu.assertEquals(bo.money_format(-123450, "USD"), "-1234.50")
    lu.assertEquals(bo.money_format(math.maxinteger, "USD"), "92233720368547758.07")
    t.expect_error(bo.EINVAL, bo.money_parse, "1.234", "USD")
    lu.assertEquals(bo.currency_exponent("JPY"), 0)
    t.expect_error(bo.ECURRENCY, bo.currency_exponent, "??")
end

function TestMoney:test_dates()
    local day = bo.date_parse("2026-01-31")
    lu.assertEquals(bo.date_format(day), "2026-01-31")
    lu.assertEquals({ bo.date_to_ymd(day) }, { 2026, 1, 31 })
    lu.assertEquals(bo.date_format(bo.date_add_months(day, 1)), "2026-02-28")
    lu.assertEquals(bo.date_from_ymd(1, 1, 1), bo.DATE_MIN)
    lu.assertEquals(math.type(bo.date_today()), "integer")
    t.expect_error(bo.EINVAL, bo.date_from_ymd, 2026, 2, 29)
end

function TestMoney:test_error_values()
    lu.assertEquals(bo.EUNBALANCED, -7)
    lu.assertEquals(math.type(bo.EUNBALANCED), "integer")
    lu.assertEquals(bo.account_type_parse("income"), bo.ACCOUNT_INCOME)
    lu.assertEquals(bo.account_type_name(bo.ACCOUNT_ASSET), "asset")
    lu.assertIsNil(bo.account_type_name(99))
    t.expect_error(bo.EINVAL, bo.account_type_parse, "gizmo")
    lu.assertEquals(bo.error_code_last(), bo.EINVAL)
end

TestLedgerInt64 = {
    setUp = function(self) self.book, self.uri, self.files = t.new_book() end,
    tearDown = function(self)
        self.book:close()
        t.cleanup(self.files.path, self.files.base)
    end,
}

function TestLedgerInt64:test_balances_are_exact()
    t.sale(self.book, TWO53 + 1)
    lu.assertEquals(self.book:balance("1000", "2026-12-31"), TWO53 + 1)
    lu.assertEquals(self.book:balance("4000", "2026-12-31"), -(TWO53 + 1))
    for row in self.book:trial_balance("2026-12-31"):rows() do
        if row.code == "1000" then
            lu.assertEquals(row.debit, TWO53 + 1)
        end
    end
end

function TestLedgerInt64:test_maxinteger_and_overflow()
    local max = math.maxinteger
    self.book:post(t.entry("2026-01-15", { { "1100", max }, { "3000", -max } }))
    lu.assertEquals(self.book:balance("1100", "2026-12-31"), max)
    lu.assertEquals(self.book:balance("3000", "2026-12-31"), -max)
    -- One more unit is refused when posting or when summing, never wrapped.
    local ok, err = pcall(self.book.post, self.book,
                          t.entry("2026-01-16", { { "1100", 1 }, { "3000", -1 } }))
    if ok then
        t.expect_error(bo.EOVERFLOW, self.book.balance, self.book, "1100", "2026-12-31")
    else
        lu.assertEquals(err.code, bo.EOVERFLOW)
        lu.assertEquals(self.book:balance("1100", "2026-12-31"), max)
    end
end

os.exit(lu.LuaUnit.run(), true)
