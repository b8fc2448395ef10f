-- The roster's gaps through the Lua module: unavailability refused with its
-- own rule, the understaffing report, an open shift claimed, a swap
-- accepted by the colleague and approved by a manager.
local lu = require("luaunit")
local bo = require("backoffice")
local t = require("bo_support")

TestRoster = {
    setUp = function(self)
        self.book, self.uri, self.files = t.new_book()
        local b = self.book
        b.payroll:employee_add("E1", "Ayu", "2020-01-01")
        b.payroll:employee_add("E2", "Budi", "2020-01-01")
        b.people:shift_type_add("DAY", "09:00", "17:00")
    end,
    tearDown = function(self)
        self.book:close()
        t.cleanup(self.files.path, self.files.base)
    end,
}

function TestRoster:test_unavailability_and_headcount()
    local p = self.book.people
    lu.assertTrue(p:unavailable_add("E1", "2026-03-03T08:00", "2026-03-03T12:00") > 0)
    local err = t.expect_error(bo.ESTATE, p.shift_assign, p, "E1", "2026-03-03", "DAY", "S1",
                               "cashier")
    lu.assertEquals(err.message:sub(1, 12), "unavailable:")
    lu.assertEquals(p:shift_check("E1", "2026-03-03", "DAY", "S1"), bo.PEOPLE_RULE_UNAVAILABLE)
    lu.assertEquals(t.collect(p:unavailability("E1", "2026-03-01", "2026-03-31"))[1].from_at,
                    "2026-03-03T08:00")
    p:headcount_set("S1", "cashier", 0x1f, "08:00", "18:00", 1)
    p:shift_assign("E2", "2026-03-03", "DAY", "S1", "cashier")
    local short = t.collect(p:understaffed("S1", "2026-03-03", "2026-03-03"))
    lu.assertEquals(#short, 2)
    lu.assertEquals(short[2].hour, "17:00")
    lu.assertEquals(math.type(short[2].missing), "integer")
end

function TestRoster:test_open_shift_and_swap()
    local p = self.book.people
    local o = p:open_shift_add("2026-03-05", "DAY", "S1", "cashier")
    local sid = p:open_shift_claim(o, "E1")
    lu.assertEquals(t.collect(p:open_shifts("S1", "2026-03-01", "2026-03-31"))[1].claimed_by,
                    "E1")
    local w = p:swap_propose(sid, "E2")
    t.expect_error(bo.ESTATE, p.swap_decide, p, w)
    p:swap_accept(w)
    p:swap_decide(w)
    lu.assertEquals(t.collect(p:shifts("S1", "2026-03-05", "2026-03-05"))[1].employee, "E2")
    lu.assertEquals(t.collect(p:swaps("2026-03-01", "2026-03-31"))[1].status, "approved")
end

function TestRoster:test_icalendar()
    local p = self.book.people
    p:shift_type_add("NIGHT", "18:00", "07:00")
    p:shift_assign("E1", "2026-03-02", "NIGHT", "S1", "cashier")
    local out = self.files.base .. ".ics"
    p:roster_export_ics("E1", "2026-03-01", "2026-03-31", out)
    local f = assert(io.open(out, "rb"))
    local text = f:read("a"):gsub("\r\n ", "")
    f:close()
    lu.assertNotNil(text:find("DTSTART:20260302T180000", 1, true))
    lu.assertNotNil(text:find("DTEND:20260303T070000", 1, true))
    lu.assertNotNil(text:find("STATUS:TENTATIVE", 1, true))
    p:holiday_add("default", "2026-03-19", "Nyepi")
    p:holidays_export_ics("default", "2026-01-01", "2026-12-31", out)
    lu.assertEquals(p:holidays_import_ics("COPY", out), 1)
    lu.assertEquals(t.collect(p:holidays("COPY", "2026-01-01", "2026-12-31"))[1].name, "Nyepi")
    os.remove(out)
end


function TestRoster:test_store_manager_sees_only_her_store()
    local b = self.book
    b.people:shift_assign("E1", "2026-03-05", "DAY", "S1", "cashier")
    b.people:shift_assign("E2", "2026-03-05", "DAY", "S2", "cashier")
    b.security:role_define("manager", "people.read people.write people.approve")
    b.security:role_grant_location("mara", "manager", "S1")
    for _, r in ipairs(t.collect(b.security:role_list())) do
        if r.actor == "mara" then lu.assertEquals(r.location, "S1") end
    end
    t.expect_error(bo.EINVAL, b.security.role_grant_location, b.security, "mara", "manager",
                   "S\0" .. "1")
    local mara <close> = bo.Book(self.uri, "mara")
    local rows = t.collect(mara.people:shifts(nil, "2026-03-01", "2026-03-31"))
    lu.assertEquals(#rows, 1)
    lu.assertEquals(rows[1].location, "S1")
    local err = t.expect_error(bo.EDENIED, mara.people.shifts, mara.people, "S2", "2026-03-01",
                               "2026-03-31")
    lu.assertStrContains(err.message, "S2")
    t.expect_error(bo.EDENIED, mara.people.shift_assign, mara.people, "E1", "2026-03-06", "DAY",
                   "S2", "cashier")
    mara.people:shift_assign("E1", "2026-03-06", "DAY", "S1", "cashier")
    lu.assertEquals(#t.collect(b.people:shifts("S2", "2026-03-01", "2026-03-31")), 1)
end

function TestRoster:test_keys_answer_the_first()
    local p = self.book.people
    local u = p:unavailable_add("E1", "2026-03-03T08:00", "2026-03-03T12:00", "u-1")
    lu.assertEquals(p:unavailable_add("E1", "2026-03-03T08:00", "2026-03-03T12:00", "u-1"), u)
    local err = t.expect_error(bo.EKEYREUSE, p.unavailable_add, p, "E2", "2026-03-03T08:00",
                               "2026-03-03T12:00", "u-1")
    lu.assertStrContains(err.message, "u-1")
    lu.assertEquals(#t.collect(p:unavailability(nil, "2026-03-01", "2026-03-31")), 1)
    local o = p:open_shift_add("2026-03-05", "DAY", "S1", "cashier", "o-1")
    lu.assertEquals(p:open_shift_add("2026-03-05", "DAY", "S1", "cashier", "o-1"), o)
    t.expect_error(bo.EKEYREUSE, p.open_shift_add, p, "2026-03-05", "DAY", "S2", "cashier",
                   "o-1")
    local sid = p:open_shift_claim(o, "E1")
    local w = p:swap_propose(sid, "E2", "w-1")
    lu.assertEquals(p:swap_propose(sid, "E2", "w-1"), w)
    lu.assertEquals(#t.collect(p:swaps("2026-03-01", "2026-03-31")), 1)
    t.expect_error(bo.EINVAL, p.swap_propose, p, sid, "E2", "w\0")
end

function TestRoster:test_access_matrix()
    local b = self.book
    b.security:role_define("cashier", "ledger.read sales.post payroll.read")
    b.security:role_grant("cashier", "cashier")
    local calls = {
        function(p) return p:unavailable_add("E1", "2026-03-03T08:00", "2026-03-03T12:00") end,
        function(p) return p:unavailable_add("E1", "2026-03-03T08:00", "2026-03-03T12:00", "k") end,
        function(p) return p:unavailability(nil, "2026-03-01", "2026-03-31") end,
        function(p) return p:headcount_set("S1", "cashier", 1, "08:00", "09:00", 1) end,
        function(p) return p:understaffed("S1", "2026-03-01", "2026-03-31") end,
        function(p) return p:open_shift_add("2026-03-05", "DAY", "S1", "cashier") end,
        function(p) return p:open_shift_add("2026-03-05", "DAY", "S1", "cashier", "k") end,
        function(p) return p:open_shift_claim(1, "E1") end,
        function(p) return p:open_shifts(nil, "2026-03-01", "2026-03-31") end,
        function(p) return p:swap_propose(1, "E2") end,
        function(p) return p:swap_propose(1, "E2", "k") end,
        function(p) return p:swap_accept(1) end,
        function(p) return p:swap_decide(1) end,
        function(p) return p:swaps("2026-03-01", "2026-03-31") end,
    }
    for _, actor in ipairs({ "cashier", "nobody" }) do
        local h <close> = bo.Book(self.uri, actor)
        for i, call in ipairs(calls) do
            local err = t.expect_error(bo.EDENIED, call, h.people)
            lu.assertNil(tostring(err.message):find("Ayu", 1, true), actor .. " call " .. i)
        end
        t.expect_error(bo.EDENIED, h.security.role_grant_location, h.security, actor, "cashier",
                       "S1")
    end
end

os.exit(lu.LuaUnit.run(), true)
