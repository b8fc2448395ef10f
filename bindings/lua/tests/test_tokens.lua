-- The actors' access tokens through the Lua module: made once, checked,
-- listed without their secrets, revoked; bad input refused naming the
-- field, an embedded NUL refused, never cut.
local lu = require("luaunit")
local bo = require("backoffice")
local t = require("bo_support")

TestTokens = {
    setUp = function(self)
        self.book, self.uri, self.files = t.new_book()
    end,
    tearDown = function(self)
        self.book:close()
        t.cleanup(self.files.path, self.files.base)
    end,
}

function TestTokens:test_create_check_revoke()
    local s = self.book.security
    local id, token = s:actor_token_create("alice", "live view")
    lu.assertTrue(id > 0)
    lu.assertEquals(#token, bo.ACTOR_TOKEN_LEN)
    lu.assertEquals(token:sub(1, 4), "bot_")
    local id2, actor = s:actor_token_check(token)
    lu.assertEquals(id2, id)
    lu.assertEquals(actor, "alice")
    local rows = t.collect(s:actor_tokens())
    lu.assertEquals(#rows, 1)
    lu.assertEquals(rows[1].label, "live view")
    s:actor_token_revoke(id)
    t.expect_error(bo.EDENIED, s.actor_token_check, s, token)
    t.expect_error(bo.ESTATE, s.actor_token_revoke, s, id)
end

function TestTokens:test_bad_input()
    local s = self.book.security
    local err = t.expect_error(bo.ENOTFOUND, s.actor_token_create, s, "nobody", "x")
    lu.assertStrContains(err.message, "actor")
    err = t.expect_error(bo.EINVAL, s.actor_token_create, s, "alice", "")
    lu.assertStrContains(err.message, "label")
    t.expect_error(bo.EINVAL, s.actor_token_create, s, "alice", "a\0b")
    err = t.expect_error(bo.EINVAL, s.actor_token_check, s, "bot_" .. string.rep("0", 63))
    lu.assertStrContains(err.message, "token")
    t.expect_error(bo.EINVAL, s.actor_token_check, s, "bot_" .. string.rep("0", 64) .. "\0")
    t.expect_error(bo.ENOTFOUND, s.actor_token_revoke, s, 99)
    lu.assertEquals(#t.collect(s:actor_tokens()), 0)
end

os.exit(lu.LuaUnit.run(), true)
