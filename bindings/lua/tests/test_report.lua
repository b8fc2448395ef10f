-- Reports through the Lua module: the sales metrics, the dashboard file and
-- money for people.
local lu = require("luaunit")
local bo = require("backoffice")
local t = require("bo_support")

local function fixture(self)
    self.book, self.uri, self.files = t.new_book()
    local b = self.book
    for _, a in ipairs({ { "1200", "Inventory", "asset" }, { "2100", "GRNI", "liability" },
                         { "5100", "COGS", "expense" } }) do
        b:account_add(a[1], a[2], a[3])
    end
    for _, kv in ipairs({ { "account.inventory", "1200" }, { "account.cogs", "5100" },
                          { "account.grni", "2100" }, { "account.revenue", "4000" },
                          { "payment.cash", "1000" } }) do
        b:inv_setting_set(kv[1], kv[2])
    end
    b:inv_location_add("S1", "Store", "store", 0)
    b:inv_item_add("B", "Beans", 3, bo.INVENTORY_AVERAGE)
    b:inv_receive("B", "S1", 5000, 5000, "2021-03-01", nil, "r1")
    local sale = bo.Sale("2021-03-01", "till")
    sale:set_key("s1")
    sale:line("B", "S1", 1500, 2000, 100)
    sale:payment("cash", 3000)
    b:inv_sale_post(sale)
end

local function teardown(self)
    self.book:close()
    t.cleanup(self.files.path, self.files.base)
end

TestReport = { setUp = fixture, tearDown = teardown }

function TestReport:test_metrics()
    local b = self.book
    local rows = t.collect(b.reports:metrics("2021-03-01", "2021-03-02", bo.REPORT_TOTAL))
    lu.assertEquals(#rows, 1)
    lu.assertEquals(rows[1].gross, 3000)
    lu.assertEquals(rows[1].discounts, 100)
    lu.assertEquals(rows[1].net, 2900)
    lu.assertEquals(math.type(rows[1].net), "integer")
    lu.assertEquals(rows[1].margin, 1400)
    local days = t.collect(b:report_metrics("2021-03-01", "2021-03-02", bo.REPORT_DAY,
                                            bo.REPORT_COMPARE_WEEK, "S1=WIB"))
    lu.assertEquals(days[1].key, "2021-03-01")
    lu.assertEquals(days[1].net, 2900)
    lu.assertEquals(days[2].net, 0)
    t.expect_error(bo.EINVAL, b.reports.metrics, b.reports, "2021-03-01", "2021-03-01", 42)
    t.expect_error(bo.EINVAL, b.reports.metrics, b.reports, "2021-03-01", "2021-03-01",
                   bo.REPORT_DAY, 0, "S1=Mars")
end

function TestReport:test_dashboard()
    local path = self.files.base .. "-dash.html"
    self.book.reports:dashboard(path, "2021-03-01", "2021-03-02")
    local f = assert(io.open(path, "rb"))
    local html = f:read("a")
    f:close()
    os.remove(path)
    lu.assertNotNil(html:find('data-key="2021-03-01" data-value="2900"', 1, true))
    lu.assertNil(html:find("<script", 1, true))
end

function TestReport:test_statements()
    local path = self.files.base .. "-is.csv"
    self.book.reports:statement(bo.REPORT_INCOME_STATEMENT, bo.REPORT_CSV, path,
                                "2021-03-01", "2021-03-01")
    local f = assert(io.open(path, "rb"))
    local text = f:read("a")
    f:close()
    os.remove(path)
    lu.assertNotNil(text:find(",4000,Sales,USD,29.00", 1, true))
    t.expect_error(bo.EINVAL, self.book.reports.statement, self.book.reports, 99,
                   bo.REPORT_CSV, path, "2021-03-01", "2021-03-01")
end

function TestReport:test_cash_flow()
    local b = self.book
    local rows = t.collect(b.reports:cash_flow("2021-03-01", "2021-03-31"))
    local by_name = {}
    for _, r in ipairs(rows) do
        if r.amount ~= nil then by_name[r.name] = r.amount end
    end
    lu.assertEquals(by_name["Net income"], 1400)
    lu.assertEquals(by_name["Net cash from operating activities"], 2900)
    lu.assertEquals(by_name["Cash at the end"], 2900)
    local path = self.files.base .. "-cf.csv"
    b.reports:cash_flow_write(bo.REPORT_CSV, path, "2021-03-01", "2021-03-31", "2100=financing")
    local f = assert(io.open(path, "rb"))
    local text = f:read("a")
    f:close()
    os.remove(path)
    lu.assertNotNil(text:find("financing,2100,GRNI,USD,50.00", 1, true))
    t.expect_error(bo.ENOTFOUND, b.reports.cash_flow, b.reports, "2021-03-01", "2021-03-31",
                   "9999=cash")
    t.expect_error(bo.EINVAL, b.reports.cash_flow, b.reports, "2021-03-01", "2021-03-31",
                   "1000=moon")
end

function TestReport:test_payroll_documents()
    local b = self.book
    for _, a in ipairs({ { "2210", "Tax", "liability" }, { "2220", "Pension", "liability" },
                         { "5200", "Employer", "expense" } }) do
        b:account_add(a[1], a[2], a[3])
    end
    local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
    local f = assert(io.open(here .. "/../../../data/payroll/generic.yaml", "rb"))
    b:pay_pack_load(f:read("a"), "generic.yaml")
    f:close()
    b:pay_employee_add("E1", "Ani Wijaya", "2023-01-01")
    b:pay_terms_set("E1", "2024-01-01", "salary", 250000, bo.PAYROLL_MONTHLY)
    local run = b:pay_run_create("jan", "generic", bo.PAYROLL_MONTHLY, "2024-01-01",
                                 "2024-01-31", "2024-01-31")
    b:pay_run_calculate(run)
    local path = self.files.base .. "-reg.csv"
    b.reports:payroll_register_write(run, bo.REPORT_CSV, path)
    local g = assert(io.open(path, "rb"))
    local text = g:read("a")
    g:close()
    os.remove(path)
    lu.assertNotNil(text:find("E1,Ani Wijaya,,USD,2500.00,275.00,2225.00,125.00", 1, true))
    local slip = self.files.base .. "-slip.html"
    b.reports:payslip_write(run, "E1", bo.REPORT_HTML, slip)
    g = assert(io.open(slip, "rb"))
    text = g:read("a")
    g:close()
    os.remove(slip)
    lu.assertNotNil(text:find('data-value="222500">$2,225.00', 1, true))
    t.expect_error(bo.ENOTFOUND, b.reports.payslip_write, b.reports, run, "E9", bo.REPORT_HTML,
                   slip)
    t.expect_error(bo.ENOTFOUND, b.reports.payroll_register_write, b.reports, run + 5,
                   bo.REPORT_CSV, path)
end

function TestReport:test_money()
    lu.assertEquals(bo.report_money(1234500000, "IDR"), "Rp 12.345.000")
    lu.assertEquals(bo.report_money(123450, "USD"), "$1,234.50")
    t.expect_error(bo.ECURRENCY, bo.report_money, 1, "XX")
end

os.exit(lu.LuaUnit.run(), true)
