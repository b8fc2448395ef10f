-- The change feed through the Lua module: reading, positions, the consumer
-- helper and its exactly-once saving, bad input.
local lu = require("luaunit")
local bo = require("backoffice")
local t = require("bo_support")

TestFeed = {
    setUp = function(self) self.book, self.uri, self.files = t.new_book() end,
    tearDown = function(self)
        self.book:close()
        t.cleanup(self.files.path, self.files.base)
    end,
}

function TestFeed:test_feed_read_in_positions()
    local first, last = self.book.feed:head()
    lu.assertEquals(first, 1)
    local id = t.sale(self.book, 100)
    local _, now = self.book.feed:head()
    lu.assertEquals(now, last + 1)
    local rows = t.collect(self.book.feed:read(last))
    lu.assertEquals(#rows, 1)
    lu.assertEquals(rows[1].position, last + 1)
    lu.assertEquals(rows[1].kind, "ledger.entry.post")
    lu.assertEquals(rows[1].object, "entry:" .. id)
    local audit = t.collect(self.book.audit:list())
    local feed = t.collect(self.book.feed:read(0, 10000))
    lu.assertEquals(#feed, #audit)
    for i, r in ipairs(feed) do
        lu.assertEquals(r.position, i)
        lu.assertEquals(r.event_id, audit[i].seq)
        lu.assertEquals(r.kind, audit[i].action)
    end
end

function TestFeed:test_feed_consume_saves_with_the_handler_writes()
    local book = self.book
    local _, last = book.feed:head()
    local seen = {}
    local n = book.feed:consume("mirror", last, function(position, event_id, at, kind, object)
        seen[#seen + 1] = position
        book:post(t.entry("2026-02-01", { { "5000", 1 }, { "1000", -1 } }))
    end)
    lu.assertEquals(n, last)
    lu.assertEquals(#seen, last)
    lu.assertEquals(book.feed:position("mirror"), last)
    lu.assertEquals(book:balance("5000", "2026-12-31"), last)
    -- A handler that fails: its write is rolled back, the position stays,
    -- and its error comes out as it was raised.
    local ok, err = pcall(book.feed.consume, book.feed, "mirror", 5, function(position)
        book:post(t.entry("2026-02-02", { { "5000", 7 }, { "1000", -7 } }))
        error("stop at " .. position, 0)
    end)
    lu.assertFalse(ok)
    lu.assertStrContains(tostring(err), "stop at " .. (last + 1))
    lu.assertEquals(book.feed:position("mirror"), last)
    lu.assertEquals(book:balance("5000", "2026-12-31"), last)
end

function TestFeed:test_feed_bad_input()
    local e = t.expect_error(bo.EINVAL, self.book.feed.read, self.book.feed, -1)
    lu.assertStrContains(e.message, "after")
    e = t.expect_error(bo.EINVAL, self.book.feed.save, self.book.feed, "bad name", 1)
    lu.assertStrContains(e.message, "consumer")
    t.expect_error(bo.EINVAL, self.book.feed.save, self.book.feed, "shop\0x", 1)
    e = t.expect_error(bo.EINVAL, self.book.feed.save, self.book.feed, "shop", -1)
    lu.assertStrContains(e.message, "position")
    t.expect_error(bo.EINVAL, self.book.feed.retention_set, self.book.feed, 0)
    lu.assertEquals(self.book.feed:retention(), 30)
    lu.assertEquals(self.book.feed:position("shop"), 0)
    self.book.feed:save("shop", 2)
    t.expect_error(bo.ESEQUENCE, self.book.feed.save, self.book.feed, "shop", 1)
end

function TestFeed:test_feed_retention_prune_and_wait()
    self.book.feed:retention_set(5)
    lu.assertEquals(self.book.feed:retention(), 5)
    lu.assertEquals(self.book.feed:prune(), 0)
    local _, last = self.book.feed:head()
    lu.assertEquals(self.book.feed:wait(last, 20), last)
    t.sale(self.book, 1)
    lu.assertEquals(self.book.feed:wait(last, 20), last + 1)
end

os.exit(lu.LuaUnit.run(), true)
