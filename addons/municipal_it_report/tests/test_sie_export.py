# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.municipal_it_lease.tests.common_charge import ItChargeCommon

from ..tools import sie
from .test_sie_tools import crc32_bitwise


@tagged("post_install", "-at_install")
class TestSieExport(ItChargeCommon):
    """A posted two-code charge run exported as SIE 4I, compared byte for
    byte with a file written by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"name": "Testkommun – IT", "company_registry": "2120001234"})
        cls.finance_user = new_test_user(
            cls.env,
            login="ekonom",
            name="Ekonom Eva",
            groups="account.group_account_invoice,"
            "municipal_it_lease.municipal_it_lease_group_user",
        )
        cls._leased_device("SIE-1", 400.0, cls.code_school)
        cls._leased_device("SIE-2", 250.0, cls.code_care)
        cls.schedule.action_activate()
        cls.charge_run = cls.Run.create({"date_from": date(2025, 3, 1)})
        cls.charge_run.action_compute()
        cls.charge_run.action_post()

    def _export(self, **values):
        wizard = (
            self.env["it.sie.export"]
            .with_user(self.finance_user)
            .create(
                {
                    "source": "run",
                    "charge_run_id": self.charge_run.id,
                    "date_generated": date(2025, 4, 2),
                    **values,
                }
            )
        )
        wizard.action_export()
        return base64.b64decode(wizard.sie_file), wizard

    def test_charge_run_file_byte_for_byte(self):
        content, wizard = self._export(with_checksum=True)
        self.assertEqual(
            wizard.sie_filename, self.charge_run.name.replace(" ", "_") + ".si"
        )
        school = self.code_school.display_name
        care = self.code_care.display_name
        body = [
            '#PROGRAM "Odoo Municipal IT Leasing" 18.0.1.0.0',
            "#FORMAT PC8",
            '#GEN 20250402 "Ekonom Eva"',
            "#SIETYP 4",
            "#ORGNR 212000-1234",
            # The en dash is outside codepage 437.
            '#FNAMN "Testkommun ? IT"',
            # The company's financial year of March 2025 (fiscal year ending
            # 31 December), and the BAS chart type.
            "#RAR 0 20250101 20251231",
            "#KPTYP EUBAS97",
            '#KONTO 369101 "Interna intäkter IT"',
            '#KONTO 635201 "Intern hyra IT"',
            '#DIM 1 "Verksamheter"',
            '#OBJEKT 1 "3200" "Grundskola"',
            '#OBJEKT 1 "4100" "Äldreomsorg"',
            '#OBJEKT 1 "9100" "IT-enheten"',
            # The counterparty code (motpart) "2" of the charge settings, on
            # the company's counterparty dimension (20 unless changed).
            '#DIM 20 "Counterparty"',
            '#OBJEKT 20 "2" "2"',
            '#VER "" "" 20250331 "IT lease charge 2025-03" 20250402',
            "{",
            f'#TRANS 635201 {{1 "3200" 20 "2"}} 400.00 "" "IT lease 2025-03 {school}"',
            f'#TRANS 635201 {{1 "4100" 20 "2"}} 250.00 "" "IT lease 2025-03 {care}"',
            (
                '#TRANS 369101 {1 "9100" 20 "2"} -650.00 "" '
                '"IT lease 2025-03 internal revenue"'
            ),
            "}",
        ]
        # CRC-32 over every field between the two #KSUMMA, without separators,
        # quotes or braces, by a routine independent of the writer's zlib.
        crc_input = "".join(
            [
                "#PROGRAMOdoo Municipal IT Leasing18.0.1.0.0",
                "#FORMATPC8",
                "#GEN20250402Ekonom Eva",
                "#SIETYP4",
                "#ORGNR212000-1234",
                "#FNAMNTestkommun ? IT",
                "#RAR02025010120251231",
                "#KPTYPEUBAS97",
                "#KONTO369101Interna intäkter IT",
                "#KONTO635201Intern hyra IT",
                "#DIM1Verksamheter",
                "#OBJEKT13200Grundskola",
                "#OBJEKT14100Äldreomsorg",
                "#OBJEKT19100IT-enheten",
                "#DIM20Counterparty",
                "#OBJEKT2022",
                "#VER20250331IT lease charge 2025-0320250402",
                f"#TRANS63520113200202400.00IT lease 2025-03 {school}",
                f"#TRANS63520114100202250.00IT lease 2025-03 {care}",
                "#TRANS36910119100202-650.00IT lease 2025-03 internal revenue",
            ]
        ).encode("cp437")
        expected = (
            "\r\n".join(
                ["#FLAGGA 0", "#KSUMMA", *body, f"#KSUMMA {crc32_bitwise(crc_input)}"]
            )
            + "\r\n"
        ).encode("cp437")
        self.assertEqual(content, expected)
        parsed = sie.read(content)
        self.assertEqual(parsed.computed_checksum, parsed.checksum)
        (voucher,) = parsed.vouchers
        self.assertEqual(voucher.balance(), 0)
        self.assertEqual(
            [(t.account, t.objects, str(t.amount)) for t in voucher.transactions],
            [
                ("635201", [("1", "3200"), ("20", "2")], "400.00"),
                ("635201", [("1", "4100"), ("20", "2")], "250.00"),
                ("369101", [("1", "9100"), ("20", "2")], "-650.00"),
            ],
        )

    def test_journal_and_period_without_checksum(self):
        content, _wizard = self._export(
            source="journal",
            charge_run_id=False,
            journal_id=self.journal.id,
            date_from=date(2025, 3, 1),
            date_to=date(2025, 3, 31),
        )
        parsed = sie.read(content)
        self.assertFalse(parsed.with_checksum)
        self.assertIsNone(parsed.checksum)
        self.assertEqual(len(parsed.vouchers), 1)
        self.assertEqual(parsed.vouchers[0].date, date(2025, 3, 31))

    def test_financial_year_from_the_company_settings(self):
        # A financial year from 1 July to 30 June.
        self.company.write({"fiscalyear_last_month": "6", "fiscalyear_last_day": 30})
        parsed = sie.read(self._export()[0])
        self.assertEqual(
            parsed.financial_years, {0: (date(2024, 7, 1), date(2025, 6, 30))}
        )
        self.assertEqual(parsed.chart_type, "EUBAS97")
        # March to July 2025 spans two financial years: the one of July is
        # year 0, the one of March year -1.
        content, _wizard = self._export(
            source="journal",
            charge_run_id=False,
            journal_id=self.journal.id,
            date_from=date(2025, 3, 1),
            date_to=date(2025, 7, 31),
        )
        self.assertIn(
            b"#RAR 0 20250701 20260630\r\n#RAR -1 20240701 20250630\r\n"
            b"#KPTYP EUBAS97\r\n",
            content,
        )

    def test_plan_mapped_to_a_free_dimension(self):
        self.plan.sie_dimension = 21
        content, _wizard = self._export()
        parsed = sie.read(content)
        self.assertEqual(
            parsed.dimensions, {"20": "Counterparty", "21": "Verksamheter"}
        )
        self.assertEqual(
            parsed.vouchers[0].transactions[0].objects, [("20", "2"), ("21", "3200")]
        )

    def test_split_distribution_keeps_the_cent(self):
        """A line of 250.00 split in three: 250 x 33.33 % = 83.325 -> 83.33
        twice; the last part takes the rest, 250 - 166.66 = 83.34 (its own
        250 x 33.34 % = 83.35 would make the voucher 250.01)."""
        posted = self.charge_run.move_id.line_ids.filtered(lambda ml: ml.debit == 250.0)
        # A posted charge cannot be edited: split a copy in memory.
        line = posted.new({}, origin=posted)
        wizard = self.env["it.sie.export"].create({"charge_run_id": self.charge_run.id})
        line.analytic_distribution = {
            str(self.code_school.id): 33.33,
            str(self.code_care.id): 33.33,
            str(self.code_it_unit.id): 33.34,
        }
        parts = wizard._split_by_objects(line)
        self.assertEqual(
            [(objects[0][1][0], str(amount)) for objects, amount in parts],
            [("3200", "83.33"), ("4100", "83.33"), ("9100", "83.34")],
        )

    def test_unallocated_share_without_objects(self):
        """60 % on a code: 400 x 60 % = 240.00 with the code, 160.00 without."""
        posted = self.charge_run.move_id.line_ids.filtered(lambda ml: ml.debit == 400.0)
        # A posted charge cannot be edited: split a copy in memory.
        line = posted.new({}, origin=posted)
        wizard = self.env["it.sie.export"].create({"charge_run_id": self.charge_run.id})
        line.analytic_distribution = {str(self.code_school.id): 60}
        parts = wizard._split_by_objects(line)
        self.assertEqual(
            [(len(objects), str(amount)) for objects, amount in parts],
            [(1, "240.00"), (0, "160.00")],
        )

    def test_every_mapped_plan_declared_once(self):
        projects = self.env["account.analytic.plan"].create(
            {"name": "Projekt", "sie_dimension": 6}
        )
        content, _wizard = self._export()
        # Declared although no line uses it; objects only for codes used. The
        # counterparty code (motpart 2 of the settings) keeps dimension 20.
        self.assertEqual(
            sie.read(content).dimensions,
            {"1": "Verksamheter", "6": "Projekt", "20": "Counterparty"},
        )
        projects.sie_dimension = 1
        with self.assertRaisesRegex(UserError, "both mapped to SIE dimension 1"):
            self._export()

    def test_reserved_dimension_refused(self):
        with self.assertRaisesRegex(ValidationError, "reserved"):
            self.plan.sie_dimension = 7

    def test_missing_org_number_refused(self):
        self.company.company_registry = False
        with self.assertRaisesRegex(UserError, "organisation number"):
            self._export()

    def test_draft_run_refused(self):
        run = self.Run.create({"date_from": date(2025, 4, 1)})
        with self.assertRaisesRegex(UserError, "posted charge run"):
            self._export(charge_run_id=run.id)

    def test_wizard_from_the_run(self):
        form = Form(
            self.env["it.sie.export"]
            .with_user(self.finance_user)
            .with_context(active_model="it.charge.run", active_id=self.charge_run.id)
        )
        self.assertEqual(form.charge_run_id, self.charge_run)

    def test_counterparty_code_on_a_dimension_of_its_own(self):
        """The motpart on dimension 25: declared, one object, and in the
        object list of every transaction after the activity code."""
        self.company.it_sie_counterparty_dimension = 25
        content, _wizard = self._export()
        lines = content.decode("cp437").split("\r\n")
        dims = lines.index('#DIM 25 "Counterparty"')
        self.assertEqual(lines[dims + 1], '#OBJEKT 25 "2" "2"')
        trans = [line for line in lines if line.startswith("#TRANS")]
        self.assertEqual(
            [line[: line.index("}") + 1] for line in trans],
            [
                '#TRANS 635201 {1 "3200" 25 "2"}',
                '#TRANS 635201 {1 "4100" 25 "2"}',
                '#TRANS 369101 {1 "9100" 25 "2"}',
            ],
        )

    def test_counterparty_dimension_off(self):
        self.company.it_sie_counterparty_dimension = 0
        parsed = sie.read(self._export()[0])
        self.assertEqual(parsed.dimensions, {"1": "Verksamheter"})
        self.assertNotIn(("20", "2"), parsed.objects)
        self.assertEqual(
            [t.objects for t in parsed.vouchers[0].transactions],
            [[("1", "3200")], [("1", "4100")], [("1", "9100")]],
        )

    def test_counterparty_and_plan_on_one_dimension_refused(self):
        self.plan.sie_dimension = 20
        with self.assertRaisesRegex(
            UserError, "Verksamheter and the counterparty code are both mapped"
        ):
            self._export()

    def test_no_counterparty_code_leaves_its_dimension_free(self):
        """A company without motpart posts April: nothing is declared on the
        counterparty dimension, and a plan may take dimension 20."""
        self.company.it_charge_counterparty_code = False
        april = self.Run.create({"date_from": date(2025, 4, 1)})
        april.action_post()
        self.plan.sie_dimension = 20
        parsed = sie.read(self._export(charge_run_id=april.id)[0])
        self.assertEqual(parsed.dimensions, {"20": "Verksamheter"})
        self.assertEqual(
            [t.objects for t in parsed.vouchers[0].transactions],
            [[("20", "3200")], [("20", "4100")], [("20", "9100")]],
        )
        # March carries motpart 2 on its lines: the clash is refused again.
        with self.assertRaisesRegex(UserError, "both mapped to SIE dimension 20"):
            self._export()

    def test_reserved_counterparty_dimension_refused(self):
        with self.assertRaisesRegex(ValidationError, "the SIE format reserves it"):
            self.company.it_sie_counterparty_dimension = 7
