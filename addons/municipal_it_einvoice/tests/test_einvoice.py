# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import MARCH_CLASSES, EInvoiceCommon


@tagged("post_install", "-at_install")
class TestEInvoice(EInvoiceCommon):
    def _assert_march(self, bill):
        """The bill of the March e-invoice, reconciled as the lease addon's
        specification of the same rows is."""
        self.assertEqual(bill.partner_id, self.lessor)
        self.assertFalse(bill.it_einvoice_error)
        reconciliation = bill.it_reconciliation_id
        self.assertTrue(reconciliation)
        self.assertEqual(reconciliation.vendor_bill_id, bill)
        self.assertEqual(reconciliation.einvoice_move_ids, bill)
        self.assertEqual(self._by_serial(reconciliation), MARCH_CLASSES)
        # The classes' amounts on the bill: invoiced 500 matched, 1,234.50
        # differing, 199 not in the register, 300 after return; 250 expected
        # for D, not invoiced. Overcharged: (1,234.50 - 400) + 199 + 300 - 250
        # = 1,083.50.
        self.assertEqual(
            (
                bill.it_matched_amount,
                bill.it_amount_differs_amount,
                bill.it_not_in_register_amount,
                bill.it_after_end_amount,
                bill.it_not_invoiced_amount,
                bill.it_discrepancy_amount,
                bill.it_discrepancy_count,
            ),
            (500.0, 1234.5, 199.0, 300.0, 250.0, 1083.5, 4),
        )
        self.assertTrue(bill.it_einvoice_hold)
        return reconciliation

    def test_serial_as_invoiced_object_identifier(self):
        bill = self._receive(self._build(serial_in="object_id"))
        self._assert_march(bill)

    def test_serial_as_item_attribute(self):
        bill = self._receive(self._build(serial_in="item_property"))
        self._assert_march(bill)

    def test_serial_as_item_attribute_named_in_english(self):
        self.lessor.it_einvoice_serial_source = "item_property"
        bill = self._receive(
            self._build(serial_in="item_property", serial_name="Serial number")
        )
        self._assert_march(bill)

    def test_serial_as_sellers_item_identifier(self):
        bill = self._receive(self._build(serial_in="sellers_item_id"))
        self._assert_march(bill)

    def test_serial_in_attached_specification(self):
        """One line for the month's rent; the serials in the CSV embedded in
        the invoice (BT-125), read by the specification reader."""
        specification = (
            b"Bilaga;Serienummer;Period;Belopp\n"
            b"S-1;SN-A;2026-03;500,00\n"
            b"S-1;sn-b;2026-03;1 234,50\n"
            b"S-1;SN-X;2026-03;199,00\n"
            b"S-1;SN-C;2026-03;300,00\n"
        )
        bill = self._receive(
            self._build(
                [("", 2233.5)], serial_in="attachment", attachment=specification
            )
        )
        self._assert_march(bill)

    def test_configured_source_is_used_not_guessed(self):
        """The lessor says its serials are the seller's item identifiers; the
        invoice's object identifiers (its own asset numbers) are not read."""
        self.lessor.it_einvoice_serial_source = "sellers_item_id"
        content = self._build(serial_in="sellers_item_id").replace(
            b"<cac:Item>",
            b'<cac:DocumentReference><cbc:ID schemeID="AN">ASSET-1</cbc:ID>'
            b"<cbc:DocumentTypeCode>130</cbc:DocumentTypeCode>"
            b"</cac:DocumentReference><cac:Item>",
        )
        self._assert_march(self._receive(content))

    def test_line_periods_and_annex_per_line(self):
        """Each line its own period (BT-134) and annex (attribute Bilaga):
        D is billed for February only (250.00 x 28 / 28 = 250.00, matched)
        and is still not invoiced for March; the annex by its schedule
        reference on the line, the invoice naming none (its period spans
        both months)."""
        march = ("2026-03-01", "2026-03-31")
        lines = [
            ("SN-A", 500.0, {"schedule": "S-1", "period": march}),
            ("SN-B", 400.0, {"schedule": "S-1", "period": march}),
            (
                "SN-D",
                250.0,
                {"schedule": "S-1", "period": ("2026-02-01", "2026-02-28")},
            ),
        ]
        bill = self._receive(
            self._build(lines, contract_ref=None, period=("2026-02-01", "2026-03-31"))
        )
        reconciliation = bill.it_reconciliation_id
        self.assertEqual(reconciliation.date_from.isoformat(), "2026-03-01")
        self.assertEqual(
            {
                (line.serial_no, line.period.isoformat()): (
                    line.status,
                    line.invoiced_amount,
                    line.expected_amount,
                )
                for line in reconciliation.line_ids
            },
            {
                ("SN-A", "2026-03-01"): ("matched", 500.0, 500.0),
                ("SN-B", "2026-03-01"): ("matched", 400.0, 400.0),
                ("SN-D", "2026-02-01"): ("matched", 250.0, 250.0),
                ("SN-D", "2026-03-01"): ("not_invoiced", 0.0, 250.0),
            },
        )

    def test_mark_checked_uses_the_bill(self):
        bill = self._receive(self._build())
        reconciliation = bill.it_reconciliation_id.with_user(self.clerk)
        reconciliation.action_check()
        self.assertEqual(reconciliation.state, "checked")
        self.assertEqual(reconciliation.vendor_bill_id, bill)

    def test_held_bill_is_not_paid_until_disputed(self):
        bill = self._receive(self._build())
        bill.invoice_date = bill.invoice_date or "2026-03-05"
        bill.action_post()
        bill = bill.with_user(self.clerk)
        with self.assertRaisesRegex(UserError, "held.*4 unresolved discrepancies"):
            bill.action_register_payment()
        # Nor through the payment wizard, however it is reached.
        wizard = (
            self.env["account.payment.register"]
            .with_user(self.clerk)
            .with_context(active_model="account.move", active_ids=bill.ids)
            .create({})
        )
        with self.assertRaisesRegex(UserError, "is held"):
            wizard._create_payments()
        self.assertEqual(bill.payment_state, "not_paid")
        reconciliation = bill.it_reconciliation_id.with_user(self.clerk)
        reconciliation.action_check()
        self.assertTrue(bill.it_einvoice_hold)
        reconciliation.action_dispute()
        self.assertFalse(bill.it_einvoice_hold)
        wizard = (
            self.env["account.payment.register"]
            .with_user(self.clerk)
            .with_context(active_model="account.move", active_ids=bill.ids)
            .create({})
        )
        wizard._create_payments()
        self.assertIn(bill.payment_state, ("paid", "in_payment"))

    def test_accepted_discrepancies_release_the_bill(self):
        bill = self._receive(self._build())
        reconciliation = bill.it_reconciliation_id.with_user(self.clerk)
        reconciliation.action_check()
        reconciliation.action_accept()
        self.assertFalse(bill.it_einvoice_hold)
        # The class amounts stay on the bill.
        self.assertEqual(bill.it_amount_differs_amount, 1234.5)

    def test_credit_note_corrects_the_bill(self):
        """The bill overcharges B by 834.50; the lessor's credit note of
        834.50 for B (a UBL CreditNote, its amounts counted negative) is
        reconciled with the bill: B nets 1,234.50 - 834.50 = 400.00,
        matched, and nothing holds the bill any longer."""
        lines = [("SN-A", 500.0), ("SN-B", 1234.5), ("SN-D", 250.0)]
        bill = self._receive(self._build(lines, number="F-100"))
        self.assertEqual(bill.it_discrepancy_count, 1)
        self.assertEqual(bill.it_discrepancy_amount, 834.5)
        self.assertTrue(bill.it_einvoice_hold)
        credit_note = self._receive(
            self._build(
                [("SN-B", 834.5)],
                number="K-7",
                credit_note=True,
                billing_ref="F-100",
            )
        )
        self.assertEqual(credit_note.move_type, "in_refund")
        self.assertFalse(credit_note.it_einvoice_error)
        reconciliation = credit_note.it_reconciliation_id
        self.assertEqual(bill.it_reconciliation_id, reconciliation)
        self.assertEqual(reconciliation.vendor_bill_id, bill)
        self.assertEqual(reconciliation.einvoice_move_ids, bill | credit_note)
        self.assertEqual(
            self._by_serial(reconciliation),
            {
                "SN-A": ("matched", 500.0, 500.0),
                "SN-B": ("matched", 400.0, 400.0),
                "SN-D": ("matched", 250.0, 250.0),
            },
        )
        self.assertEqual(bill.it_discrepancy_count, 0)
        self.assertFalse(bill.it_einvoice_hold)
        self.assertFalse(credit_note.it_einvoice_hold)

    def test_new_invoice_replaces_a_cancelled_one(self):
        """The lessor's corrected invoice, after the first bill is cancelled,
        refreshes the month's reconciliation (the Replace rule) from itself
        only."""
        first = self._receive(self._build(number="F-1"))
        first.button_cancel()
        lines = [("SN-A", 500.0), ("SN-B", 400.0), ("SN-D", 250.0)]
        second = self._receive(self._build(lines, number="F-2"))
        reconciliation = second.it_reconciliation_id
        self.assertEqual(reconciliation.vendor_bill_id, second)
        self.assertEqual(reconciliation.discrepancy_count, 0)
        self.assertFalse(second.it_einvoice_hold)
        self.assertEqual(
            self.Reconciliation.search_count(
                [("lessor_id", "=", self.lessor.id), ("date_from", "=", "2026-03-01")]
            ),
            1,
        )

    def test_second_invoice_of_the_month_bills_twice(self):
        """Two invoices of the month, both standing, are reconciled together:
        a device billed in both is billed twice (1,000.00 against 500.00)."""
        self._receive(self._build([("SN-A", 500.0)], number="F-1"))
        bill = self._receive(
            self._build([("SN-A", 500.0), ("SN-B", 400.0)], number="F-2")
        )
        lines = self._by_serial(bill.it_reconciliation_id)
        self.assertEqual(lines["SN-A"], ("amount_differs", 1000.0, 500.0))
        self.assertEqual(lines["SN-B"], ("matched", 400.0, 400.0))

    def test_accepted_month_refuses_a_late_credit_note(self):
        bill = self._receive(self._build(number="F-1"))
        reconciliation = bill.it_reconciliation_id.with_user(self.clerk)
        reconciliation.action_check()
        reconciliation.action_accept()
        credit_note = self._receive(
            self._build([("SN-B", 834.5)], number="K-1", credit_note=True)
        )
        self.assertRegex(credit_note.it_einvoice_error, "already imported.*accepted")
        self.assertFalse(credit_note.it_reconciliation_id)
        self.assertEqual(bill.it_reconciliation_id, reconciliation)
        self.assertEqual(self._by_serial(reconciliation), MARCH_CLASSES)

    def test_same_invoice_twice_is_refused(self):
        self._receive(self._build(number="F-1"))
        again = self._receive(self._build(number="F-1"))
        self.assertRegex(again.it_einvoice_error, "F-1.*received twice")
        self.assertTrue(again.it_einvoice_hold)

    def test_bill_of_another_supplier_is_left_alone(self):
        content = self._build(seller=("Kontorsvaror AB", "5560000001"))
        bill = self._receive(content)
        self.assertNotEqual(bill.partner_id, self.lessor)
        self.assertFalse(bill.it_reconciliation_id)
        self.assertFalse(bill.it_einvoice_attachment_id)
        self.assertFalse(bill.it_einvoice_hold)

    def test_reconcile_again_after_the_lessor_is_set_up(self):
        """Serials in an item attribute the lessor names "Enhet": refused
        until its serial column says so, then reconciled with the button."""
        content = self._build(serial_in="item_property", serial_name="Enhet")
        bill = self._receive(content)
        self.assertRegex(bill.it_einvoice_error, "no serial number found")
        self.assertTrue(bill.it_einvoice_hold)
        self.lessor.it_spec_serial_column = "Serienummer|Enhet"
        bill.with_user(self.clerk).action_it_einvoice_reconcile()
        self.assertFalse(bill.it_einvoice_error)
        self._assert_march(bill)
