-- Payroll through the Lua module: a run's life and the access matrix.
local lu = require("luaunit")
local bo = require("backoffice")
local t = require("bo_support")

local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
local PACK = here .. "/../../../data/payroll/generic.yaml"

TestPayroll = {
    setUp = function(self)
        self.book, self.uri, self.files = t.new_book()
        local b = self.book
        for _, a in ipairs({ { "2100", "Net pay", "liability" }, { "2210", "Tax", "liability" },
                             { "2220", "Pension", "liability" }, { "5100", "Wages", "expense" },
                             { "5200", "Employer", "expense" } }) do
            b:account_add(a[1], a[2], a[3])
        end
        local f = assert(io.open(PACK, "rb"))
        b:pay_pack_load(f:read("a"), "generic.yaml")
        f:close()
        b:pay_employee_add("SECRET-1", "Ann", "2023-01-01")
        b:pay_terms_set("SECRET-1", "2024-01-01", "salary", 987654, bo.PAYROLL_MONTHLY)
        self.run = b:pay_run_create("jan", "generic", bo.PAYROLL_MONTHLY,
                                    "2024-01-01", "2024-01-31", "2024-01-31")
        b:pay_run_calculate(self.run)
    end,
    tearDown = function(self)
        self.book:close()
        t.cleanup(self.files.path, self.files.base)
    end,
}

function TestPayroll:test_life()
    local b = self.book
    b:pay_run_approve(self.run)
    lu.assertTrue(b:pay_run_post(self.run) > 0)
    local salary
    for _, r in ipairs(t.collect(b:pay_payslip(self.run, "SECRET-1"))) do
        if r.component == "salary" then salary = r.amount end
    end
    lu.assertEquals(salary, 987654)
    lu.assertEquals(b:pay_run_state(self.run), bo.PAYROLL_POSTED)
    b:pay_run_reverse(self.run, "2024-02-01")
    lu.assertEquals(bo.pay_schedule_parse("bi-weekly"), bo.PAYROLL_BI_WEEKLY)
    t.expect_error(bo.ECONFIG, function()
        return bo.pay_pack_check("pack: x\n", "x.yaml")
    end)
end

function TestPayroll:test_inputs_and_previous_employer()
    local b = self.book
    local f = assert(io.open(here .. "/../../../data/payroll/id-2024.yaml", "rb"))
    b:pay_pack_load(f:read("a"), "id-2024.yaml")
    f:close()
    b:pay_employee_add("D", "Tuan D", "2024-09-01")
    b:pay_employee_set("D", "tax_status", "TK/0")
    b:pay_employee_set("D", "pay_group", "id")
    b:pay_terms_set("D", "2024-09-01", "salary", 2250000000, bo.PAYROLL_MONTHLY)
    b:pay_input_add("D", "pension", "2024-09-01", "2024-12-31", 10000000)
    b:pay_previous_add("D", 2024, "2024-01-01", "2024-08-31", 14000000000, 13520000000,
                       618000000)
    t.expect_error(bo.EINVAL, function()
        return b:pay_previous_add("D", 2024, "2023-01-01", "2023-08-31", 1, 1, 1)
    end)
    local run = b.payroll:run_create("dec", "id-2024", bo.PAYROLL_MONTHLY,
                                     "2024-12-01", "2024-12-31", "2024-12-31", "id")
    b:pay_run_calculate(run)
    local fig = {}
    for _, r in ipairs(t.collect(b:pay_payslip(run, "D"))) do fig[r.component] = r end
    lu.assertEquals(fig.neto_previous.amount, 13520000000)
    lu.assertEquals(fig.neto_previous.kind, "figure")
    lu.assertEquals(fig.withheld.amount, 618000000)
end

function TestPayroll:test_access_matrix()
    local b = self.book
    b:role_define("cashier", "ledger.read ledger.post sales.post")
    b:role_grant("cashier", "cashier")
    local run = self.run
    local calls = {
        function(h) return h:pay_employees() end,
        function(h) return h:pay_employee_get("SECRET-1") end,
        function(h) return h:pay_employee_search("SEC") end,
        function(h) return h:pay_terms("SECRET-1") end,
        function(h) return h:pay_time("SECRET-1", "2024-01-01", "2024-12-31") end,
        function(h) return h:pay_payslip(run, "SECRET-1") end,
        function(h) return h:pay_payslip_render(run, "SECRET-1", "html") end,
        function(h) return h:pay_register(run) end,
        function(h) return h:pay_ytd("SECRET-1", 2024) end,
        function(h) return h:pay_export(run, "csv") end,
        function(h) return h:pay_withholding_export(2024, 1) end,
        function(h) return h:pay_runs() end,
        function(h) return h:pay_packs() end,
        function(h) return h:pay_run_state(run) end,
        function(h) return h:pay_pack_eval("generic", "base_salary=987654", "salary") end,
    }
    for _, actor in ipairs({ "cashier", "nobody" }) do
        local h = bo.open(self.uri, { actor = actor, sync = bo.SYNC_OFF })
        for i, call in ipairs(calls) do
            local ok, err = pcall(call, h)
            lu.assertFalse(ok, actor .. " call " .. i)
            -- a denial, not any error: a call that failed for another
            -- reason proves nothing about permissions
            lu.assertTrue(bo.is_error(err, bo.EDENIED),
                          actor .. " call " .. i .. ": " .. tostring(err))
            local text = tostring(err)
            lu.assertNil(text:find("SECRET", 1, true))
            lu.assertNil(text:find("987654", 1, true))
            lu.assertNil(text:find("Ann", 1, true))
        end
        h:close()
    end
    for _, call in ipairs(calls) do
        local r = call(b)
        lu.assertNotNil(r)
    end
    local h = bo.open(self.uri, { actor = "cashier", sync = bo.SYNC_OFF })
    local ok, err = pcall(h.pay_form_1721a1, h, "SECRET-1", 2024)
    lu.assertFalse(ok)
    lu.assertTrue(bo.is_error(err, bo.EDENIED), tostring(err))
    h:close()
end

-- Form 1721-A1, the month's withholding CSV and an Indonesian payslip of
-- example 2 (Tuan B joins in September, refund in December).
function TestPayroll:test_indonesian_outputs()
    local b, _, files = t.new_book()
    for _, a in ipairs({ { "2100", "liability" }, { "2210", "liability" },
                         { "2220", "liability" }, { "2230", "liability" },
                         { "2240", "liability" }, { "5100", "expense" },
                         { "5200", "expense" } }) do
        b.ledger:account_add(a[1], "id " .. a[1], a[2], nil, "IDR")
    end
    local f = assert(io.open(here .. "/../../../data/payroll/id-2024.yaml", "rb"))
    b.payroll:pack_load(f:read("a"), "id-2024.yaml")
    f:close()
    b.payroll:employee_add("B", "Tuan <B>", "2024-09-01")
    b.payroll:employee_set("B", "tax_status", "TK/0")
    b.payroll:employee_set("B", "pay_group", "id")
    b.payroll:terms_set("B", "2024-09-01", "salary", 1550000000, bo.PAYROLL_MONTHLY)
    b.payroll:input_add("B", "pension", "2024-09-01", "2024-12-31", 10000000)
    local last = { [9] = 30, [10] = 31, [11] = 30, [12] = 31 }
    local run
    for m = 9, 12 do
        local d1, d2 = string.format("2024-%02d-01", m), string.format("2024-%02d-%02d", m, last[m])
        run = b.payroll:run_create("id-" .. m, "id-2024", bo.PAYROLL_MONTHLY, d1, d2, d2, "id")
        b.payroll:run_calculate(run)
        b.payroll:run_approve(run)
        b.payroll:run_post(run)
    end
    local doc = t.collect(b.payroll:form_1721a1("B", 2024, "text"))[1].document
    lu.assertStrContains(doc, " 8. Jumlah penghasilan bruto (1 s.d. 7)")
    lu.assertStrContains(doc, "62.000.000\n")
    lu.assertStrContains(doc, "(2.975.000)\n")
    lu.assertStrContains(doc, "21-100-01")
    local html = t.collect(b.payroll:form_1721a1("B", 2024, "html"))[1].document
    lu.assertStrContains(html, "Tuan &lt;B&gt;")
    lu.assertStrContains(html, 'id="line-20">280.000<')
    local csv = t.collect(b.payroll:withholding_export(2024, 12))[1].document
    lu.assertStrContains(csv, '2024-12,"B","","Tuan <B>","TK/0",21-100-01,'
                         .. '15500000.00,-2975000.00,,,annual,IDR\r\n')
    local slip = t.collect(b.payroll:payslip_render(run, "B", "text-id"))[1].document
    lu.assertStrContains(slip, "Kelebihan PPh 21 dikembalikan")
    lu.assertStrContains(slip, "Rp 2.975.000")
    t.expect_error(bo.EINVAL, b.payroll.withholding_export, b.payroll, 2024, 0)
    t.expect_error(bo.EINVAL, b.payroll.form_1721a1, b.payroll, "B\0x", 2024)
    t.expect_error(bo.ENOTFOUND, b.payroll.form_1721a1, b.payroll, "B", 2023)
    b:close()
    t.cleanup(files.path, files.base)
end

os.exit(lu.LuaUnit.run())
