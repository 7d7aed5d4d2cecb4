# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import datetime
from decimal import Decimal
from pathlib import Path

from odoo.tests import BaseCase, tagged

from ..tools import sie

# The shared reference files sit next to the repository: <repo>/../shared.
REFERENCE_DIR = Path(__file__).resolve().parents[4] / "shared" / "reference" / "sie"


def crc32_bitwise(data):
    """CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) computed bit by
    bit, independent of zlib, to check the writer's #KSUMMA."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _bit in range(8):
            crc = (crc >> 1) ^ (0xEDB88320 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


@tagged("post_install", "-at_install")
class TestSieReferenceFiles(BaseCase):
    """Real SIE 4 files from other programs are read back; the one with a
    checksum has it verified."""

    def _reference(self, name):
        """The reference file ``name``; missing, the test fails: the files
        are kept out of the repository, beside it, and CI always has them."""
        path = REFERENCE_DIR / name
        self.assertTrue(
            path.is_file(),
            f"reference file {path} is missing: check out ../shared/reference "
            "beside the repository",
        )
        return path

    def _read(self, name):
        return sie.read(self._reference(name).read_bytes())

    def test_norstedts_checksum(self):
        parsed = self._read("jsisie_Norstedts_Bokslut_4I_KSUMMA.si")
        self.assertTrue(parsed.with_checksum)
        # The closing record of the file says 1573150874.
        self.assertEqual(parsed.checksum, 1573150874)
        self.assertEqual(parsed.computed_checksum, 1573150874)
        self.assertEqual(parsed.org_number, "556639-1537")
        self.assertEqual(parsed.company_name, "Datakonsulterna AB")
        # #RAR 0 20090701 20100630, #RAR -1 20080701 20090630, #KPTYP EUBAS97
        # (tab separated).
        self.assertEqual(
            parsed.financial_years,
            {
                0: (datetime.date(2009, 7, 1), datetime.date(2010, 6, 30)),
                -1: (datetime.date(2008, 7, 1), datetime.date(2009, 6, 30)),
            },
        )
        self.assertEqual(parsed.chart_type, "EUBAS97")
        self.assertEqual(len(parsed.vouchers), 2)
        voucher = parsed.vouchers[1]
        self.assertEqual(voucher.text, "Årets resultat")
        self.assertEqual(
            [(t.account, t.amount) for t in voucher.transactions],
            [("8999", Decimal("1104488.11")), ("2099", Decimal("-1104488.11"))],
        )

    def test_norstedts_checksum_detects_a_change(self):
        path = self._reference("jsisie_Norstedts_Bokslut_4I_KSUMMA.si")
        changed = path.read_bytes().replace(b"-1104488.11", b"-1104488.12")
        parsed = sie.read(changed)
        self.assertEqual(parsed.checksum, 1573150874)
        self.assertNotEqual(parsed.computed_checksum, parsed.checksum)

    def test_payroll_file_objects_and_free_dimension(self):
        parsed = self._read("jsisie_LON_Lonekorning_4I.SI")
        self.assertEqual(parsed.dimensions["20"], "Nivå 4")
        (voucher,) = parsed.vouchers
        self.assertEqual((voucher.series, voucher.number), ("", ""))
        self.assertEqual(voucher.balance(), 0)
        self.assertEqual(len(voucher.transactions), 25)
        trans = voucher.transactions[11]
        self.assertEqual(
            trans.objects, [("1", "1234567890"), ("6", "5200"), ("20", "N12")]
        )
        self.assertEqual(trans.amount, Decimal("1312.89"))
        self.assertEqual(trans.quantity, Decimal("3.50"))

    def test_pos_file_unquoted_company_name(self):
        parsed = self._read("sie4j_BLBLOV_SIE4.SI")
        # #FNAMN Övningsbolaget AB is unquoted although it holds a space.
        self.assertEqual(parsed.company_name, "Övningsbolaget AB")
        self.assertEqual([v.balance() for v in parsed.vouchers], [0, 0])
        self.assertEqual(parsed.vouchers[1].transactions[2].amount, Decimal("-446.43"))

    def test_crlf_export_with_objects(self):
        parsed = self._read("sie4j_KST_projekt_Testbolaget.SE")
        self.assertEqual(parsed.dimensions["6"], "Projekt")
        self.assertEqual(
            parsed.financial_years,
            {0: (datetime.date(2021, 1, 1), datetime.date(2021, 12, 31))},
        )
        self.assertEqual(parsed.chart_type, "EUBAS97")
        self.assertEqual(len(parsed.accounts), 1280)
        (voucher,) = parsed.vouchers
        self.assertEqual(voucher.balance(), 0)
        self.assertEqual(
            voucher.transactions[0].objects,
            [("1", "100000"), ("2", "100000"), ("6", "1234567891234567999")],
        )


@tagged("post_install", "-at_install")
class TestSieWriter(BaseCase):
    def _file(self, **values):
        voucher = sie.SieVoucher(
            date=datetime.date(2026, 1, 31),
            text='Hyra "jan"',
            transactions=[
                sie.SieTransaction("6352", Decimal("100.5"), [(1, "3200")]),
                sie.SieTransaction("3691", Decimal("-100.5")),
            ],
        )
        return sie.SieFile(
            program="P",
            program_version="1",
            generated=datetime.date(2026, 2, 1),
            generated_by="Eva",
            company_name="Kommun – IT",
            org_number="2120001234",
            accounts={"6352": "Hyra", "3691": "Intäkt"},
            dimensions={1: "Kostnadsställe"},
            objects={(1, "3200"): "Skola"},
            vouchers=[voucher],
            **values,
        )

    def test_written_lines(self):
        self.assertEqual(
            sie.write_lines(self._file()),
            [
                "#FLAGGA 0",
                '#PROGRAM "P" 1',
                "#FORMAT PC8",
                '#GEN 20260201 "Eva"',
                "#SIETYP 4",
                "#ORGNR 212000-1234",
                # The en dash is not in CP437.
                '#FNAMN "Kommun ? IT"',
                '#KONTO 3691 "Intäkt"',
                '#KONTO 6352 "Hyra"',
                '#DIM 1 "Kostnadsställe"',
                '#OBJEKT 1 "3200" "Skola"',
                '#VER "" "" 20260131 "Hyra \\"jan\\""',
                "{",
                '#TRANS 6352 {1 "3200"} 100.50',
                "#TRANS 3691 {} -100.50",
                "}",
            ],
        )

    def test_financial_years_and_chart_type(self):
        years = {
            -1: (datetime.date(2024, 7, 1), datetime.date(2025, 6, 30)),
            0: (datetime.date(2025, 7, 1), datetime.date(2026, 6, 30)),
        }
        written = self._file(financial_years=years, chart_type="EUBAS97")
        lines = sie.write_lines(written)
        # After #FNAMN, the current year first, then the chart type (§8).
        self.assertEqual(
            lines[6:10],
            [
                '#FNAMN "Kommun ? IT"',
                "#RAR 0 20250701 20260630",
                "#RAR -1 20240701 20250630",
                "#KPTYP EUBAS97",
            ],
        )
        parsed = sie.read(sie.write(written))
        self.assertEqual(parsed.financial_years, years)
        self.assertEqual(parsed.chart_type, "EUBAS97")

    def test_without_financial_year_nor_chart_type(self):
        lines = sie.write_lines(self._file())
        self.assertFalse(
            [line for line in lines if line.startswith(("#RAR", "#KPTYP"))]
        )
        parsed = sie.read(sie.write(self._file()))
        self.assertEqual((parsed.financial_years, parsed.chart_type), ({}, ""))

    def test_round_trip_and_checksum(self):
        content = sie.write(self._file(with_checksum=True))
        parsed = sie.read(content)
        self.assertEqual(parsed.vouchers[0].text, 'Hyra "jan"')
        self.assertEqual(parsed.company_name, "Kommun ? IT")
        # Fields between the #KSUMMA records, without separators, quotes or
        # braces, and the escaped quote without its backslash:
        crc_input = (
            "#PROGRAMP1#FORMATPC8#GEN20260201Eva#SIETYP4#ORGNR212000-1234"
            "#FNAMNKommun ? IT#KONTO3691Intäkt#KONTO6352Hyra#DIM1Kostnadsställe"
            '#OBJEKT13200Skola#VER20260131Hyra "jan"#TRANS635213200100.50'
            "#TRANS3691-100.50"
        ).encode("cp437")
        self.assertEqual(parsed.checksum, crc32_bitwise(crc_input))
        self.assertEqual(parsed.computed_checksum, parsed.checksum)

    def test_unbalanced_voucher_refused(self):
        sie_file = self._file()
        sie_file.vouchers[0].transactions[1].amount = Decimal("-100.49")
        with self.assertRaisesRegex(sie.SieError, "does not sum to zero: 0.01"):
            sie.write(sie_file)

    def test_org_number(self):
        self.assertEqual(sie.format_org_number("212000-1234"), "212000-1234")
        self.assertEqual(sie.format_org_number("SE 2120001234"), "212000-1234")
        self.assertEqual(sie.format_org_number("16 212000-1234"), "212000-1234")
        with self.assertRaisesRegex(sie.SieError, "10 digits"):
            sie.format_org_number("21200-0142")

    def test_amounts(self):
        self.assertEqual(sie.format_amount(Decimal("-0.004")), "0.00")
        self.assertEqual(sie.format_amount(Decimal("1234.565")), "1234.57")
        self.assertEqual(sie.format_amount(7), "7.00")

    def test_reader_errors_name_the_line(self):
        with self.assertRaisesRegex(sie.SieError, "Line 2: a quote is not closed"):
            sie.read(b'#FLAGGA 0\r\n#FNAMN "Kommun\r\n')
        with self.assertRaisesRegex(sie.SieError, "Line 2: #TRANS outside a voucher"):
            sie.read(b"#FLAGGA 0\r\n#TRANS 1910 {} 1.00\r\n")
        with self.assertRaisesRegex(sie.SieError, "'}' is missing"):
            sie.read(b'#VER "" "" 20260101 ""\r\n{\r\n#TRANS 1910 {} 0.00\r\n')
        with self.assertRaisesRegex(sie.SieError, "Line 2: the financial year"):
            sie.read(b"#FLAGGA 0\r\n#RAR 0 2026 20261231\r\n")
        with self.assertRaisesRegex(sie.SieError, "Line 3: the financial year"):
            sie.read(b"#FLAGGA 0\r\n#SIETYP 4\r\n#RAR x 20260101 20261231\r\n")
