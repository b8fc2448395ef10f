-- Event callbacks through the Lua module.
local lu = require("luaunit")
local bo = require("backoffice")
local t = require("bo_support")

TestEvents = {
    setUp = function(self) self.book, self.uri, self.files = t.new_book() end,
    tearDown = function(self)
        self.book:close()
        t.cleanup(self.files.path, self.files.base)
    end,
}

function TestEvents:test_callback_receives_entry_posted_with_id()
    local got = {}
    local sub = self.book:subscribe("entry.posted", function(event, id)
        got[#got + 1] = { event, id }
    end)
    lu.assertEquals(math.type(sub), "integer")
    local id = t.sale(self.book, 100)
    lu.assertEquals(got, { { "entry.posted", id } })
    lu.assertEquals(math.type(got[1][2]), "integer")
end

function TestEvents:test_callable_table_and_commit_rules()
    local rec = setmetatable({ events = {} }, {
        __call = function(self, event, id) self.events[#self.events + 1] = event .. ":" .. id end,
    })
    self.book:subscribe("entry.posted", rec)
    local first = self.book:transaction(function(book)
        local id = t.sale(book, 1)
        lu.assertEquals(#rec.events, 0) -- not before the commit
        return id
    end)
    lu.assertEquals(rec.events, { "entry.posted:" .. first })
    pcall(self.book.transaction, self.book, function(book)
        t.sale(book, 2)
        error("abandon")
    end)
    lu.assertEquals(#rec.events, 1) -- a rollback drops the events
end

function TestEvents:test_wildcard_sees_reversals()
    local got = {}
    self.book:subscribe("*", function(event, id) got[event] = id end)
    local id = t.sale(self.book, 5)
    local rev = self.book:reverse(id, "2026-01-16")
    lu.assertEquals(got["entry.posted"], id)
    lu.assertEquals(got["entry.reversed"], rev)
end

function TestEvents:test_raising_callback_does_not_fail_the_post()
    local boom = setmetatable({ why = "refused" }, { __tostring = function() return "boom" end })
    self.book:subscribe("entry.posted", function() error(boom) end)
    local got = {}
    self.book:on_callback_error(function(event, id, err) got[#got + 1] = { event, id, err } end)
    -- The event follows the commit: post returns the id.
    local id = t.sale(self.book, 100)
    lu.assertEquals(math.type(id), "integer")
    lu.assertEquals(#got, 1)
    lu.assertEquals(got[1][1], "entry.posted")
    lu.assertEquals(got[1][2], id)
    lu.assertIs(got[1][3], boom) -- the original error value
    lu.assertEquals(self.book:balance("1000", "2026-12-31"), 100)
    lu.assertEquals(self.book:depth(), 0)
end

function TestEvents:test_raising_callback_does_not_fail_the_transaction_commit()
    self.book:subscribe("entry.posted", function(_, id) error("callback saw " .. id, 0) end)
    self.book:on_callback_error(function() end)
    local id = self.book:transaction(function(book) return t.sale(book, 7) end)
    lu.assertEquals(self.book:depth(), 0)
    lu.assertEquals(self.book:balance("1000", "2026-12-31"), 7)
    local errors = self.book:callback_errors()
    lu.assertEquals(#errors, 1)
    lu.assertEquals(errors[1].id, id)
    lu.assertEquals(errors[1].error, "callback saw " .. id)
end

function TestEvents:test_unsubscribe_and_release()
    local count = 0
    local sub = self.book:subscribe("entry.posted", function() count = count + 1 end)
    t.sale(self.book, 1)
    self.book:unsubscribe(sub)
    t.sale(self.book, 2)
    lu.assertEquals(count, 1)
    t.expect_error(bo.ENOTFOUND, self.book.unsubscribe, self.book, sub)
    -- A closed book releases its callbacks (weak table check).
    local book = bo.Book(self.uri, "alice")
    local weak = setmetatable({}, { __mode = "v" })
    do
        local cb = function() return book end -- references its own book
        weak[1] = cb
        book:subscribe("*", cb)
    end
    collectgarbage()
    lu.assertNotIsNil(weak[1])
    book:close()
    collectgarbage()
    lu.assertIsNil(weak[1])
end

function TestEvents:test_callback_runs_in_coroutine_and_may_read()
    local seen = {}
    self.book:subscribe("entry.posted", function()
        seen[#seen + 1] = self.book:balance("1000", "2026-12-31")
    end)
    local co = coroutine.wrap(function()
        t.sale(self.book, 40)
        coroutine.yield("posted")
    end)
    lu.assertEquals(co(), "posted")
    lu.assertEquals(seen, { 40 })
end

function TestEvents:test_not_callable()
    lu.assertFalse(pcall(self.book.subscribe, self.book, "entry.posted", 42))
end

os.exit(lu.LuaUnit.run(), true)
