# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io
from datetime import date

import xlsxwriter
from openpyxl import load_workbook

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common_reconciliation import MARCH, ItReconciliationCommon

# One row per discrepancy class, with Swedish number formats; D is missing.
SPEC = (
    "Bilaga;Serienummer;Modell;Period;Belopp\n"
    "S-1;SN-A;Laptop 14;2026-03;500,00\n"
    "S-1;sn-b ;Laptop 14;2026-03;1\u00a0234,50\n"
    "S-1;SN-X;Laptop 14;2026-03;199,00\n"
    "S-1;SN-C;Laptop 14;2026-03;300,00\n"
)


@tagged("post_install", "-at_install")
class TestReconciliation(ItReconciliationCommon):
    def test_each_discrepancy_class(self):
        reconciliation = self._import(SPEC.encode("utf-8"))
        self.assertEqual(
            self._by_serial(reconciliation),
            {
                "SN-A": ("matched", 500.0, 500.0),
                # "1 234,50" with a no-break space; serial matched whatever its case.
                "sn-b": ("amount_differs", 1234.5, 400.0),
                "SN-X": ("not_in_register", 199.0, 0.0),
                "SN-C": ("after_end", 300.0, 0.0),
                "SN-D": ("not_invoiced", 0.0, 250.0),
            },
        )
        self.assertEqual(
            (
                reconciliation.matched_count,
                reconciliation.amount_differs_count,
                reconciliation.not_in_register_count,
                reconciliation.not_invoiced_count,
                reconciliation.after_end_count,
                reconciliation.discrepancy_count,
            ),
            (1, 1, 1, 1, 1, 4),
        )
        # Invoiced 500 + 1,234.50 + 199 + 300 = 2,233.50; the register expects
        # 500 + 400 + 250 = 1,150.00.
        self.assertAlmostEqual(reconciliation.invoiced_total, 2233.50)
        self.assertAlmostEqual(reconciliation.expected_total, 1150.00)
        differs = reconciliation.line_ids.filtered(
            lambda l: l.status == "amount_differs"
        )
        self.assertAlmostEqual(differs.difference, 834.50)
        self.assertEqual(differs.equipment_id, self.device_b)
        self.assertEqual(differs.row, 3)

    def test_billed_for_another_month_is_still_not_invoiced_for_this_one(self):
        """March's file bills D for February only (back-billing): that row is
        checked against February (250.00 x 28 / 28 days = 250.00, matched),
        and D is still not invoiced for March (250.00 x 31 / 31 = 250.00). A
        serial written in another case counts as billed (B)."""
        reconciliation = self._import(
            b"Schedule,Serial,Period,Amount\n"
            b"S-1,SN-A,2026-03,500\n"
            b"S-1, Sn-B ,2026-03,400\n"
            b"S-1,SN-D,2026-02,250\n"
        )
        lines = {
            (line.equipment_id, line.period): (
                line.status,
                line.invoiced_amount,
                line.expected_amount,
            )
            for line in reconciliation.line_ids
        }
        self.assertEqual(
            lines,
            {
                (self.device_a, MARCH): ("matched", 500.0, 500.0),
                (self.device_b, MARCH): ("matched", 400.0, 400.0),
                (self.device_d, date(2026, 2, 1)): ("matched", 250.0, 250.0),
                (self.device_d, MARCH): ("not_invoiced", 0.0, 250.0),
            },
        )

    def test_lines_are_written_by_the_import_only(self):
        """Neither the finance clerk who checks the invoice nor the IT
        leasing manager can mark a line matched, change what was expected or
        add a line by hand (through any client): the file is imported again
        instead."""
        reconciliation = self._import(SPEC.encode("utf-8"))
        differs = reconciliation.line_ids.filtered(
            lambda line: line.status == "amount_differs"
        )
        clerk = new_test_user(
            self.env,
            login="reconciling_clerk",
            groups="account.group_account_invoice,"
            "municipal_it_lease.municipal_it_lease_group_user",
        )
        for user in (clerk, self.it_manager):
            line = differs.with_user(user)
            with self.assertRaisesRegex(UserError, "written by the import"):
                line.write({"status": "matched", "expected_amount": 1234.5})
            with self.assertRaisesRegex(UserError, "written by the import"):
                line.create(
                    {
                        "reconciliation_id": reconciliation.id,
                        "serial_no": "SN-FORGED",
                        "status": "matched",
                    }
                )
        self.assertEqual(
            (differs.status, differs.expected_amount), ("amount_differs", 400.0)
        )
        self.assertEqual(reconciliation.amount_differs_count, 1)

    def test_bought_out_device_invoiced_after_the_buy_out(self):
        self.company.it_buyout_account_id = self.expense_account
        self.device_d.lease_line_id.date_end = date(2026, 2, 28)
        self.device_d.lease_line_id._decide_buy_out(date(2026, 2, 28))
        reconciliation = self._import(
            b"Schedule,Serial,Period,Amount\nS-1,SN-D,2026-03,250\n"
        )
        self.assertEqual(self._by_serial(reconciliation)["SN-D"][0], "after_end")

    def test_device_joining_mid_month_is_expected_pro_rata(self):
        # Joins on 16 March: 16 of 31 days, 310 × 16 / 31 = 160.00.
        self._leased_device(
            "SN-E", 310.0, self.code_school, self.s1, date_start=date(2026, 3, 16)
        )
        reconciliation = self._import(
            b"Schedule,Serial,Period,Amount\nS-1,SN-E,2026-03,160.00\n"
        )
        self.assertEqual(
            self._by_serial(reconciliation)["SN-E"], ("matched", 160.0, 160.0)
        )

    def test_swedish_amounts_and_encodings(self):
        header = "Bilaga;Serienummer;Månad;Belopp\n"
        rows = "S-1;SN-A;202603;500\nS-1;SN-B;2026-03-01;1.234,50\n"
        for encoding in ("utf-8", "utf-8-sig", "cp1252"):
            with self.subTest(encoding=encoding):
                reconciliation = self._import((header + rows).encode(encoding))
                self.assertEqual(
                    self._by_serial(reconciliation)["SN-B"],
                    ("amount_differs", 1234.5, 400.0),
                )
                self.assertEqual(self._by_serial(reconciliation)["SN-A"][0], "matched")

    def test_comma_separated_with_english_amounts_and_extra_columns(self):
        content = (
            b"Schedule,Serial,Model,Period,Amount,Comment\n"
            b'S-1,SN-A,"Laptop, 14 inch",2026-03,"1,000.00",too much\n'
        )
        reconciliation = self._import(content)
        self.assertEqual(
            self._by_serial(reconciliation)["SN-A"], ("amount_differs", 1000.0, 500.0)
        )

    def test_xlsx_specification(self):
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet()
        sheet.write_row(0, 0, ["Bilaga", "Serienummer", "Period", "Belopp"])
        sheet.write_row(1, 0, ["S-1", "SN-A", "2026-03", 500])
        sheet.write_row(2, 0, ["S-1", "SN-B", "2026-03", 400.0])
        workbook.close()
        reconciliation = self._import(buffer.getvalue())
        self.assertEqual(reconciliation.matched_count, 2)
        self.assertEqual(reconciliation.not_invoiced_count, 1)

    def test_lessor_specific_column_names(self):
        self.lessor.write(
            {
                "it_spec_schedule_column": "Annex no",
                "it_spec_serial_column": "Asset serial",
                "it_spec_period_column": "Billing month",
                "it_spec_amount_column": "Net",
            }
        )
        content = b"Annex no;Asset serial;Billing month;Net\nS-1;SN-A;03/2026;500\n"
        self.assertEqual(self._import(content).matched_count, 1)

    def test_states_and_vendor_bill(self):
        reconciliation = self._import(SPEC.encode("utf-8"))
        bill = self.env["account.move"].create(
            {"move_type": "in_invoice", "partner_id": self.lessor.id}
        )
        reconciliation.vendor_bill_id = bill
        reconciliation.action_check()
        reconciliation.action_dispute()
        self.assertEqual(reconciliation.state, "disputed")
        reconciliation.action_accept()
        self.assertEqual(reconciliation.state, "accepted")
        with self.assertUserErrorRollsBack("cannot go from accepted to disputed"):
            reconciliation.action_dispute()

    def test_checked_needs_the_bill_or_a_reason(self):
        reconciliation = self._import(SPEC.encode("utf-8"))
        with self.assertRefused(UserError, "choose the lessor's vendor bill"):
            reconciliation.action_check()
        reconciliation.check_note = "Bill not received yet"
        reconciliation.action_check()
        self.assertEqual(reconciliation.state, "checked")

    def test_same_month_imported_twice_is_refused_or_replaced(self):
        first = self._import(SPEC.encode("utf-8"))
        with self.assertRefused(UserError, "already imported.*Tick Replace"):
            self.Reconciliation._import_specification(
                self.lessor, MARCH, SPEC.encode("utf-8"), "spec.csv"
            )
        second = self.Reconciliation._import_specification(
            self.lessor, MARCH, SPEC.encode("utf-8"), "spec.csv", replace=True
        )
        self.assertFalse(first.exists())
        self.assertEqual(
            self.Reconciliation.search_count([("lessor_id", "=", self.lessor.id)]), 1
        )
        second.check_note = "ok"
        second.action_check()
        second.action_accept()
        with self.assertRefused(UserError, "accepted: reopen it"):
            self.Reconciliation._import_specification(
                self.lessor, MARCH, SPEC.encode("utf-8"), "spec.csv", replace=True
            )

    def test_lessor_reference_of_the_annex_is_matched(self):
        self.s1.lessor_reference = "Bilaga 1"
        content = b"Bilaga;Serienummer;Period;Belopp\nbilaga 1;SN-A;2026-03;500\n"
        self.assertEqual(self._import(content).matched_count, 1)

    def test_discrepancies_exported_for_the_lessor(self):
        reconciliation = self._import(SPEC.encode("utf-8"))
        content, _kind = self.env["ir.actions.report"]._render_xlsx(
            "municipal_it_lease.reconciliation_xlsx", reconciliation.ids, {}
        )
        sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        self.assertEqual(
            sorted(row[3] for row in rows), ["SN-C", "SN-D", "SN-X", "sn-b"]
        )
        differs = next(row for row in rows if row[3] == "sn-b")
        self.assertEqual(differs[0], "Amount differs")
        self.assertEqual((differs[5], differs[6], differs[7]), (1234.5, 400.0, 834.5))

    def test_serial_of_another_lessor_is_answered_as_an_unknown_one(self):
        """Another lessor's device (SN-OTHER, schedule O-1 of Annan Leasing
        AB) and a device on no lease (SN-OWN, bought) billed in this lessor's
        file are classified exactly as a serial the register does not know
        (SN-NOWHERE): not in the register, no device, nothing expected. The
        lessor reads its reconciliation lines in the portal: a link would
        tell it that the serial exists and name the device."""
        other_lessor = self.env["res.partner"].create(
            {"name": "Annan Leasing AB", "is_company": True}
        )
        other_agreement = self.env["it.lease.agreement"].create(
            {"name": "MA-OTHER", "lessor_id": other_lessor.id}
        )
        other_schedule = self._create_schedule(
            "O-1", date(2025, 1, 1), 36, agreement_id=other_agreement.id
        )
        self._leased_device("SN-OTHER", 700.0, self.code_school, other_schedule)
        other_schedule.action_activate()
        self._create_device(
            "SN-OWN", lifecycle_state="in_use", activity_code_id=self.code_school.id
        )
        reconciliation = self._import(
            b"Schedule,Serial,Period,Amount\n"
            b"S-1,SN-A,2026-03,500\n"
            b"S-1,SN-OTHER,2026-03,700\n"
            b"S-1,SN-OWN,2026-03,700\n"
            b"S-1,SN-NOWHERE,2026-03,700\n"
        )
        fields = [
            name
            for name, field in reconciliation.line_ids._fields.items()
            if field.store
            and name not in ("id", "row", "serial_no", "serial_normalized")
        ]

        def seen(serial):
            line = reconciliation.line_ids.filtered(
                lambda line: line.serial_no == serial
            )
            return line.read(fields)[0] | {"id": None}

        nowhere = seen("SN-NOWHERE")
        self.assertEqual(
            (nowhere["status"], nowhere["equipment_id"], nowhere["lease_line_id"]),
            ("not_in_register", False, False),
        )
        self.assertEqual(seen("SN-OTHER"), nowhere)
        self.assertEqual(seen("SN-OWN"), nowhere)
        # The lessor's own devices are still linked, the returned one too.
        self.assertEqual(
            reconciliation.line_ids.filtered("equipment_id").equipment_id,
            self.device_a | self.device_b | self.device_d,
        )
        self.assertEqual(
            self._import(SPEC.encode())
            .line_ids.filtered(lambda line: line.status == "after_end")
            .equipment_id,
            self.device_c,
        )
