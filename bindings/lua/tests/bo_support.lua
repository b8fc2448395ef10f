-- Shared fixtures of the Lua binding tests: a fresh book in a temporary
-- file with a small chart of accounts, and error helpers.
local bo = require("backoffice")
local lu = require("luaunit")

local M = {}

M.CHART = {
    { "1000", "Cash", "asset" },
    { "1100", "Bank", bo.ACCOUNT_ASSET },
    { "2000", "Payables", "liability" },
    { "3000", "Owner equity", "equity" },
    { "4000", "Sales", bo.ACCOUNT_INCOME },
    { "5000", "Expenses", "expense" },
}

--- A temporary path (removed by M.cleanup).
function M.temp_path(suffix)
    local base = os.tmpname()
    return base .. (suffix or ".db"), base
end

--- Remove a book file and its SQLite companions.
function M.cleanup(path, base)
    for _, p in ipairs({ path, path .. "-wal", path .. "-shm", path .. "-journal", base }) do
        os.remove(p)
    end
end

--- A fresh book owned by "alice" with the chart; returns book, uri, fixture.
function M.new_book()
    local path, base = M.temp_path()
    local uri = "sqlite:" .. path
    local book = bo.open(uri, { actor = "alice", create = true, base_currency = "USD",
                                sync = bo.SYNC_OFF })
    for _, a in ipairs(M.CHART) do
        book:account_add(a[1], a[2], a[3])
    end
    return book, uri, { path = path, base = base }
end

function M.entry(date, lines, memo, key)
    local e = bo.Entry(date, memo)
    for _, l in ipairs(lines) do
        e:add(l[1], l[2])
    end
    if key then
        e:set_key(key)
    end
    return e
end

function M.sale(book, amount, date, key)
    return book:post(M.entry(date or "2026-01-15", { { "1000", amount }, { "4000", -amount } },
                             "sale", key))
end

--- Call fn(...) and check it raises a backoffice error with @code; returns it.
function M.expect_error(code, fn, ...)
    local ok, err = pcall(fn, ...)
    lu.assertFalse(ok, "no error raised")
    lu.assertTrue(bo.is_error(err), "not a backoffice error: " .. tostring(err))
    lu.assertEquals(err.code, code, tostring(err))
    lu.assertEquals(math.type(err.code), "integer")
    lu.assertEquals(err.name, bo.error_name(code))
    lu.assertEquals(type(err.message), "string")
    lu.assertTrue(#err.message > 0)
    lu.assertEquals(tostring(err), err.message)
    return err
end

function M.collect(iter_cursor)
    local rows = {}
    for row in iter_cursor:rows() do
        rows[#rows + 1] = row
    end
    return rows
end

return M
