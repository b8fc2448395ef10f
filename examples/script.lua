-- A day at a small shop, through the Lua module.
--
-- Creates a book in a temporary file, sets up a chart of accounts, records a
-- few sales and a supplier bill (one sale retried by a flaky terminal), then
-- prints the trial balance and the balance sheet and verifies the audit
-- chain. Run it with the module on LUA_CPATH.
local bo = require("backoffice")

local function money(amount) return bo.money_format(amount, "USD") end

local base = os.tmpname()
local path = base .. ".db"

local function main()
    local book <close> = bo.open("sqlite:" .. path,
                                 { actor = "owner", create = true, base_currency = "USD" })
    for _, a in ipairs({ { "1000", "Cash", "asset" }, { "1200", "Inventory", "asset" },
                         { "2000", "Payables", "liability" }, { "3000", "Owner equity", "equity" },
                         { "4000", "Sales", "income" }, { "5000", "Cost of goods", "expense" } }) do
        book.ledger:account_add(a[1], a[2], a[3])
    end

    local posted = 0
    book:subscribe("entry.posted", function() posted = posted + 1 end)

    -- Opening capital and a supplier bill, as one unit of work.
    book:transaction(function(b)
        local capital = bo.Entry("2026-03-01", "opening capital")
        capital:add("1000", bo.money_parse("500.00", "USD"))
        capital:add("3000", -bo.money_parse("500.00", "USD"))
        b:post(capital)
        local bill = bo.Entry("2026-03-01", "stock from the wholesaler")
        bill:add("1200", 18000)
        bill:add("2000", -18000)
        b:post(bill)
    end)

    -- Till receipts; the terminal retries receipt 2 after a timeout.
    local ids = {}
    for _, r in ipairs({ { "0001", "12.50" }, { "0002", "7.25" }, { "0002", "7.25" },
                         { "0003", "40.00" } }) do
        local amount = bo.money_parse(r[2], "USD")
        local sale = bo.Entry("2026-03-14", "receipt " .. r[1])
        sale:add("1000", amount)
        sale:add("4000", -amount)
        sale:set_key("till-1/" .. r[1])
        local id = book.ledger:post(sale)
        assert(ids[r[1]] == nil or ids[r[1]] == id, "a retry recorded twice")
        ids[r[1]] = id
    end

    -- Cost of the goods sold: 40% of sales, split over the three receipts.
    local cost = bo.money_muldiv(bo.money_parse("59.75", "USD"), 40, 100, bo.ROUND_HALF_EVEN)
    local cogs = bo.Entry("2026-03-14", "cost of goods sold")
    for _, share in ipairs(bo.money_split(cost, { 1250, 725, 4000 })) do
        cogs:add("5000", share)
    end
    cogs:add("1200", -cost)
    book.ledger:post(cogs)

    -- A bad entry is refused with a specific error and changes nothing.
    local bad = bo.Entry("2026-03-14", "typo")
    bad:add("1000", 100)
    bad:add("4000", -10)
    local ok, err = pcall(book.post, book, bad)
    assert(not ok and err.code == bo.EUNBALANCED, "an unbalanced entry was accepted")
    print(string.format("refused (%s, code %d): %s", err.name, err.code, tostring(err)))

    print("\nTrial balance at 2026-03-14")
    local debit, credit = 0, 0
    for row in book.ledger:trial_balance("2026-03-14"):rows() do
        print(string.format("  %-6s %-16s %12s %12s", row.code, row.name,
                            money(row.debit), money(row.credit)))
        debit, credit = debit + row.debit, credit + row.credit
    end
    print(string.format("  %-23s %12s %12s", "total", money(debit), money(credit)))
    assert(debit == credit)

    print("\nBalance sheet at 2026-03-14")
    for row in book.ledger:balance_sheet("2026-03-14"):rows() do
        print(string.format("  %-10s %-18s %12s", row.section, row.name, money(row.amount)))
    end

    local cash = book.ledger:balance("1000", "2026-03-14")
    assert(cash == 50000 + 1250 + 725 + 4000, cash)
    print(string.format("\ncash: %s USD; %d entries posted", money(cash), posted))

    book.audit:verify()
    local seq, digest = book.audit:head()
    print(string.format("audit chain intact: %d records, head %s", seq, digest:sub(1, 16)))
end

local ok, err = pcall(main)
for _, p in ipairs({ path, path .. "-wal", path .. "-shm", base }) do
    os.remove(p)
end
if not ok then
    io.stderr:write(tostring(err), "\n")
    os.exit(1, true)
end
os.exit(0, true)
