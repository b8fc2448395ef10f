-- The limits of the input readers through the Lua module: a rule pack
-- nested too deep, a 100,000-level one, a bank statement nested 100,000
-- deep and a CSV mapping nested too deep raise ELIMIT naming the position,
-- and change nothing.
local lu = require("luaunit")
local bo = require("backoffice")
local t = require("bo_support")

local HEAD = 'pack: t\ncurrency: USD\naccounts:\n  net_pay: "2100"\n'

-- A one-component pack whose expression is on line 9 from column 12.
local function pack(expr)
    return HEAD .. 'components:\n  - name: x\n    kind: earning\n'
        .. '    account: "5000"\n    expr: "' .. expr .. '"\n'
end

local function nested(levels, inner)
    return string.rep("(", levels) .. (inner or "base_salary") .. string.rep(")", levels)
end

TestTrustLimits = {
    setUp = function(self)
        self.book, self.uri, self.files = t.new_book()
    end,
    tearDown = function(self)
        self.book:close()
        t.cleanup(self.files.path, self.files.base)
    end,
}

function TestTrustLimits:test_deep_pack_check()
    local deep = pack(nested(bo.PAYROLL_EXPR_DEPTH_MAX + 1))
    local err = t.expect_error(bo.ELIMIT, function()
        return bo.pay_pack_check(deep, "t.yaml")
    end)
    lu.assertStrContains(err.message, string.format(
        "t.yaml:9:%d: component 'x': the expression nests deeper than 64 levels",
        12 + bo.PAYROLL_EXPR_DEPTH_MAX))
    err = t.expect_error(bo.ELIMIT, function()
        return bo.pay_pack_check(pack(string.rep("-", 30000) .. "1"), "t.yaml")
    end)
    lu.assertStrContains(err.message, "t.yaml:9:12: component 'x': the expression is 30001 bytes")
    bo.pay_pack_check(pack(nested(bo.PAYROLL_EXPR_DEPTH_MAX)), "t.yaml")
end

function TestTrustLimits:test_deep_pack_load_changes_nothing()
    local b = self.book
    b:pay_pack_load(pack("base_salary * 2"), "t.yaml")
    local before = t.collect(b:pay_packs())
    for _, expr in ipairs({ nested(bo.PAYROLL_EXPR_DEPTH_MAX + 1), nested(100000),
                            "1" .. string.rep(" + 1", 200000) }) do
        local err = t.expect_error(bo.ELIMIT, function()
            return b:pay_pack_load(pack(expr), "t.yaml")
        end)
        lu.assertStrContains(err.message, "t.yaml:9:")
        lu.assertEquals(t.collect(b:pay_packs()), before)
    end
    lu.assertEquals(b:pay_pack_eval("t", "base_salary=10", "x"), 20)
end

function TestTrustLimits:test_deep_statements()
    local b = self.book
    local err = t.expect_error(bo.ELIMIT, function()
        return b:bank_import("1100", "camt053",
                             string.rep("<a>\n", 100000) .. string.rep("</a>\n", 100000))
    end)
    lu.assertStrContains(err.message, "line 33, column 1: elements nested deeper than 32 levels")
    err = t.expect_error(bo.ELIMIT, function()
        return b:bank_import("1100", "csv", "2026-03-02,1.00\n",
                             string.rep("[", 100000) .. string.rep("]", 100000))
    end)
    lu.assertStrContains(err.message, "mapping:1:65: nesting deeper than 64 levels")
    lu.assertEquals(#t.collect(b:bank_statements("1100")), 0)
end

os.exit(lu.LuaUnit.run(), true)
