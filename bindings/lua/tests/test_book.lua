-- Book, Entry and Cursor through the Lua module.
local lu = require("luaunit")
local bo = require("backoffice")
local t = require("bo_support")

local YAML = [[
book:
  name: Corner shop
  base_currency: EUR
accounts:
  - {code: "1000", name: Cash, type: asset}
  - {code: "4000", name: Sales, type: income}
]]

local function fixture(self)
    self.book, self.uri, self.files = t.new_book()
end

local function teardown(self)
    self.book:close()
    t.cleanup(self.files.path, self.files.base)
end

TestOpen = { setUp = fixture, tearDown = teardown }

function TestOpen:test_reopen_sees_the_chart()
    local again <close> = bo.Book(self.uri, "alice")
    local codes = {}
    for row in again:accounts() do
        codes[#codes + 1] = row.code
    end
    lu.assertEquals(codes, { "1000", "1100", "2000", "3000", "4000", "5000" })
    lu.assertEquals(again:base_currency(), "USD")
    lu.assertEquals(again:actor(), "alice")
    lu.assertEquals(again:uri(), self.uri)
    lu.assertEquals(math.type(again:depth()), "integer")
end

function TestOpen:test_missing_book_without_create()
    local path, base = t.temp_path()
    t.expect_error(bo.ENOTFOUND, bo.open, "sqlite:" .. path, { actor = "alice" })
    t.cleanup(path, base)
end

function TestOpen:test_closed_book_raises_state_error()
    local book = bo.Book(self.uri, "alice")
    book:close()
    t.expect_error(bo.ESTATE, book.balance, book, "1000", "2026-12-31")
    book:close()
end

function TestOpen:test_close_variable()
    local outer
    do
        local book <close> = bo.Book(self.uri, "alice")
        outer = book
        lu.assertEquals(book:depth(), 0)
    end
    t.expect_error(bo.ESTATE, outer.depth, outer)
end

function TestOpen:test_versions()
    lu.assertEquals(bo.version_number(), bo.VERSION_NUMBER)
    lu.assertEquals(bo.version(), string.format("%d.%d.%d", bo.VERSION_MAJOR,
                                               bo.VERSION_MINOR, bo.VERSION_PATCH))
    lu.assertTrue(bo.schema_version() > 0)
end

TestChart = { setUp = fixture, tearDown = teardown }

function TestChart:test_accounts_rows()
    local rows = t.collect(self.book:accounts())
    lu.assertEquals(#rows, 6)
    lu.assertEquals(rows[1], { code = "1000", name = "Cash", type = "asset",
                               currency = "USD", closed = 0 })
    lu.assertEquals(math.type(rows[1].closed), "integer")
end

function TestChart:test_sub_account_and_duplicate()
    self.book:account_add("4010", "Online sales", "income", "4000")
    local parents = {}
    for row in self.book:accounts() do
        parents[row.code] = row.parent or false
    end
    lu.assertEquals(parents["4010"], "4000")
    t.expect_error(bo.EEXISTS, self.book.account_add, self.book, "1000", "Again", "asset")
    t.expect_error(bo.EINVAL, self.book.account_add, self.book, "9000", "Odd", "gizmo")
end

TestPost = { setUp = fixture, tearDown = teardown }

function TestPost:test_post_returns_integer_id()
    local id = t.sale(self.book, 1250)
    lu.assertEquals(math.type(id), "integer")
    lu.assertTrue(id > 0)
    lu.assertEquals(self.book:balance("1000", "2026-12-31"), 1250)
    lu.assertEquals(math.type(self.book:balance("1000", "2026-12-31")), "integer")
    lu.assertEquals(self.book:balance("4000", "2026-12-31"), -1250)
end

function TestPost:test_idempotent_replay_returns_same_id()
    local e = t.entry("2026-01-15", { { "1000", 700 }, { "4000", -700 } }, "sale", "till-1/0001")
    local first = self.book:post(e)
    lu.assertEquals(self.book:post(e), first)
    lu.assertEquals(self.book:balance("1000", "2026-12-31"), 700)
    t.expect_error(bo.EKEYREUSE, t.sale, self.book, 800, nil, "till-1/0001")
end

function TestPost:test_unbalanced_raises_code_and_message()
    local e = t.entry("2026-01-15", { { "1000", 100 }, { "4000", -99 } })
    local err = t.expect_error(bo.EUNBALANCED, self.book.post, self.book, e)
    lu.assertEquals(err.code, -7)
    lu.assertEquals(getmetatable(err), bo.Error)
    lu.assertStrContains(err.message, "USD")
    lu.assertEquals(self.book:balance("1000", "2026-12-31"), 0)
end

function TestPost:test_post_many()
    local ids = self.book.ledger:post_many({
        { "2026-01-15", { { "1000", 100 }, { "4000", -100 } } },
        { "2026-01-16", "memo", { { "1000", 20, "USD", "coins" }, { "5000", -20 } } },
        { "2026-01-17", "memo", "bulk-3", { { "1000", 3 }, { "4000", -3 } } },
        { date = "2026-01-18", key = "bulk-4",
          postings = { { account = "1000", amount = 4 }, { account = "4000", amount = -4 } } },
        { "2026-01-17", "memo", "bulk-3", { { "1000", 3 }, { "4000", -3 } } },
    })
    lu.assertEquals(#ids, 5)
    lu.assertTrue(ids[1] > 0)
    lu.assertEquals(ids[2], ids[1] + 1)
    lu.assertEquals(ids[5], ids[3])
    lu.assertEquals(math.type(ids[1]), "integer")
    lu.assertEquals(self.book:balance("1000", "2026-12-31"), 127)
    lu.assertEquals(#self.book.ledger:post_many({}), 0)
end

function TestPost:test_post_many_refusal_posts_nothing()
    local err = t.expect_error(bo.ENOTFOUND, self.book.ledger.post_many, self.book.ledger, {
        { "2026-01-15", { { "1000", 100 }, { "4000", -100 } } },
        { "2026-01-15", { { "1000", 100 }, { "9999", -100 } } },
    })
    lu.assertStrContains(err.message, "entry 2: posting 2: account '9999'")
    err = t.expect_error(bo.EINVAL, self.book.ledger.post_many, self.book.ledger,
                         { { "2026-01-15", { { "1000", 0 }, { "4000", 0 } } } })
    lu.assertStrContains(err.message, "entry 1: posting 1: amount")
    lu.assertError(self.book.ledger.post_many, self.book.ledger, { { "2026-01-15" } })
    lu.assertEquals(self.book:balance("1000", "2026-12-31"), 0)
end

function TestPost:test_entry_builder()
    local e = bo.Entry("2026-01-15", "two lines")
    lu.assertEquals(e:count(), 0)
    e:add("1000", 5, nil, "coins")
    e:add("4000", -5, "USD")
    lu.assertEquals(e:count(), 2)
    t.expect_error(bo.EINVAL, e.add, e, "1000", 0)
    t.expect_error(bo.ETOOLONG, bo.Entry, "2026-01-15", string.rep("m", bo.TEXT_MAX + 1))
    e:close()
    t.expect_error(bo.ESTATE, e.add, e, "1000", 1)
    t.expect_error(bo.EINVAL, self.book.post, self.book, e)
    t.expect_error(bo.EINVAL, self.book.post, self.book, nil)
end

function TestPost:test_reverse_and_entry()
    local id = t.sale(self.book, 300)
    local rev = self.book:reverse(id, "2026-01-20", "rev-1")
    lu.assertNotEquals(rev, id)
    lu.assertEquals(self.book:balance("1000", "2026-12-31"), 0)
    lu.assertEquals(self.book:balance("1000", "2026-01-19"), 300)
    local lines = t.collect(self.book:entry(rev))
    lu.assertEquals(#lines, 2)
    lu.assertEquals(lines[1].reverses, id)
    t.expect_error(bo.EEXISTS, self.book.reverse, self.book, id, "2026-01-21")
end

TestTransaction = { setUp = fixture, tearDown = teardown }

function TestTransaction:test_commit_returns_results()
    local a, b = self.book:transaction(function(book)
        lu.assertIs(book, self.book)
        lu.assertEquals(book:depth(), 1)
        return t.sale(book, 100), t.sale(book, 200)
    end)
    lu.assertTrue(b > a)
    lu.assertEquals(self.book:depth(), 0)
    lu.assertEquals(self.book:balance("1000", "2026-12-31"), 300)
end

function TestTransaction:test_rollback_on_error_leaves_nothing()
    local marker = { reason = "abandon" }
    local ok, err = pcall(self.book.transaction, self.book, function(book)
        t.sale(book, 100)
        book:account_add("6000", "Rent", "expense")
        error(marker)
    end)
    lu.assertFalse(ok)
    lu.assertIs(err, marker) -- the original error value, unchanged
    lu.assertEquals(self.book:depth(), 0)
    lu.assertEquals(self.book:balance("1000", "2026-12-31"), 0)
    for row in self.book:accounts() do
        lu.assertNotEquals(row.code, "6000")
    end
    lu.assertEquals(#t.collect(self.book:trial_balance("2026-12-31")), 0)
end

function TestTransaction:test_nested_is_a_savepoint()
    self.book:transaction(function(book)
        t.sale(book, 100)
        local ok = pcall(book.transaction, book, function()
            t.sale(book, 50)
            lu.assertEquals(book:depth(), 2)
            error("inner")
        end)
        lu.assertFalse(ok)
        lu.assertEquals(book:depth(), 1)
    end)
    lu.assertEquals(self.book:balance("1000", "2026-12-31"), 100)
end

function TestTransaction:test_explicit_begin_commit()
    self.book:begin()
    t.sale(self.book, 10)
    self.book:rollback()
    self.book:begin()
    t.sale(self.book, 20)
    self.book:commit()
    lu.assertEquals(self.book:balance("1000", "2026-12-31"), 20)
    t.expect_error(bo.ESTATE, self.book.commit, self.book)
end

TestCursor = { setUp = function(self)
    fixture(self)
    t.sale(self.book, 1250, "2026-01-15")
    t.sale(self.book, 750, "2026-02-03")
    self.book:post(t.entry("2026-02-10", { { "5000", 400 }, { "1000", -400 } }, "rent"))
end, tearDown = teardown }

function TestCursor:test_generic_for_over_rows()
    local codes, debit, credit = {}, 0, 0
    for row in self.book:trial_balance("2026-12-31"):rows() do
        codes[#codes + 1] = row.code
        lu.assertEquals(math.type(row.debit), "integer")
        debit = debit + row.debit
        credit = credit + row.credit
    end
    lu.assertEquals(codes, { "1000", "4000", "5000" })
    lu.assertEquals(debit, credit)
end

function TestCursor:test_cursor_is_callable_and_steps()
    local cur = self.book:trial_balance("2026-12-31")
    lu.assertEquals(cur:columns(), { "code", "name", "type", "currency", "debit", "credit" })
    lu.assertEquals(cur:column_index("debit"), 4)
    lu.assertEquals(cur:column_index("nope"), -1)
    lu.assertTrue(cur:next())
    lu.assertEquals(cur:type(0), bo.TYPE_TEXT)
    lu.assertEquals(cur:text(0), "1000")
    lu.assertEquals(cur:int(4), 1600)
    lu.assertEquals(math.type(cur:int(4)), "integer")
    lu.assertEquals(cur:row().code, "1000")
    local n = 0
    for _ in cur do
        n = n + 1
    end
    lu.assertEquals(n, 2)
    lu.assertFalse(cur:next())
    cur:close()
    t.expect_error(bo.ESTATE, cur.next, cur)
end

function TestCursor:test_rows_loop_closes_the_cursor()
    local cur = self.book:journal(nil, "2026-01-01", "2026-12-31")
    for _ in cur:rows() do
        break
    end
    t.expect_error(bo.ESTATE, cur.next, cur)
end

function TestCursor:test_cursor_outlives_its_book()
    local book = bo.Book(self.uri, "alice")
    local cur = book:journal("1000", "2026-01-01", "2026-12-31")
    book:close()
    local amounts, balances = {}, {}
    for row in cur:rows() do
        amounts[#amounts + 1] = row.amount
        balances[#balances + 1] = row.balance
    end
    lu.assertEquals(amounts, { 1250, 750, -400 })
    lu.assertEquals(balances, { 1250, 2000, 1600 })
end

function TestCursor:test_statements()
    local earnings
    for row in self.book:balance_sheet("2026-12-31"):rows() do
        if row.code == nil then
            earnings = row
        end
    end
    lu.assertEquals(earnings.section, "equity")
    lu.assertEquals(earnings.amount, 1600)
    local last
    for row in self.book:income_statement("2026-01-01", "2026-12-31"):rows() do
        last = row
    end
    lu.assertEquals(last.section, "total")
    lu.assertEquals(last.amount, 1600)
end

TestSecurity = { setUp = fixture, tearDown = teardown }

function TestSecurity:test_denied_actor()
    self.book:role_define("clerk", "ledger.read")
    self.book:role_grant("bob", "clerk")
    local found = false
    for row in self.book:role_list():rows() do
        found = found or (row.actor == "bob" and row.role == "clerk")
    end
    lu.assertTrue(found)
    local bob <close> = bo.Book(self.uri, "bob")
    lu.assertTrue(bob:actor_can("ledger.read"))
    lu.assertFalse(bob:actor_can("ledger.post"))
    lu.assertEquals(bob:balance("1000", "2026-12-31"), 0)
    t.expect_error(bo.EDENIED, t.sale, bob, 1)
    t.expect_error(bo.EDENIED, bob.role_grant, bob, "bob", "owner")
    lu.assertEquals(bob:balance("1000", "2026-12-31"), 0)
end

function TestSecurity:test_nobody_is_denied()
    local nobody <close> = bo.Book(self.uri)
    lu.assertIsNil(nobody:actor())
    t.expect_error(bo.EDENIED, nobody.accounts, nobody)
end

function TestSecurity:test_audit()
    t.sale(self.book, 100)
    lu.assertEquals(self.book:audit_verify(), 0)
    local seq, digest = self.book:audit_head()
    lu.assertEquals(math.type(seq), "integer")
    lu.assertTrue(seq > 0)
    lu.assertStrMatches(digest, string.rep("%x", 64))
    local last
    for row in self.book:audit_list():rows() do
        last = row
    end
    lu.assertEquals(last.seq, seq)
    lu.assertEquals(last.hash, digest)
end

function TestSecurity:test_audit_verify_full()
    t.sale(self.book, 100)
    t.sale(self.book, 250)
    lu.assertEquals(self.book:audit_verify_full(), 0)
    lu.assertEquals(self.book:audit_verify_full(1), 0)
    lu.assertEquals(self.book:audit_verify_full(true), 0) -- a yes/no parameter
    local n = 0
    for _ in self.book:audit_verify_list():rows() do
        n = n + 1
    end
    lu.assertEquals(n, 0)
    local seq, digest = self.book:audit_head()
    lu.assertEquals(self.book:audit_verify_full(0, seq, digest), 0)
    t.expect_error(bo.EINVAL, self.book.audit_verify_full, self.book, 0, seq, "nope")
    t.expect_error(bo.EINVAL, self.book.audit_verify_list, self.book, 0, 0, nil, 0)
    -- An anchor further than the chain reaches: its end was cut off.
    local err = t.expect_error(bo.ECORRUPT, self.book.audit_verify_full, self.book, 0,
                               seq + 5, digest)
    lu.assertStrContains(err.message, "before the anchor")
    for row in self.book:audit_verify_list(0, seq + 5, digest):rows() do
        lu.assertEquals(row.table, "audit_log")
        lu.assertEquals(math.type(row.seq), "integer")
    end
end

TestDates = { setUp = fixture, tearDown = teardown }

function TestDates:test_string_or_integer()
    local day = bo.date_parse("2026-01-15")
    lu.assertEquals(math.type(day), "integer")
    t.sale(self.book, 100, "2026-01-15")
    t.sale(self.book, 10, day)
    t.sale(self.book, 1, day + 0.0) -- an integral float is accepted
    lu.assertEquals(self.book:balance("1000", "2026-01-15"), 111)
    lu.assertEquals(self.book:balance("1000", day), 111)
    lu.assertEquals(self.book:balance("1000", day - 1), 0)
end

function TestDates:test_bad_dates()
    local err = t.expect_error(bo.EINVAL, bo.Entry, "2026-02-30")
    lu.assertStrContains(err.message, "2026-02-30")
    t.expect_error(bo.EINVAL, self.book.balance, self.book, "1000", "yesterday")
    t.expect_error(bo.EINVAL, self.book.balance, self.book, "1000", 3.5)
    lu.assertFalse(pcall(self.book.balance, self.book, "1000", {}))
end

function TestDates:test_periods()
    self.book:period_add("2026-01", "2026-01-01", "2026-01-31")
    self.book:period_close("2026-01")
    local rows = t.collect(self.book:periods())
    lu.assertEquals(rows[1].name, "2026-01")
    lu.assertEquals(rows[1].closed, 1)
    t.expect_error(bo.EPERIOD, t.sale, self.book, 5, "2026-01-20")
end

function TestDates:test_recurring_entries()
    local e = t.entry("2026-01-31", { { "5000", 1500 }, { "1000", -1500 } }, "rent")
    local id = self.book.ledger:recurring_add(e, bo.RECUR_MONTH, 1, nil, 3)
    lu.assertTrue(id > 0)
    lu.assertEquals(self.book.ledger:recurring_run("2026-12-31"), 3)
    lu.assertEquals(self.book.ledger:recurring_run("2026-12-31"), 0)
    local rows = t.collect(self.book.ledger:recurring_list())
    lu.assertEquals(#rows, 1)
    lu.assertEquals(rows[1].period, "month")
    lu.assertEquals(rows[1].last, "2026-03-31")
    lu.assertEquals(rows[1].times_left, 0)
    local lines = t.collect(self.book.ledger:recurring_postings(id))
    lu.assertEquals(#lines, 2)
    lu.assertEquals(lines[1].account, "5000")
    lu.assertEquals(lines[1].amount, 1500)
    t.expect_error(bo.EINVAL, self.book.ledger.recurring_add, self.book.ledger, e, 9)
    t.expect_error(bo.ENOTFOUND, self.book.ledger.recurring_postings, self.book.ledger, id + 1)
end

function TestDates:test_year_close_and_reopen()
    self.book:account_add("3200", "Retained earnings", "equity")
    t.sale(self.book, 700, "2026-03-01")
    local entry = self.book:year_close("2026-12-31", "3200", "close-2026")
    lu.assertTrue(entry > 0)
    lu.assertEquals(self.book:year_close("2026-12-31", "3200", "close-2026"), entry)
    lu.assertEquals(self.book:balance("3200", "2026-12-31"), -700)
    -- the closed year takes no posting
    local closed = t.expect_error(bo.EPERIOD, t.sale, self.book, 5, "2026-06-01")
    lu.assertStrContains(closed.message, "fiscal year ending 2026-12-31")
    local err = t.expect_error(bo.EINVAL, self.book.year_close, self.book, "2027-12-31", "1000")
    lu.assertStrContains(err.message, "retained")
    local rev = self.book:year_reopen("2026-12-31")
    lu.assertTrue(rev > entry)
    lu.assertEquals(self.book:balance("3200", "2026-12-31"), 0)
    local rows = t.collect(self.book:year_closings())
    lu.assertEquals(#rows, 1)
    lu.assertEquals(rows[1].year_end, "2026-12-31")
    lu.assertEquals(rows[1].entry, entry)
    lu.assertEquals(rows[1].reopened_by, rev)
end

TestYaml = { setUp = fixture, tearDown = teardown }

function TestYaml:test_from_yaml_string()
    local path, base = t.temp_path()
    local uri = "sqlite:" .. path
    local book <close> = bo.Book.from_yaml_string(YAML, uri, "owner", bo.SYNC_OFF)
    lu.assertEquals(book:base_currency(), "EUR")
    lu.assertEquals(book:name(), "Corner shop")
    lu.assertEquals(#t.collect(book:accounts()), 2)
    t.expect_error(bo.EEXISTS, bo.Book.from_yaml_string, YAML, uri, "owner")
    local err = t.expect_error(bo.ECONFIG, bo.Book.from_yaml_string, YAML .. "bogus: 1\n",
                               "sqlite:" .. path .. "2")
    lu.assertStrContains(err.message, "<string>:")
    t.cleanup(path, base)
    t.cleanup(path .. "2", base)
end

function TestYaml:test_from_yaml_file()
    local ypath, ybase = t.temp_path(".yaml")
    local f = assert(io.open(ypath, "w"))
    f:write(YAML)
    f:close()
    local path, base = t.temp_path()
    local book <close> = bo.Book.from_yaml(ypath, "sqlite:" .. path, "owner", bo.SYNC_OFF)
    lu.assertEquals(book:actor(), "owner")
    lu.assertEquals(#t.collect(book:accounts()), 2)
    os.remove(ypath)
    os.remove(ybase)
    t.cleanup(path, base)
end

TestExport = {}

-- The lossless export: book:export(path), bo.Book.import_book(uri, path, actor).
function TestExport:test_export_import_export_is_byte_identical()
    local a, b, db, other = os.tmpname(), os.tmpname(), os.tmpname(), os.tmpname()
    for _, p in ipairs({ a, b, db, other }) do os.remove(p) end
    local book = bo.open("sqlite:" .. a .. ".db", { actor = "ann", create = true })
    book:account_add("1000", "Cash", "asset")
    book:account_add("4000", "Sales", "income")
    local e = bo.Entry("2026-02-01", "sale")
    e:add("1000", 4321)
    e:add("4000", -4321)
    book:post(e)
    book:export(a)
    bo.Book.import_book("sqlite:" .. db, a, "ann")
    local copy = bo.open("sqlite:" .. db, { actor = "ann" })
    lu.assertEquals(copy:balance("1000", "2026-12-31"), 4321)
    copy:export(b)
    local s1, h1 = book:audit_head()
    local s2, h2 = copy:audit_head()
    lu.assertEquals(s2, s1)
    lu.assertEquals(h2, h1)
    copy:close()
    book:close()
    local fa, fb = io.open(a, "rb"), io.open(b, "rb")
    local ba, bb = fa:read("a"), fb:read("a")
    fa:close()
    fb:close()
    lu.assertTrue(ba == bb)
    -- refusals: a store holding a book, a truncated file
    t.expect_error(bo.EEXISTS, bo.Book.import_book, "sqlite:" .. db, a, "ann")
    local short = io.open(b, "wb")
    short:write(ba:sub(1, 500))
    short:close()
    t.expect_error(bo.ECORRUPT, bo.Book.import_book, "sqlite:" .. other, b, "ann")
    for _, p in ipairs({ a .. ".db", db, other }) do
        os.remove(p)
        os.remove(p .. "-wal")
        os.remove(p .. "-shm")
    end
    os.remove(a)
    os.remove(b)
end

-- SAF-T Cash Register out: book:export_saft_cr(path, registration_number,
-- start, end, company_name, vat_number, country, tax_codes, location).
function TestExport:test_export_saft_cr()
    local a = os.tmpname()
    os.remove(a)
    local book = bo.open("sqlite:" .. a .. ".db", { actor = "ann", create = true })
    book:account_add("1000", "Cash", "asset")
    book:account_add("1200", "Inventory", "asset")
    book:account_add("2000", "GRNI", "liability")
    book:account_add("4000", "Sales", "income")
    book:account_add("5300", "COGS", "expense")
    for k, v in pairs({ ["account.inventory"] = "1200", ["account.cogs"] = "5300",
                        ["account.grni"] = "2000", ["account.revenue"] = "4000",
                        ["payment.cash"] = "1000" }) do
        book:inv_setting_set(k, v)
    end
    book:inv_location_add("S1", "Store")
    book:inv_item_add("A", "Widget")
    book:inv_receive("A", "S1", 10, 1000, "2025-03-01", nil, "init")
    local s = bo.Sale("2025-03-02")
    s:set_key("till-1/1")
    s:line("A", "S1", 3, 500)
    s:payment("cash", 2000)
    book:inv_sale_post(s)
    book:export_saft_cr(a, "999999999", nil, nil, "Fjord AS", nil, nil, nil, "S1")
    local f = io.open(a, "rb")
    local xml = f:read("a")
    f:close()
    lu.assertStrContains(xml, "<transAmntIn>15.00</transAmntIn>")
    lu.assertStrContains(xml, "<paidAmnt>-5.00</paidAmnt>")
    lu.assertStrContains(xml, "<companyName>Fjord AS</companyName>")
    os.remove(a)
    t.expect_error(bo.ENOTFOUND, function()
        book:export_saft_cr(a, "999999999", nil, nil, nil, nil, nil, nil, "NOPE")
    end)
    lu.assertNil(io.open(a, "rb"))
    t.expect_error(bo.EINVAL, function() book:export_saft_cr(a, "999\0" .. "x") end)
    book:close()
    for _, x in ipairs({ "", "-wal", "-shm" }) do os.remove(a .. ".db" .. x) end
end

-- SAF-T out: book:export_saft(path, registration_number, start, end, ...).
function TestExport:test_export_saft()
    local a = os.tmpname()
    os.remove(a)
    local book = bo.open("sqlite:" .. a .. ".db", { actor = "ann", create = true })
    book:account_add("1000", "Cash", "asset")
    book:account_add("4000", "Sales", "income")
    local e = bo.Entry("2026-02-01", "sale")
    e:add("1000", 4321)
    e:add("4000", -4321)
    book:post(e)
    book:export_saft(a, "999999999", "2026-01-01", "2026-12-31", "Fjord AS")
    local f = io.open(a, "rb")
    local xml = f:read("a")
    f:close()
    lu.assertStrContains(xml, "<NumberOfEntries>1</NumberOfEntries>")
    lu.assertStrContains(xml, "<TotalDebit>43.21</TotalDebit>")
    lu.assertStrContains(xml, "<Name>Fjord AS</Name>")
    t.expect_error(bo.EINVAL, function() book:export_saft(a, "") end)
    t.expect_error(bo.EINVAL, function() book:export_saft(a, "999\0" .. "x") end)
    book:close()
    os.remove(a)
    for _, s in ipairs({ "", "-wal", "-shm" }) do os.remove(a .. ".db" .. s) end
end

-- GnuCash in: bo.Book.import_gnucash(uri, path, actor, base_currency).
function TestExport:test_import_gnucash()
    local dir = os.tmpname()
    os.remove(dir)
    local path = dir .. ".gnucash"
    local src = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
    local ok = os.execute("/usr/bin/python3 '" .. src .. "../../../tests/gnucash/make_book.py' '"
                          .. path .. "' 11 >/dev/null 2>&1")
    lu.assertTrue(ok, "GnuCash could not make its book")
    bo.Book.import_gnucash("sqlite:" .. dir .. ".db", path, "ann", "USD")
    local book = bo.open("sqlite:" .. dir .. ".db", { actor = "ann" })
    local n = 0
    for line in io.lines(path .. ".balances") do
        local code, cur, minor = line:match("^(%S+) (%u+) (%-?%d+)$")
        if code then
            lu.assertEquals(book:balance(code, "2030-12-31", cur), math.tointeger(tonumber(minor)))
            n = n + 1
        end
    end
    lu.assertEquals(n, 14)
    -- where each record came from; the file again: no difference
    local rows, accounts = 0, 0
    for r in book:provenance("gnucash") do
        rows = rows + 1
        if r.record:sub(1, 8) == "account:" then accounts = accounts + 1 end
    end
    -- accounts, transactions, the prices, parties, tax tables, documents
    lu.assertEquals(rows, 17 + 77 + 2 + 4 + 2 + 7)
    lu.assertEquals(accounts, 17)
    local diffs = 0
    for _ in book:gnucash_diff(path) do diffs = diffs + 1 end
    lu.assertEquals(diffs, 0)
    t.expect_error(bo.EINVAL, function() book:provenance("") end)
    book:close()
    -- the same book again adds nothing
    bo.Book.import_gnucash("sqlite:" .. dir .. ".db", path, "ann")
    t.expect_error(bo.EINVAL, bo.Book.import_gnucash, "sqlite:" .. dir .. ".db", path .. "\0x", "ann")
    os.execute("rm -f '" .. path .. "'* '" .. dir .. ".db'*")
end

-- Journals: bo.Book.import_journal(uri, path, actor, dialect, base_currency,
-- dollar) and book:export_journal(path, dialect).
function TestExport:test_import_export_journal()
    local dir = os.tmpname()
    os.remove(dir)
    local src = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
    local data = src .. "../../../tests/data/journal/"
    bo.Book.import_journal("sqlite:" .. dir .. ".db", data .. "sample.beancount", "ann",
                           bo.JOURNAL_BEANCOUNT)
    local book = bo.open("sqlite:" .. dir .. ".db", { actor = "ann" })
    lu.assertEquals(book:balance("Assets:Bank:Checking", "2030-12-31", "USD"), 420313)
    lu.assertEquals(book:balance("Assets:Broker", "2030-12-31", "AAPL"), 13)
    book:export_journal(dir .. ".journal")
    local f = io.open(dir .. ".journal", "rb")
    local text = f:read("a")
    f:close()
    lu.assertStrContains(text, "    Assets:Broker  3 AAPL @@ 560.00 USD\n")
    book:export_journal(dir .. ".beancount", bo.JOURNAL_BEANCOUNT)
    f = io.open(dir .. ".beancount", "rb")
    lu.assertStrContains(f:read("a"), "2024-01-11 * \"Buy more shares, total price\"\n")
    f:close()
    book:close()
    t.expect_error(bo.EEXISTS, bo.Book.import_journal, "sqlite:" .. dir .. ".db",
                   data .. "sample.journal", "ann")
    -- importing again adds nothing; a changed journal is a diff
    bo.Book.import_journal("sqlite:" .. dir .. ".db", data .. "sample.beancount", "ann",
                           bo.JOURNAL_BEANCOUNT)
    book = bo.open("sqlite:" .. dir .. ".db", { actor = "ann" })
    local diffs = 0
    for _ in book:journal_diff(data .. "sample.beancount") do diffs = diffs + 1 end
    lu.assertEquals(diffs, 0)
    os.execute("mkdir -p '" .. dir .. ".v2'")
    local changed = dir .. ".v2/sample.beancount"
    local fi = io.open(data .. "sample.beancount", "rb")
    local fo = io.open(changed, "wb")
    fo:write(fi:read("a") .. '\n2024-03-01 * "Coffee"\n  Expenses:Food  3.00 USD\n  Assets:Cash\n')
    fi:close()
    fo:close()
    local rows = {}
    for r in book:journal_diff(changed) do rows[#rows + 1] = r end
    lu.assertEquals(#rows, 1)
    book:close()
    t.expect_error(bo.ECONFLICT, bo.Book.import_journal, "sqlite:" .. dir .. ".db", changed,
                   "ann", bo.JOURNAL_BEANCOUNT)
    os.execute("rm -rf '" .. dir .. ".v2'")
    t.expect_error(bo.EIO, bo.Book.import_journal, "sqlite:" .. dir .. "2.db",
                   data .. "none.journal", "ann")
    os.execute("rm -f '" .. dir .. "'*")
end

-- CSV onboarding: book:import_opening_csv(path, date, memo).
function TestExport:test_import_opening_csv()
    local dir = os.tmpname()
    os.remove(dir)
    local book = bo.open("sqlite:" .. dir .. ".db", { actor = "ann", create = true })
    local f = io.open(dir .. ".csv", "w")
    f:write("code,name,type,balance\n1000,Bank,asset,12.34\n3000,Opening,equity,-12.34\n")
    f:close()
    book:import_opening_csv(dir .. ".csv", "2025-01-01")
    lu.assertEquals(book:balance("1000", "2030-12-31", "USD"), 1234)
    f = io.open(dir .. ".csv", "w")
    f:write("code,balance\n1000,1\n")
    f:close()
    t.expect_error(bo.EUNBALANCED, function() book:import_opening_csv(dir .. ".csv", "2025-01-01", "x") end)
    book:close()
    os.execute("rm -f '" .. dir .. "'*")
end

-- CSV onboarding of parties, items, employees: book:import_csv(kind, path, date).
function TestExport:test_import_csv()
    local dir = os.tmpname()
    os.remove(dir)
    local book = bo.open("sqlite:" .. dir .. ".db", { actor = "ann", create = true })
    local f = io.open(dir .. ".csv", "w")
    f:write("code,name,roles\nC-1,Acme,customer\nV-1,Supply,both\n")
    f:close()
    lu.assertEquals(book:import_csv("parties", dir .. ".csv", "2025-01-01"), 2)
    lu.assertEquals(book:import_csv("parties", dir .. ".csv", "2025-01-01"), 0)
    f = io.open(dir .. ".csv", "w")
    f:write("code,name,roles\nC-2,New,customer\nC-3,Bad,buyer\n")
    f:close()
    t.expect_error(bo.EINVAL, function() book:import_csv("parties", dir .. ".csv", "2025-01-01") end)
    book:close()
    os.execute("rm -f '" .. dir .. "'*")
end

-- France's FEC: book:export_fec(path, from, to).
function TestExport:test_export_fec()
    local dir = os.tmpname()
    os.remove(dir)
    local book = bo.open("sqlite:" .. dir .. ".db", { actor = "ann", create = true })
    book:account_add("512", "Banque", "asset")
    book:account_add("101", "Capital", "equity")
    book:post(t.entry("2026-01-02", { { "512", 1050 }, { "101", -1050 } }, "Capital"))
    book:export_fec(dir .. ".txt", "2026-01-01", "2026-12-31")
    local f = io.open(dir .. ".txt")
    local header = f:read("l")
    local first = f:read("l")
    f:close()
    local _, tabs = header:gsub("\t", "")
    lu.assertEquals(tabs, 17)
    lu.assertStrContains(first, "\t10,50\t0,00\t")
    t.expect_error(bo.EINVAL, function() book:export_fec(dir .. ".txt", "2026-12-31", "2026-01-01") end)
    book:close()
    os.execute("rm -f '" .. dir .. "'*")
end

-- Progress: book:export(path, fn) and bo.Book.import_book(uri, path, actor,
-- sync, fn) call fn(stage, done, total) as records go.
function TestExport:test_export_and_import_progress()
    local a = os.tmpname()
    os.remove(a)
    local book = bo.open("sqlite:" .. a .. ".db", { actor = "ann", create = true })
    book:account_add("1000", "Cash", "asset")
    book:account_add("4000", "Sales", "income")
    book:post(t.entry("2026-02-01", { { "1000", 5 }, { "4000", -5 } }, "sale"))
    local calls, last = 0, 0
    book:export(a .. ".zip", function(stage, done, total)
        lu.assertIsString(stage)
        calls = calls + 1
        last = math.max(last, done)
    end)
    lu.assertTrue(calls > 0)
    lu.assertTrue(last > 0)
    local seen = 0
    bo.Book.import_book("sqlite:" .. a .. "2.db", a .. ".zip", "ann", bo.SYNC_OFF,
                        function() seen = seen + 1 end)
    lu.assertTrue(seen > 0)
    -- a failing callback does not stop the export
    book:export(a .. ".zip", function() error("no") end)
    book:close()
    os.execute("rm -f '" .. a .. "'*")
end

os.exit(lu.LuaUnit.run(), true)
