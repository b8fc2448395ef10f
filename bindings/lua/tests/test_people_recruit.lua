-- Recruitment and reviews through the Lua module: every new method of
-- book.people, the purge after which the applicant's name is nowhere in
-- the book's file, the exact weighted review score, and the access matrix.
local lu = require("luaunit")
local bo = require("backoffice")
local t = require("bo_support")

local NAME = "Sekar Wulandari"
local EMAIL = "sekar.wulandari@example.org"

TestRecruit = {
    setUp = function(self)
        self.book, self.uri, self.files = t.new_book()
        local p = self.book.people
        p:stage_set("screen", "Screening", 10)
        p:stage_set("interview", "Interview", 20)
        p:opening_add("CASHIER", "Cashier", "S1", "cashier", "2026-02-01")
    end,
    tearDown = function(self)
        self.book:close()
        t.cleanup(self.files.path, self.files.base)
    end,
}

local function apply(book, name, email, key)
    return book.people:applicant_add("CASHIER", name or NAME, email or EMAIL, "I agree",
                                     "2026-02-10", nil, 0, key)
end

local function file_has(path, needle)
    local f = io.open(path, "rb")
    if not f then
        return false
    end
    local data = f:read("a")
    f:close()
    return data:find(needle, 1, true) ~= nil
end

function TestRecruit:test_hire_and_stages()
    local p = self.book.people
    local a = apply(self.book, nil, nil, "lua-1")
    lu.assertEquals(apply(self.book, nil, nil, "lua-1"), a)
    lu.assertEquals(math.type(a), "integer")
    lu.assertEquals(t.collect(p:stages())[1].code, "screen")
    p:applicant_move(a, "interview", "2026-02-12")
    p:applicant_hire(a, "E9", "2026-03-01")
    local rows = t.collect(p:applicants("CASHIER"))
    lu.assertEquals(rows[1].status, "hired")
    lu.assertEquals(rows[1].employee, "E9")
    lu.assertEquals(t.collect(p:openings())[1].applicants, 1)
    p:opening_close("CASHIER")
    t.expect_error(bo.ESTATE, apply, self.book)
end

function TestRecruit:test_export_erase_and_purge()
    local p = self.book.people
    local b = self.book
    local a = apply(b)
    local d <close> = bo.Doc("application_form", "CV", "2026-02-10")
    local doc = b:doc_create(d)
    b:doc_add_bytes(doc, NAME .. " CV", "sekar_cv.txt")
    b:doc_link(doc, "applicant", tostring(a))
    local out = self.files.base .. ".json"
    p:applicant_export(a, out)
    lu.assertTrue(file_has(out, '"email": "' .. EMAIL .. '"'))
    os.remove(out)
    p:applicant_retention_set(10)
    p:applicant_close(a, bo.PEOPLE_WITHDRAWN, "2026-02-20")
    lu.assertEquals(p:applicant_purge("2026-03-01"), 0)
    lu.assertEquals(p:applicant_purge("2026-03-03"), 1)
    lu.assertFalse(file_has(self.files.path, NAME))
    lu.assertFalse(file_has(self.files.path .. "-wal", EMAIL))
    local k = apply(b, "Kadek", "kadek@example.org")
    p:applicant_erase(k)
    t.expect_error(bo.ESTATE, p.applicant_erase, p, k)
end

function TestRecruit:test_review_score()
    local p = self.book.people
    self.book.payroll:employee_add("E1", "Ayu", "2020-01-01")
    p:review_cycle_add("H1", "First half", "2026-01-01", "2026-06-30")
    p:review_criterion_add("H1", "a", "A", 50)
    p:review_criterion_add("H1", "b", "B", 30)
    p:review_criterion_add("H1", "c", "C", 20)
    local r = p:review_open("H1", "E1")
    p:review_score(r, "a", bo.PEOPLE_MANAGER, 375)
    p:review_score(r, "b", bo.PEOPLE_MANAGER, 210, "slow start")
    p:review_score(r, "c", bo.PEOPLE_MANAGER, 500)
    lu.assertEquals(p:review_result(r, bo.PEOPLE_MANAGER), 351)
    lu.assertEquals(t.collect(p:review_scores(r))[2].manager_note, "slow start")
    t.expect_error(bo.EINVAL, p.review_score, p, r, "a", bo.PEOPLE_SELF, 99)
end

function TestRecruit:test_access_matrix()
    local a = apply(self.book)
    self.book:role_define("manager", "people.read people.write people.approve")
    self.book:role_grant("maria", "manager")
    local h = bo.open(self.uri, { actor = "maria", sync = bo.SYNC_OFF })
    local p = h.people
    lu.assertEquals(#t.collect(p:stages()), 2)
    local calls = {
        function() return p:applicants() end,
        function() return p:applicant_add("CASHIER", "X", "x@example.org", "yes", "2026-02-11") end,
        function() return p:applicant_export(a, "/nonexistent/x.json") end,
        function() return p:applicant_erase(a) end,
        function() return p:applicant_purge("2026-01-01") end,
        function() return p:opening_add("X", "t", "S1", "r", "2026-01-01") end,
        function() return p:review_cycle_add("H9", "x", "2026-01-01", "2026-02-01") end,
    }
    for _, call in ipairs(calls) do
        local err = t.expect_error(bo.EDENIED, call)
        lu.assertNil(err.message:find("Sekar", 1, true))
    end
    h:close()
end

os.exit(lu.LuaUnit.run(), true)
