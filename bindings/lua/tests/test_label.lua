-- Shipping labels: the Label builder, its errors, ZPL and (with the
-- renderer) PDF written from Lua.
local lu = require("luaunit")
local bo = require("backoffice")
local t = require("bo_support")

local SSCC = "106141411234567897" -- GS1's worked example: check digit 7

local function make_label(size, dpi)
    local label = bo.Label(size or bo.LABEL_4X6, dpi or 203)
    label:set("tracking", "JD0146000062")
    label:set("carrier", "JNE")
    label:set("sender_name", "Toko Kopi Nusantara")
    label:set("sender_address", "Jl. Sabang 12\nJakarta Pusat 10340")
    label:set("recipient_name", "Siti Rahmawati")
    label:set("recipient_phone", "+62 812 3456 7890")
    label:set("recipient_address", "Jl. Malioboro 56\nYogyakarta 55271")
    label:set_cod(15000000, "IDR")
    label:set_weight(1250)
    label:set_package(2, 2)
    label:set("sscc", SSCC)
    return label
end

local function read(path)
    local f = assert(io.open(path, "rb"))
    local s = f:read("a")
    f:close()
    return s
end

TestLabel = {}

function TestLabel:test_sscc_check_digit()
    lu.assertEquals(bo.label_sscc_check_digit(SSCC:sub(1, 17)), 7)
    t.expect_error(bo.EINVAL, bo.label_sscc_check_digit, "123")
end

function TestLabel:test_wrong_check_digit()
    local label = make_label()
    local ok, err = pcall(label.set, label, "sscc", SSCC:sub(1, 17) .. "0")
    lu.assertFalse(ok)
    lu.assertEquals(err.code, bo.ECHECKDIGIT)
    lu.assertStrContains(tostring(err.message or err), "sscc")
end

function TestLabel:test_zpl()
    local path = os.tmpname()
    make_label():write(bo.LABEL_ZPL, path)
    local text = read(path)
    os.remove(path)
    lu.assertEquals(text:sub(1, 4), "^XA\n")
    lu.assertEquals(text:sub(-4), "^XZ\n")
    lu.assertStrContains(text, "^PW812\n^LL1218\n")
    lu.assertStrContains(text, "^FD>;>800" .. SSCC .. "^FS")
    lu.assertStrContains(text, "PACKAGE 2 OF 2")
end

function TestLabel:test_pdf_or_not_supported()
    local path = os.tmpname()
    local label = make_label(bo.LABEL_100X150, 300)
    if bo.label_renderer() == 1 then
        label:write(bo.LABEL_PDF, path)
        lu.assertEquals(read(path):sub(1, 5), "%PDF-")
    else
        t.expect_error(bo.ENOTSUP, label.write, label, bo.LABEL_PDF, path)
    end
    os.remove(path)
end

function TestLabel:test_too_long_refused()
    local label = make_label(bo.LABEL_100X100)
    label:set("recipient_name",
              "Raden Ayu Siti Rahmawati Kusumaningrum Hadiningrat Prawirodirjo")
    local path = os.tmpname()
    os.remove(path)
    t.expect_error(bo.ETOOLONG, label.write, label, bo.LABEL_ZPL, path)
    lu.assertNil(io.open(path, "rb"))
end

function TestLabel:test_nul_refused()
    local label = make_label()
    t.expect_error(bo.EINVAL, label.set, label, "recipient_name", "Siti\0R")
end

os.exit(lu.LuaUnit.run(), true)
