-- Approvals through the Lua module: rules, pending commands, decisions, and
-- the access matrix of every approvable command x maker x approver.
local lu = require("luaunit")
local bo = require("backoffice")
local t = require("bo_support")

local ACTORS = { carl = "clerk", cleo = "clerk", mia = "manager", mike = "manager",
                 vic = "viewer" }

local function fixture(self)
    self.book, self.uri, self.files = t.new_book()
    local s = self.book.security
    s:role_define("clerk", "ledger.read,ledger.post,book.admin,approval.read")
    s:role_define("manager", "ledger.read,ledger.post,book.admin,approval.read")
    s:role_define("viewer", "ledger.read,approval.read")
    s:role_define("extra", "ledger.read")
    for actor, role in pairs(ACTORS) do
        s:role_grant(actor, role)
    end
end

local function teardown(self)
    self.book:close()
    t.cleanup(self.files.path, self.files.base)
end

local function balance(book)
    return book.ledger:balance("1000", "2030-01-01")
end

TestApprovals = { setUp = fixture, tearDown = teardown }

function TestApprovals:test_entry_waits_then_executes_as_maker()
    self.book.approvals:rule_set("ledger.entry.post", "manager", 100000)
    local carl <close> = bo.Book(self.uri, "carl")
    local mia <close> = bo.Book(self.uri, "mia")
    local e = t.entry("2026-01-05", { { "1000", 100000 }, { "3000", -100000 } }, "big", "k")
    t.expect_error(bo.EPENDING, carl.ledger.post, carl.ledger, e)
    local rid = carl.approvals:last()
    lu.assertEquals(balance(self.book), 0)
    t.expect_error(bo.EDENIED, carl.approvals.approve, carl.approvals, rid)
    local entry = mia.approvals:approve(rid)
    lu.assertTrue(entry > 0)
    lu.assertEquals(balance(self.book), 100000)
    local rows = t.collect(self.book.approvals:requests("executed"))
    lu.assertEquals(rows[1].maker, "carl")
end

function TestApprovals:test_bad_input()
    t.expect_error(bo.ENOTFOUND, self.book.approvals.rule_set, self.book.approvals,
                   "ledger.entry.burn", "manager")
    local err = t.expect_error(bo.ENOTFOUND, self.book.approvals.rule_set,
                               self.book.approvals, "ledger.entry.post", "boss")
    lu.assertStrContains(err.message, "roles")
    lu.assertEquals(#t.collect(self.book.approvals:rules()), 0)
    t.expect_error(bo.EINVAL, self.book.approvals.rule_set, self.book.approvals,
                   "ledger.entry.post\0x", "manager")
    t.expect_error(bo.ENOTFOUND, self.book.approvals.last, self.book.approvals)
end

function TestApprovals:test_reject_override_expire_conflicts()
    local a = self.book.approvals
    a:rule_set("ledger.entry.post", "manager", 1)
    local carl <close> = bo.Book(self.uri, "carl")
    local mia <close> = bo.Book(self.uri, "mia")
    for _ = 1, 2 do
        t.expect_error(bo.EPENDING, carl.ledger.post, carl.ledger,
                       t.entry("2026-01-05", { { "1000", 5 }, { "3000", -5 } }))
    end
    local pending = t.collect(a:requests("pending"))
    mia.approvals:reject(pending[1].id, "no")
    lu.assertEquals(t.collect(a:decisions(pending[1].id))[1].decision, "reject")
    lu.assertTrue(a:override(pending[2].id, "urgent") > 0)
    lu.assertEquals(balance(self.book), 5)
    lu.assertEquals(a:expire(), 0)
    lu.assertTrue(#t.collect(a:commands()) >= 2)
    a:conflict_add("clerk", "viewer")
    t.expect_error(bo.EDENIED, self.book.security.role_grant, self.book.security,
                   "carl", "viewer")
    lu.assertEquals(#t.collect(a:conflicts()), 0)
    a:rule_remove("ledger.entry.post")
end

-- Every approvable command x maker x approver: nothing executes without its
-- approval, nobody approves their own command.
function TestApprovals:test_access_matrix()
    local n, posted = 0, 0
    for _, command in ipairs({ "ledger.entry.post", "role.grant" }) do
        self.book.approvals:rule_set(command, "manager")
        for _, maker in ipairs({ "carl", "mia" }) do
            for _, approver in ipairs({ "carl", "cleo", "mia", "mike", "vic", "stranger" }) do
                n = n + 1
                local m <close> = bo.Book(self.uri, maker)
                local a <close> = bo.Book(self.uri, approver)
                local who = "new" .. n
                local function executed()
                    if command == "ledger.entry.post" then
                        return balance(self.book) == 7 * (posted + 1)
                    end
                    for _, r in ipairs(t.collect(self.book.security:role_list())) do
                        if r.actor == who then
                            return true
                        end
                    end
                    return false
                end
                if command == "ledger.entry.post" then
                    t.expect_error(bo.EPENDING, m.ledger.post, m.ledger,
                                   t.entry("2026-01-05", { { "1000", 7 }, { "3000", -7 } }))
                else
                    t.expect_error(bo.EPENDING, m.security.role_grant, m.security, who, "extra")
                end
                local rid = m.approvals:last()
                lu.assertFalse(executed())
                if approver ~= maker and ACTORS[approver] == "manager" then
                    a.approvals:approve(rid)
                    lu.assertTrue(executed(), command .. " " .. maker .. " " .. approver)
                    if command == "ledger.entry.post" then
                        posted = posted + 1
                    end
                else
                    t.expect_error(bo.EDENIED, a.approvals.approve, a.approvals, rid)
                    lu.assertFalse(executed())
                end
            end
        end
    end
end

os.exit(lu.LuaUnit.run())
