-- Plugins through the Lua module: the example "log" driver.
local lu = require("luaunit")
local bo = require("backoffice")
local t = require("bo_support")

local PLUGIN_DIR = os.getenv("BO_TEST_PLUGIN_DIR") or ""

TestPlugin = {}

function TestPlugin:test_load_errors()
    t.expect_error(bo.ENOTFOUND, bo.plugin_load, "/nonexistent/plugin.so")
    t.expect_error(bo.ENOTFOUND, bo.plugin_load_dir, "/nonexistent-dir")
end

function TestPlugin:test_book_through_the_log_driver()
    lu.assertEquals(bo.plugin_load_dir(PLUGIN_DIR), 1)
    bo.plugin_load(PLUGIN_DIR .. "/bo_logdriver.so") -- again: nothing happens
    local path = os.tmpname()
    os.remove(path)
    local book = bo.open("log:sqlite:" .. path, { actor = "ann", create = true })
    book:account_add("1000", "Cash", "asset")
    book:account_add("4000", "Sales", "income")
    local e = bo.Entry("2026-02-01", "via plugin")
    e:add("1000", 999)
    e:add("4000", -999)
    book:post(e)
    book:close()
    local again = bo.open("sqlite:" .. path, { actor = "ann" })
    lu.assertEquals(again:balance("1000", "2026-12-31"), 999)
    again:close()
    os.remove(path)
    os.remove(path .. "-wal")
    os.remove(path .. "-shm")
end

TestCopy = {}

function TestCopy:test_copy_and_refusals()
    local a, b = os.tmpname(), os.tmpname()
    os.remove(a)
    os.remove(b)
    local book = bo.open("sqlite:" .. a, { actor = "ann", create = true })
    book:account_add("1000", "Cash", "asset")
    book:account_add("4000", "Sales", "income")
    local e = bo.Entry("2026-02-01", "sale")
    e:add("1000", 4321)
    e:add("4000", -4321)
    book:post(e)
    book:close()
    bo.Book.copy("sqlite:" .. a, "sqlite:" .. b, "ann")
    local copy = bo.open("sqlite:" .. b, { actor = "ann" })
    lu.assertEquals(copy:balance("1000", "2026-12-31"), 4321)
    copy:close()
    t.expect_error(bo.EEXISTS, bo.Book.copy, "sqlite:" .. a, "sqlite:" .. b, "ann")
    for _, p in ipairs({ a, b }) do
        os.remove(p)
        os.remove(p .. "-wal")
        os.remove(p .. "-shm")
    end
end

os.exit(lu.LuaUnit.run(), true)
