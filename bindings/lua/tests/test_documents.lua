-- Document records through the Lua module: builders, bytes in and out,
-- versions, integrity, keys, retention, search and the access matrix.
local lu = require("luaunit")
local bo = require("backoffice")
local t = require("bo_support")

local KEY = string.rep("k", 32)
local OTHER_KEY = string.rep("o", 32)

local function new_doc(book, title, cls, doc_type, date)
    local d <close> = bo.Doc(doc_type or "contract", title, date or "2020-01-10")
    d:set_class(cls or "internal")
    d:set_meta("party", "Acme")
    d:add_tag("supplier")
    return book:doc_create(d)
end

TestDocuments = {
    setUp = function(self)
        self.book, self.uri, self.files = t.new_book()
        -- Metadata fields are the type's: the "party" field of new_doc.
        for _, doc_type in ipairs({ "contract", "invoice" }) do
            self.book:doc_type_field_add(doc_type, "party", "text")
        end
    end,
    tearDown = function(self)
        self.book:close()
        t.cleanup(self.files.path, self.files.base)
    end,
}

function TestDocuments:test_bytes_round_trip_and_versions()
    local b = self.book
    local id = new_doc(b, "Widget contract")
    local parts = {}
    for i = 0, 255 do parts[#parts + 1] = string.char(i) end
    local data = string.rep(table.concat(parts), 1000) .. "\0tail"
    lu.assertEquals(b:doc_add_bytes(id, data, "contract.pdf"), 1)
    lu.assertEquals(b:doc_add_bytes(id, "second"), 2)
    lu.assertEquals(b:doc_read(id, 1), data)
    lu.assertEquals(b:doc_read(id), "second")
    local r <close> = b:doc_reader(id, 1)
    lu.assertEquals(r:size(), #data)
    local first = r:read(10)
    lu.assertEquals(first, data:sub(1, 10))
    lu.assertEquals(first .. r:readall(), data)
    lu.assertEquals(r:read(10), "")
    local versions = t.collect(b:doc_versions(id))
    lu.assertEquals(#versions, 2)
    lu.assertEquals(versions[1].size, #data)
    lu.assertEquals(versions[1].filename, "contract.pdf")
    local row = t.collect(b:doc_get(id))[1]
    lu.assertEquals({ row.title, row.versions }, { "Widget contract", 2 })
    lu.assertTrue(math.type(row.id) == "integer")
end

function TestDocuments:test_writer_streams_and_discards()
    local b = self.book
    local id = new_doc(b, "Streamed")
    local w = b:doc_writer(id, "big.bin")
    for i = 1, 5 do w:write(string.rep(string.char(i), 300000)) end
    lu.assertEquals(w:finish(), 1)
    t.expect_error(bo.ESTATE, function() return w:write("more") end)
    w:close()
    lu.assertEquals(#b:doc_read(id), 1500000)
    local w2 = b:doc_writer(id)
    w2:write("abandoned")
    w2:close()
    lu.assertEquals(#t.collect(b:doc_versions(id)), 1)
    t.expect_error(bo.ESTATE, function() return w2:write("x") end)
    -- a handle that outlives its book fails instead of crashing
    local other = bo.open(self.uri, { actor = "alice", sync = bo.SYNC_OFF })
    local r = other:doc_reader(id)
    local w3 = other:doc_writer(id)
    other:close()
    t.expect_error(bo.ESTATE, function() return r:read(3) end)
    t.expect_error(bo.ESTATE, function() return w3:write("x") end)
    r:close()
    w3:close()
end

function TestDocuments:test_keys_verify_retention()
    local b = self.book
    t.expect_error(bo.EINVAL, function() return b:doc_set_key("short") end)
    b:doc_set_key(KEY)
    local id = new_doc(b, "Salaries", bo.DOCUMENT_CONFIDENTIAL)
    b:doc_add_bytes(id, "secret figures")
    lu.assertEquals(b:doc_read(id), "secret figures")
    b:doc_set_key(OTHER_KEY)
    t.expect_error(bo.EKEY, function() return b:doc_read(id) end)
    b:doc_set_key(nil)
    t.expect_error(bo.EKEY, function() return b:doc_reader(id) end)
    lu.assertEquals(b:doc_verify(), 1)

    local inv = new_doc(b, "Old invoice", "internal", "invoice", "2010-03-01")
    b:doc_add_bytes(inv, "scan")
    t.expect_error(bo.ERETAINED, function() return b:doc_dispose(inv, "2019-12-31") end)
    b:doc_hold(inv)
    t.expect_error(bo.ERETAINED, function() return b:doc_dispose(inv, "2026-01-01") end)
    b:doc_hold(inv, 0)
    b:doc_type_hold("invoice")
    t.expect_error(bo.ERETAINED, function() return b:doc_dispose(inv, "2026-01-01") end)
    b:doc_type_hold("invoice", 0)
    b:doc_dispose(inv, "2026-01-01")
    local row = t.collect(b:doc_get(inv))[1]
    lu.assertNotNil(row.disposed)
    t.expect_error(bo.ESTATE, function() return b:doc_read(inv) end)
end

function TestDocuments:test_links_search_checkout()
    local b = self.book
    b:doc_type_add("memo", 3)
    b:doc_type_field_add("memo", "amount", "money")
    local d <close> = bo.Doc("memo", "Widgets from Acme", "2026-01-02")
    d:set_meta("amount", "1250")
    d:set_body("Invoice total for blue widgets")
    d:set_key("memo-1")
    local memo = b:doc_create(d)
    lu.assertEquals(b:doc_create(d), memo)
    local other = new_doc(b, "Lease", "internal", "contract", "2025-06-01")
    local lease = tostring(other)
    b:doc_link(memo, "document", lease)
    b:doc_link(other, "document", lease)
    lu.assertEquals(t.collect(b:doc_links(memo)), { { kind = "document", ref = lease } })
    lu.assertEquals(t.collect(b:doc_linked("document", lease))[1].id, memo)
    t.expect_error(bo.EINVAL, function() return b:doc_link(memo, "spaceship", "1") end)
    -- Links name records that exist (issue 12, item 13).
    t.expect_error(bo.ENOTFOUND, function() return b:doc_link(memo, "entry", "999") end)
    t.expect_error(bo.ENOTFOUND, function() return b:doc_link(memo, "party", "NOBODY") end)
    t.expect_error(bo.EINVAL, function() return b:doc_link(memo, "pay_run", "-1") end)
    local q <close> = bo.DocQuery()
    q:text("blue widgets")
    local found = t.collect(b:doc_search(q))
    lu.assertEquals(#found, 1)
    lu.assertEquals(found[1].id, memo)
    q:text(nil)
    q:dates("2025-01-01", "2025-12-31")
    lu.assertEquals(b:doc_count(q), 1)
    q:dates(0, 0)
    q:link("document", lease)
    lu.assertEquals(b:doc_count(q), 2)
    lu.assertEquals(b:doc_count(), 2)
    b:doc_unlink(memo, "document", lease)
    t.expect_error(bo.ENOTFOUND, function() return b:doc_unlink(memo, "document", lease) end)
    b:role_define("writer", "documents.read documents.write")
    b:role_grant("wes", "writer")
    b:doc_checkout(memo)
    local wes <close> = bo.open(self.uri, { actor = "wes", sync = bo.SYNC_OFF })
    t.expect_error(bo.ELOCKED, function() return wes:doc_add_bytes(memo, "edit") end)
    b:doc_checkin(memo)
    t.expect_error(bo.ESTATE, function() return b:doc_checkin(memo) end)
    lu.assertEquals(bo.doc_class_parse("restricted"), bo.DOCUMENT_RESTRICTED)
    lu.assertEquals(bo.doc_class_name(bo.DOCUMENT_PUBLIC), "public")
    t.expect_error(bo.EINVAL, function() return bo.doc_class_parse("secret") end)
end

function TestDocuments:test_trust_limits_fields_and_hidden_text()
    local b = self.book
    -- The largest version (issue 12, item 12).
    lu.assertEquals(b:doc_version_limit(), 256 * 1024 * 1024)
    b:doc_set_version_limit(1000)
    lu.assertEquals(b:doc_version_limit(), 1000)
    t.expect_error(bo.EINVAL, function() return b:doc_set_version_limit(0) end)
    local id = new_doc(b, "Limited")
    t.expect_error(bo.ELIMIT, function() return b:doc_add_bytes(id, string.rep("x", 1001)) end)
    lu.assertEquals(#t.collect(b:doc_versions(id)), 0)
    lu.assertEquals(b:doc_add_bytes(id, string.rep("x", 1000)), 1)
    -- Undeclared metadata fields (item 13).
    local d <close> = bo.Doc("receipt", "Taxi", "2026-01-02")
    d:set_meta("tip", "500")
    t.expect_error(bo.EINVAL, function() return b:doc_create(d) end)
    b:doc_type_open_fields("receipt")
    lu.assertTrue(b:doc_create(d) > 0)
    b:doc_type_open_fields("receipt", 0)
    d:set_key("again")
    t.expect_error(bo.EINVAL, function() return b:doc_create(d) end)
    -- Confidential text is found with the key only (item 11).
    b:doc_set_key(KEY)
    local s <close> = bo.Doc("contract", "Secret", "2026-01-02")
    s:set_class("confidential")
    s:set_body("zanzibarian clause")
    local secret = b:doc_create(s)
    local q <close> = bo.DocQuery()
    q:text("Zanzibarian")
    lu.assertEquals(t.collect(b:doc_search(q))[1].id, secret)
    b:doc_set_key(nil)
    lu.assertEquals(b:doc_count(q), 0)
    t.expect_error(bo.EKEY, function() return b:doc_body(secret, "more words") end)
end

-- The access matrix: every call, every actor, every classification.
local CALLS = {
    { "get", "r", true, function(b, i) return t.collect(b:doc_get(i)) end },
    { "meta", "r", true, function(b, i) return t.collect(b:doc_meta(i)) end },
    { "versions", "r", true, function(b, i) return t.collect(b:doc_versions(i)) end },
    { "links", "r", true, function(b, i) return t.collect(b:doc_links(i)) end },
    { "read", "r", true, function(b, i) return b:doc_read(i) end },
    { "export", "r", true, function(b, i, x) return b:doc_export(i, x.out) end },
    { "writer", "w", true, function(b, i) b:doc_writer(i):close() end },
    { "add_bytes", "w", true, function(b, i) return b:doc_add_bytes(i, "content") end },
    { "tag", "w", true, function(b, i) return b:doc_tag(i, "seen") end },
    { "body", "w", true, function(b, i) return b:doc_body(i, "text") end },
    { "link", "w", true, function(b, i, x) return b:doc_link(i, "document", x.public) end },
    { "checkout", "w", true, function(b, i) b:doc_checkout(i); b:doc_checkin(i) end },
    { "hold", "a", true, function(b, i) return b:doc_hold(i, 0) end },
    { "dispose", "a", true, function(b, i, x) return x.tolerate(bo.ERETAINED, function()
        return b:doc_dispose(i, "2021-01-01") end) end },
    { "unlink", "w", true, function(b, i, x) return x.tolerate(bo.ENOTFOUND, function()
        return b:doc_unlink(i, "entry", "nope") end, "not linked") end },
    { "verify", "a", false, function(b) return b:doc_verify() end },
    { "types", "r", false, function(b) return t.collect(b:doc_types()) end },
    { "type_add", "a", false, function(b, _, x) return x.tolerate(bo.EEXISTS, function()
        return b:doc_type_add("memo") end) end },
    { "type_field", "a", false, function(b, _, x) return x.tolerate(bo.EEXISTS, function()
        return b:doc_type_field_add("receipt", "t", "money") end) end },
    { "retention", "a", false, function(b) return b:doc_type_retention("receipt", 10) end },
    { "type_hold", "a", false, function(b) return b:doc_type_hold("receipt", 0) end },
    { "set_store", "a", false, function(b) return b:doc_set_store("database") end },
    { "create", "c", false, function(b, _, x) return x.create(b) end },
    { "search", "r", true, function(b, i, x) return x.found(i, t.collect(b:doc_search())) end },
    { "count", "r", false, function(b) return b:doc_count() end },
    { "linked", "r", true, function(b, i, x)
        return x.found(i, t.collect(b:doc_linked("document", tostring(i)))) end },
}

local ACTORS = {
    { "nobody", nil, "" }, { "ledger", "led", "" }, { "rita", "dr", "r" },
    { "wes", "dw", "rw" }, { "cora", "dc", "rwc" }, { "adam", "da", "rwa" },
    { "alma", "dac", "rwac" }, { "alice", nil, "rwac" },
}

local FILTERED = {}

function TestDocuments:test_access_matrix()
    local b = self.book
    b:doc_set_key(KEY)
    local ids, order = {}, { "public", "confidential", "restricted" }
    for _, cls in ipairs(order) do
        ids[cls] = new_doc(b, cls .. " paper", cls)
        b:doc_add_bytes(ids[cls], "content")
        b:doc_link(ids[cls], "document", tostring(ids[cls]))
    end
    b:role_define("dr", "documents.read")
    b:role_define("dw", "documents.read documents.write")
    b:role_define("dc", "documents.read documents.write documents.confidential")
    b:role_define("da", "documents.read documents.write documents.admin")
    b:role_define("dac", "documents.read documents.write documents.admin documents.confidential")
    b:role_define("led", "ledger.read ledger.post")
    for _, a in ipairs(ACTORS) do
        if a[2] then b:role_grant(a[1], a[2]) end
    end
    local x = { out = self.files.path .. ".export", public = tostring(ids.public) }
    function x.found(i, rows)
        for _, r in ipairs(rows) do
            if r.id == i then return end
        end
        error(FILTERED)
    end
    function x.tolerate(code, fn, text)
        local ok, err = pcall(fn)
        if not ok and not (bo.is_error(err, code)
                           and (text == nil or tostring(err):find(text, 1, true))) then
            error(err, 0)
        end
    end
    local denied, allowed = 0, 0
    for _, a in ipairs(ACTORS) do
        local actor, perms = a[1], a[3]
        local function has(p) return perms:find(p, 1, true) ~= nil end
        local h <close> = bo.open(self.uri, { actor = actor, sync = bo.SYNC_OFF })
        h:doc_set_key(KEY)
        for _, which in ipairs(order) do
            local i = ids[which]
            function x.create(book)
                local d <close> = bo.Doc("other", "new", "2026-01-01")
                d:set_class(which == "public" and "public" or "confidential")
                book:doc_create(d)
            end
            for _, call in ipairs(CALLS) do
                local name, need, about_one, fn = call[1], call[2], call[3], call[4]
                local expect
                if need == "c" then
                    expect = has("w") and (which == "public" or has("c"))
                else
                    expect = has(need)
                end
                if about_one and expect then
                    expect = which == "public" or actor == "alice"
                        or (which == "confidential" and has("c")) or (has("c") and has("a"))
                end
                local ok, err = pcall(fn, h, i, x)
                if not ok then
                    lu.assertTrue(err == FILTERED or bo.is_error(err, bo.EDENIED)
                                  or bo.is_error(err, bo.ENOTFOUND),
                                  actor .. " " .. name .. " " .. which .. ": " .. tostring(err))
                    if err ~= FILTERED then
                        lu.assertNil(tostring(err):find("confidential paper", 1, true))
                        lu.assertNil(tostring(err):find("restricted paper", 1, true))
                    end
                end
                lu.assertEquals(ok, expect, actor .. " " .. name .. " " .. which)
                if ok then allowed = allowed + 1 else denied = denied + 1 end
            end
        end
        if has("r") then
            local visible = 0
            for _, which in ipairs(order) do
                if which == "public" or actor == "alice" or (which == "confidential" and has("c"))
                    or (has("c") and has("a")) then
                    visible = visible + 1
                end
            end
            local q <close> = bo.DocQuery()
            q:tag("supplier")
            lu.assertEquals(h:doc_count(q), visible, actor)
            lu.assertEquals(#t.collect(h:doc_search(q)), visible, actor)
        end
    end
    os.remove(x.out)
    lu.assertTrue(denied > 150)
    lu.assertTrue(allowed > 150)
end

os.exit(lu.LuaUnit.run(), true)
