-- People through the Lua module: every method of book.people, the night
-- shift whose check-out belongs to its first day, the leave ledger, and the
-- access matrix.
local lu = require("luaunit")
local bo = require("backoffice")
local t = require("bo_support")

TestPeople = {
    setUp = function(self)
        self.book, self.uri, self.files = t.new_book()
        local b = self.book
        b.payroll:employee_add("E1", "Ayu", "2020-01-01")
        local p = b.people
        p:shift_type_add("NIGHT", "18:00", "07:00", 60, 5)
        p:shift_type_add("DAY", "09:00", "17:00", 0, 5, 5)
    end,
    tearDown = function(self)
        self.book:close()
        t.cleanup(self.files.path, self.files.base)
    end,
}

function TestPeople:test_night_shift_and_attendance()
    local p = self.book.people
    lu.assertTrue(p:shift_assign("E1", "2026-03-02", "NIGHT", "S1", "cashier") > 0)
    lu.assertEquals(p:shift_repeat("E1", "DAY", "S1", "cashier", "2026-03-03", "2026-03-03",
                                   0x7f, 1), 1)
    lu.assertEquals(p:roster_publish("S1", "2026-03-01", "2026-03-31"), 2)
    lu.assertEquals(#t.collect(p:shifts("S1", "2026-03-01", "2026-03-31")), 2)
    for i, at in ipairs({ "2026-03-02T17:55", "2026-03-03T07:05", "2026-03-03T08:55",
                          "2026-03-03T17:02" }) do
        lu.assertTrue(p:punch("E1", at, bo.PEOPLE_PUNCH_ANY, "lua-" .. i) > 0)
    end
    lu.assertEquals(p:attendance_run("2026-03-02", "2026-03-03", "2026-03-04T00:00"), 2)
    local rows = t.collect(p:attendance("E1", "2026-03-02", "2026-03-03"))
    lu.assertEquals(rows[1].status, "present")
    lu.assertEquals(rows[2].status, "present")
    lu.assertEquals(rows[1].check_out, rows[1].check_in + 13 * 60 + 10)
    lu.assertEquals(math.type(rows[1].check_out), "integer")
    lu.assertEquals(p:attendance_post("2026-03-01", "2026-03-31"), 2)
end

function TestPeople:test_rules_and_holidays()
    local p = self.book.people
    p:limit_set("rest", 660)
    p:holiday_add("default", "2026-03-19", "Nyepi")
    lu.assertEquals(#t.collect(p:holidays("default", "2026-01-01", "2026-12-31")), 1)
    lu.assertEquals(p:shift_check("E1", "2026-03-19", "DAY", "S1"), bo.PEOPLE_RULE_HOLIDAY)
    p:shift_assign("E1", "2026-03-02", "NIGHT", "S1", "cashier")
    local err = t.expect_error(bo.ESTATE, p.shift_assign, p, "E1", "2026-03-03", "DAY", "S1",
                               "cashier")
    lu.assertEquals(err.message:sub(1, 5), "rest:")
    lu.assertEquals(#t.collect(p:shift_types()), 2)
end

function TestPeople:test_leave()
    local p = self.book.people
    p:leave_policy_add("P12", bo.PEOPLE_ACCRUE_YEARLY, 1200, 0, 1200, 3)
    p:leave_entitle("E1", "P12", "2024-01-01")
    p:leave_decide(p:leave_request("E1", "P12", "2024-06-03", "2024-06-03"))
    p:leave_decide(p:leave_request("E1", "P12", "2025-01-06", "2025-01-17", 0, "lua-leave"))
    lu.assertEquals(p:leave_balance("E1", "P12", "2025-04-01"), 1100)
    lu.assertEquals(p:leave_expired("E1", "P12", "2025-04-01"), 0)
    p:leave_collective("P12", "2025-12-24", 100)
    lu.assertEquals(p:leave_balance("E1", "P12", "2025-12-31"), 1000)
    lu.assertEquals(#t.collect(p:leave_requests("E1")), 2)
    t.expect_error(bo.EINVAL, p.punch, p, "E1", "2025-02-02T09:00", 0, "a\0b")
end

function TestPeople:test_access_matrix()
    local b = self.book
    b:role_define("cashier", "ledger.read sales.post payroll.read")
    b:role_grant("cashier", "cashier")
    local calls = {
        function(h) return h.people:shift_types() end,
        function(h) return h.people:shifts(nil, "2026-01-01", "2026-01-31") end,
        function(h) return h.people:attendance(nil, "2026-01-01", "2026-01-31") end,
        function(h) return h.people:leave_requests() end,
        function(h) return h.people:shift_assign("E1", "2026-01-05", "DAY", "S1", "x") end,
        function(h) return h.people:punch("E1", "2026-01-05T09:00", 0, "k") end,
        function(h) return h.people:limit_set("rest", 600) end,
    }
    for _, actor in ipairs({ "cashier", "nobody" }) do
        local h = bo.open(self.uri, { actor = actor, sync = bo.SYNC_OFF })
        for i, call in ipairs(calls) do
            local ok, err = pcall(call, h)
            lu.assertFalse(ok, actor .. " call " .. i)
            lu.assertTrue(bo.is_error(err, bo.EDENIED), actor .. " call " .. i .. ": " .. tostring(err))
            lu.assertNil(tostring(err):find("Ayu", 1, true))
        end
        h:close()
    end
end

os.exit(lu.LuaUnit.run())
