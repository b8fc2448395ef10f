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
local COMMANDS = { "role.grant", "ledger.entry.post", "billing.payment.post",
                   "billing.credit_note.post", "inventory.stock.adjust",
                   "inventory.sale.return", "inventory.sale.discount", "payroll.run.post",
                   "payroll.terms.set", "payroll.bank_account.set" }
local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
local PACK = here .. "/../../../data/payroll/generic.yaml"
local KEY = string.rep("k", 32)

local function matrix_fixture(self)
    fixture(self)
    local b = self.book
    for _, a in ipairs({ { "1200", "Inventory", "asset" }, { "1210", "Receivables", "asset" },
                         { "2050", "GRNI", "liability" }, { "5300", "COGS", "expense" },
                         { "5400", "Shrinkage", "expense" }, { "2100", "Net pay", "liability" },
                         { "2210", "Tax", "liability" }, { "2220", "Pension", "liability" },
                         { "5100", "Wages", "expense" }, { "5200", "Employer", "expense" } }) do
        b.ledger:account_add(a[1], a[2], a[3])
    end
    for _, kv in ipairs({ { "account.inventory", "1200" }, { "account.cogs", "5300" },
                          { "account.grni", "2050" }, { "account.adjustments", "5400" },
                          { "account.revenue", "4000" }, { "payment.cash", "1000" } }) do
        b.inventory:setting_set(kv[1], kv[2])
    end
    b.inventory:location_add("S1", "Store")
    b.inventory:item_add("A", "Widget")
    b.inventory:receive("A", "S1", 100, 10000, "2026-01-02", nil, "r1")
    local sale = bo.Sale("2026-01-03", "till")
    sale:set_key("s1")
    sale:line("A", "S1", 40, 500)
    sale:payment("cash", 20000)
    self.sale = b.inventory:sale_post(sale)
    b.commerce:party_add("V1", "Vendor", bo.PARTY_VENDOR)
    b.commerce:party_add("C1", "Customer", bo.PARTY_CUSTOMER)
    b.billing:setting_set("receivable_account", "1210")
    b.billing:setting_set("payable_account", "2000")
    b.documents:set_key(KEY)
    local f = assert(io.open(PACK, "rb"))
    b.payroll:pack_load(f:read("a"), "generic.yaml")
    f:close()
    b.payroll:employee_add("E1", "Worker", "2023-01-01")
    b.payroll:terms_set("E1", "2024-01-01", "salary", 300000, bo.PAYROLL_MONTHLY)
    -- Twelve approved runs, one a month of 2024, made before the rules.
    self.runs = {}
    for m = 1, 12 do
        local from, to = string.format("2024-%02d-01", m), string.format("2024-%02d-28", m)
        local run = b.payroll:run_create("run-" .. m, "generic", bo.PAYROLL_MONTHLY, from, to, to)
        b.payroll:run_calculate(run)
        b.payroll:run_approve(run)
        self.runs[m] = run
    end
    local perms = "ledger.read,ledger.post,book.admin,approval.read,inventory.read," ..
                  "inventory.write,sales.post,billing.read,billing.post,payroll.read," ..
                  "payroll.write,payroll.approve"
    b.security:role_define("clerk", perms)
    b.security:role_define("manager", perms)
end

TestAccessMatrix = { setUp = matrix_fixture, tearDown = teardown }

function TestAccessMatrix:make(h, command, n)
    local key = "m" .. n
    if command == "role.grant" then
        return h.security.role_grant(h.security, "new" .. n, "extra")
    elseif command == "ledger.entry.post" then
        return h.ledger.post(h.ledger, t.entry("2026-01-05", { { "1000", 7 }, { "3000", -7 } },
                                               nil, key))
    elseif command == "billing.payment.post" then
        local p = bo.Payment(bo.PAYMENT_MADE, "V1", "2026-01-05", 700, nil, "1100")
        p:set_key(key)
        return h.billing.payment_post(h.billing, p)
    elseif command == "billing.credit_note.post" then
        local note = bo.Invoice(bo.INVOICE_SALES_CREDIT, "C1", "2026-01-05")
        note:line("4000", "goods back", 1000, 1500, 0, nil)
        local doc = h.billing:invoice_save(note)
        return h.billing.invoice_post(h.billing, doc, "2026-01-06")
    elseif command == "inventory.stock.adjust" then
        return h.inventory.adjust(h.inventory, "A", "S1", -1, -1, "2026-01-05", "breakage", key)
    elseif command == "inventory.sale.return" then
        return h.inventory.sale_return(h.inventory, self.sale, 1, 1, "2026-01-06", "cash", key)
    elseif command == "inventory.sale.discount" then
        local sale = bo.Sale("2026-01-06", "till")
        sale:set_key(key)
        sale:line("A", "S1", 1, 500, 100) -- 20% off
        sale:payment("cash", 400)
        return h.inventory.sale_post(h.inventory, sale)
    elseif command == "payroll.run.post" then
        return h.payroll.run_post(h.payroll, self.runs[(n - 1) % 12 + 1])
    elseif command == "payroll.terms.set" then
        return h.payroll.terms_set(h.payroll, "E1", "2025-01-01", "salary", 400000 + n,
                                   bo.PAYROLL_MONTHLY)
    end
    return h.payroll.employee_set(h.payroll, "E1", "bank_account", "ACC-" .. n)
end

function TestAccessMatrix:effect(command, n)
    local b = self.book
    if command == "role.grant" then
        for _, r in ipairs(t.collect(b.security:role_list())) do
            if r.actor == "new" .. n then
                return 1
            end
        end
        return 0
    elseif command == "ledger.entry.post" then
        return balance(b)
    elseif command == "billing.payment.post" then
        return b.ledger:balance("1100", "2030-01-01")
    elseif command == "billing.credit_note.post" then
        return b.ledger:balance("1210", "2030-01-01")
    elseif command == "payroll.run.post" then
        return b.payroll:run_state(self.runs[(n - 1) % 12 + 1])
    elseif command == "payroll.terms.set" then
        return #t.collect(b.payroll:terms("E1"))
    elseif command == "payroll.bank_account.set" then
        return t.collect(b.payroll:employee_get("E1"))[1].bank_account
    end
    return b.inventory:stock("A", "S1")
end

function TestAccessMatrix:test_access_matrix()
    local n, executed = 0, 0
    for _, command in ipairs(COMMANDS) do
        self.book.approvals:rule_set(command, "manager")
        for _, maker in ipairs({ "carl", "mia" }) do
            for _, approver in ipairs({ "carl", "cleo", "mia", "mike", "vic", "stranger" }) do
                n = n + 1
                local m <close> = bo.Book(self.uri, maker)
                local a <close> = bo.Book(self.uri, approver)
                m.documents:set_key(KEY)
                a.documents:set_key(KEY)
                local before = self:effect(command, n)
                t.expect_error(bo.EPENDING, self.make, self, m, command, n)
                local rid = m.approvals:last()
                lu.assertEquals(self:effect(command, n), before)
                if approver ~= maker and ACTORS[approver] == "manager" then
                    a.approvals:approve(rid)
                    lu.assertNotEquals(self:effect(command, n), before,
                                       command .. " " .. maker .. " " .. approver)
                    executed = executed + 1
                else
                    t.expect_error(bo.EDENIED, a.approvals.approve, a.approvals, rid)
                    lu.assertEquals(self:effect(command, n), before)
                end
            end
        end
        self.book.approvals:rule_remove(command)
    end
    lu.assertEquals(executed, 3 * #COMMANDS)
    local known = {}
    for _, r in ipairs(t.collect(self.book.approvals:commands())) do
        known[#known + 1] = r.command
    end
    table.sort(known)
    local want = { table.unpack(COMMANDS) }
    table.sort(want)
    lu.assertEquals(known, want) -- every approvable command is in the matrix
end

os.exit(lu.LuaUnit.run())
