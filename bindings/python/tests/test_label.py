"""Shipping labels: the Label builder, its errors, ZPL and (with the
renderer) PDF written from Python."""

import os
import tempfile
import unittest

import backoffice as bo

SSCC = "106141411234567897"  # GS1's worked example: check digit 7


def make_label(size=None, dpi=203):
    label = bo.Label(bo.LABEL_4X6 if size is None else size, dpi)
    label.set("tracking", "JD0146000062")
    label.set("order", "WEB-1042")
    label.set("carrier", "JNE")
    label.set("sender_name", "Toko Kopi Nusantara")
    label.set("sender_address", "Jl. Sabang 12\nJakarta Pusat 10340")
    label.set("recipient_name", "Siti Rahmawati")
    label.set("recipient_phone", "+62 812 3456 7890")
    label.set("recipient_address", "Jl. Malioboro 56\nYogyakarta 55271")
    label.set_cod(15000000, "IDR")
    label.set_weight(1250)
    label.set_package(1, 2)
    label.set("sscc", SSCC)
    return label


class LabelTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def path(self, name):
        return os.path.join(self.dir.name, name)

    def test_sscc_check_digit(self):
        self.assertEqual(bo.label_sscc_check_digit(SSCC[:17]), 7)
        with self.assertRaises(bo.InvalidError):
            bo.label_sscc_check_digit("123")

    def test_wrong_check_digit_names_the_field(self):
        label = make_label()
        with self.assertRaises(bo.CheckDigitError) as cm:
            label.set("sscc", SSCC[:17] + "0")
        self.assertEqual(cm.exception.code, bo.ECHECKDIGIT)
        self.assertIn("sscc", str(cm.exception))

    def test_zpl(self):
        path = self.path("label.zpl")
        make_label().write(bo.LABEL_ZPL, path)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.assertTrue(text.startswith("^XA\n"))
        self.assertTrue(text.endswith("^XZ\n"))
        self.assertIn("^PW812\n^LL1218\n", text)
        self.assertIn("^FD>;>800" + SSCC + "^FS", text)

    def test_pdf_or_not_supported(self):
        path = self.path("label.pdf")
        label = make_label(bo.LABEL_A6, 300)
        if bo.label_renderer():
            label.write(bo.LABEL_PDF, path)
            with open(path, "rb") as f:
                self.assertEqual(f.read(5), b"%PDF-")
            label.write_a4(None, self.path("a4.pdf"))
        else:
            with self.assertRaises(bo.NotSupportedError):
                label.write(bo.LABEL_PDF, path)

    def test_too_long_refused_nothing_written(self):
        label = make_label(bo.LABEL_100X100)
        label.set("recipient_address", "Jalan Raya Kebayoran Lama Nomor 1234, Kelurahan "
                  "Grogol Utara, Kecamatan Kebayoran Lama")
        path = self.path("long.zpl")
        with self.assertRaises(bo.TooLongError) as cm:
            label.write(bo.LABEL_ZPL, path)
        self.assertIn("recipient_address", str(cm.exception))
        self.assertFalse(os.path.exists(path))

    def test_nul_refused(self):
        label = make_label()
        with self.assertRaises(bo.InvalidError):
            label.set("recipient_name", "Siti\0Rahmawati")

    def test_closed_label_raises(self):
        label = make_label()
        label.close()
        label.close()
        with self.assertRaises(bo.InvalidError):
            label.set("order", "x")


if __name__ == "__main__":
    unittest.main()
