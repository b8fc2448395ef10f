-- The module feels like Lua (issue 14, item 10): one object per domain on
-- the book (book.ledger:post(e)), enumerations by name, optional arguments,
-- Book.from_yaml as a class function, errors with their code.
local lu = require("luaunit")
local bo = require("backoffice")
local t = require("bo_support")

--- The rows of bindings/domains.txt: {funcs, domain, method, flat}.
local function domain_table()
    local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
    local rows = {}
    for line in io.lines(here .. "/../../domains.txt") do
        line = line:gsub("#.*", "")
        local funcs, domain, method, flat = line:match("^(%S+)%s+(%S+)%s+(%S+)%s+(%S+)")
        if funcs then
            rows[#rows + 1] = { funcs = funcs, domain = domain, method = method, flat = flat }
        end
    end
    return rows
end

TestNative = {
    setUp = function(self)
        self.book, self.uri, self.files = t.new_book()
    end,
    tearDown = function(self)
        self.book:close()
        t.cleanup(self.files.path, self.files.base)
    end,
}

-- native_domains: every line of the table is a method of its domain object.
function TestNative:test_native_domains_reach_every_method()
    local rows = domain_table()
    lu.assertTrue(#rows > 170)
    lu.assertEquals(bo.DOMAINS, { "approvals", "audit", "billing", "commerce", "documents",
                                  "feed", "inventory", "ledger", "payroll", "people",
                                  "reports", "security", "sync" })
    local seen = {}
    for _, row in ipairs(rows) do
        local obj = self.book[row.domain]
        lu.assertEquals(type(obj), "table", row.domain)
        lu.assertIs(obj.book, self.book)
        lu.assertEquals(type(obj[row.method]), "function", row.domain .. "." .. row.method)
        lu.assertEquals(type(self.book[row.flat]), "function", row.flat) -- 0.2 name
        seen[row.domain] = true
    end
    for _, d in ipairs(bo.DOMAINS) do
        lu.assertTrue(seen[d], d)
    end
    lu.assertStrContains(tostring(self.book.ledger), "backoffice.Ledger of backoffice.Book(")
end

function TestNative:test_native_domains_call_the_library()
    local b = self.book
    local id = b.ledger:post(t.entry("2026-01-15", { { "1000", 7 }, { "4000", -7 } }))
    lu.assertEquals(b.ledger:balance("1000", "2026-01-31"), 7)
    lu.assertEquals(b.ledger.balance(b.ledger, "1000", "2026-01-31"), 7)
    lu.assertEquals(t.collect(b.ledger:entry(id))[1].entry, id)
    b.commerce:party_add("C1", "Customer", "customer")
    lu.assertEquals(t.collect(b.commerce:party_get("C1"))[1].code, "C1")
    b.inventory:location_add("S1", "Store")
    lu.assertEquals(t.collect(b.inventory:locations())[1].code, "S1")
    b.billing:series_add("INV", "INV-")
    lu.assertEquals(#t.collect(b.billing:series()), 1)
    b.payroll:employee_add("E1", "Erin", "2026-01-01")
    lu.assertEquals(t.collect(b.payroll:employee_get("E1"))[1].number, "E1")
    b.documents:type_add("memo")
    local seq, digest = b.audit:head()
    lu.assertTrue(seq > 0)
    lu.assertEquals(#digest, 64)
    lu.assertTrue(b.security:actor_can("ledger.post"))
    local err = t.expect_error(bo.ENOTFOUND, b.ledger.account_close, b.ledger, "9999")
    lu.assertStrContains(err.message, "9999")
    -- the flat names of 0.2 keep working
    lu.assertEquals(b:balance("1000", "2026-01-31"), 7)
end

-- native_enum_names: constants or names; a bad name names the parameter.
function TestNative:test_native_enum_names()
    local b = self.book
    b.commerce:party_add("C1", "Customer", "customer")
    b.commerce:party_add("V1", "Vendor", bo.PARTY_VENDOR)
    b.commerce:party_add("B1", "Both", "customer|vendor")
    lu.assertEquals(t.collect(b.commerce:party_get("B1"))[1].roles,
                    bo.PARTY_CUSTOMER | bo.PARTY_VENDOR)
    local codes = {}
    for row in b.commerce:parties("vendor"):rows() do
        codes[#codes + 1] = row.code
    end
    lu.assertEquals(codes, { "B1", "V1" })
    b.inventory:item_add("AVG", "Averaged", 0, "average")
    b.inventory:item_add("FIFO", "First in", 0, bo.INVENTORY_FIFO)
    bo.Invoice("sales", "C1", "2026-01-15")
    bo.Payment("made", "V1", "2026-01-15", 100, nil, "1100")
    lu.assertEquals(t.collect(b.billing:aging("receivable", "2026-01-31")), {})
    lu.assertEquals(bo.money_muldiv(10, 1, 4, "half_up"), 3)
    lu.assertEquals(bo.money_muldiv(10, 1, 4, bo.ROUND_HALF_EVEN), 2)
    local other <close> = bo.open(self.uri, { actor = "alice", sync = "off" })
    lu.assertEquals(other:actor(), "alice")

    local cases = {
        { function() b.commerce:party_add("C9", "x", "client") end, "roles", "customer, vendor" },
        { function() b.inventory:item_add("S9", "x", 0, "lifo") end, "method", "fifo, average" },
        { function() bo.Invoice("made", "C1", "2026-01-15") end, "kind", "sales_credit" },
        { function() bo.Payment("sales", "C1", "2026-01-15", 1, nil, "1100") end, "kind",
          "received, made" },
        { function() b.billing:aging("owed", "2026-01-31") end, "side", "receivable, payable" },
        { function() bo.Book(self.uri, "alice", false, nil, "sometimes") end, "sync",
          "full, normal, off" },
        { function() bo.money_muldiv(10, 1, 4, "nearest") end, "mode", "half_even, half_up" },
    }
    for _, c in ipairs(cases) do
        local err = t.expect_error(bo.EINVAL, c[1])
        lu.assertStrContains(err.message, c[2] .. ": unknown name")
        lu.assertStrContains(err.message, c[3])
    end
    lu.assertEquals(#t.collect(b.commerce:parties()), 3)
end

-- native_optional_args: what C takes as NULL/none may be left out.
function TestNative:test_native_optional_arguments()
    local b = self.book
    b.ledger:post(t.entry("2026-01-15", { { "1000", 7 }, { "4000", -7 } }))
    b.ledger:post(t.entry("2026-02-15", { { "1100", 3 }, { "4000", -3 } }))
    lu.assertEquals(#t.collect(b.ledger:journal()), 4)
    lu.assertEquals(#t.collect(b.ledger:journal("4000")), 2)
    lu.assertEquals(#t.collect(b.ledger:journal("4000", "2026-02-01")), 1)
    -- an optional date left out in the middle is nil (or bo.DATE_MIN)
    lu.assertEquals(#t.collect(b.ledger:journal(nil, nil, "2026-01-31")), 2)
    lu.assertEquals(#t.collect(b.ledger:journal(nil, bo.DATE_MIN, "2026-01-31")), 2)
    lu.assertEquals(#t.collect(b.ledger:journal("4000", "2026-02-01", nil)), 1)
    -- a required date is never nil
    local ok, err = pcall(b.ledger.trial_balance, b.ledger, nil)
    lu.assertFalse(ok)
    lu.assertStrContains(tostring(err), "bo_date")
    b.ledger:account_add("1200", "Inventory", "asset")
    b.ledger:account_add("2100", "GRNI", "liability")
    b.inventory:setting_set("account.inventory", "1200")
    b.inventory:setting_set("account.grni", "2100")
    b.inventory:location_add("S1", "Store")
    b.inventory:item_add("A", "Widget")
    b.inventory:receive("A", "S1", 10, 1000, "2026-01-10", nil, "r1")
    lu.assertEquals(#t.collect(b.inventory:history()), 1)
    lu.assertEquals(#t.collect(b.inventory:history("A", "S1")), 1)
    lu.assertEquals(#t.collect(b.inventory:history(nil, nil, "2026-02-01")), 0)
    b.commerce:party_add("C1", "Customer", "customer")
    b.commerce:party_update("C1", { email = "c@example.com" })
    b.commerce:party_update("C1", { email = "" })
    lu.assertNil(t.collect(b.commerce:party_get("C1"))[1].email)
    b.payroll:employee_add("E1", "Erin", "2026-01-01")
    lu.assertEquals(t.collect(b.payroll:time("E1")), {})
end

-- native_flat_names_warn: a flat name of 0.2 still works and says once,
-- through the Lua warning system, which call replaces it; the domain method
-- says nothing. A fresh interpreter with warnings on (lua -W), as a host
-- would run it.
function TestNative:test_native_flat_names_warn_once()
    local lua = arg and arg[-1] or "lua5.4"
    local script = table.concat({
        'local bo = require("backoffice")',
        'local t = require("bo_support")',
        'local b, uri, files = t.new_book()',
        'io.stderr:write("domain\\n")',
        'b.ledger:year_closings()',
        'io.stderr:write("flat\\n")',
        'b:year_closings()',
        'b:year_closings()',
        'b:close()',
        't.cleanup(files.path, files.base)',
    }, " ")
    local p = assert(io.popen(string.format("%s -W -e %q 2>&1", lua, script)))
    local out = p:read("a")
    local ok = p:close()
    lu.assertTrue(ok, out)
    local after_domain = out:match("domain\n(.*)$")
    lu.assertNotNil(after_domain, out)
    local between, rest = after_domain:match("^(.*)flat\n(.*)$")
    lu.assertEquals(between, "")
    lu.assertEquals(rest, "Lua warning: backoffice: Book:year_closings() is deprecated: " ..
                          "use book.ledger:year_closings()\n")
end

-- native_from_yaml: Book.from_yaml and Book.from_yaml_string are class
-- functions (called with a dot, no book needed).
function TestNative:test_native_from_yaml_class_function()
    local yaml = "book:\n  name: Shop\n  base_currency: EUR\naccounts:\n" ..
                 "  - {code: \"1000\", name: Cash, type: asset}\n"
    local path, base = t.temp_path()
    local book <close> = bo.Book.from_yaml_string(yaml, "sqlite:" .. path, "owner", "off")
    lu.assertEquals(book:base_currency(), "EUR")
    lu.assertEquals(t.collect(book.ledger:accounts())[1].code, "1000")
    lu.assertEquals(tostring(book):sub(1, 31), "backoffice.Book(name=\"Shop\", ur")
    book:close()
    lu.assertEquals(tostring(book), "backoffice.Book (closed)")
    t.cleanup(path, base)
    local ypath = os.tmpname()
    local f = assert(io.open(ypath, "w"))
    f:write(yaml)
    f:close()
    local path2, base2 = t.temp_path()
    local book2 <close> = bo.Book.from_yaml(ypath, "sqlite:" .. path2, "owner", "off")
    lu.assertEquals(book2:name(), "Shop")
    book2:close()
    os.remove(ypath)
    t.cleanup(path2, base2)
    lu.assertEquals(type(bo.Book.from_yaml), "function")
end

os.exit(lu.LuaUnit.run(), true)
