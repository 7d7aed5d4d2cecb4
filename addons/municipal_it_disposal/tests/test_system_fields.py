# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import DisposalCommon


@tagged("post_install", "-at_install")
class TestSystemFields(DisposalCommon):
    """What only the crate's steps, the import and the computations write is
    refused to every caller on create and write: the buttons are the only
    way."""

    def _received_batch(self, devices=None):
        batch = self._batch(devices=devices)
        batch.action_seal()
        self._collect(batch)
        batch._confirm_receipt(
            " ".join(batch.line_ids.mapped("serial_no")),
            date(2026, 3, 10),
            "",
            "",
            "",
        )
        return batch

    # Crate lines

    def test_line_receipt_and_agreement_refused_on_create(self):
        batch = self._batch(devices=self.dev_a).with_user(self.it_user)
        Line = self.env["it.disposal.batch.line"].with_user(self.it_user)
        for values in (
            {"receipt_state": "received"},
            {"agreement_state": "agreed"},
            {"received_date": date(2026, 3, 10)},
            {"dispute_reason": "Redan bestridd"},
        ):
            with self.assertRaisesRegex(UserError, "cannot be set directly"):
                Line.create(
                    {"batch_id": batch.id, "equipment_id": self.dev_b.id, **values}
                )
        # A request's context cannot give them as defaults either.
        line = Line.with_context(
            default_receipt_state="received", default_agreement_state="agreed"
        ).create({"batch_id": batch.id, "equipment_id": self.dev_b.id})
        self.assertEqual(line.receipt_state, "pending")
        self.assertEqual(line.agreement_state, "pending")
        # Values equal to the defaults, as a form sends them, pass.
        line = Line.create(
            {
                "batch_id": batch.id,
                "equipment_id": self.dev_c.id,
                "receipt_state": "pending",
                "agreement_state": "pending",
            }
        )
        self.assertEqual(line.reason, "return")
        self.assertEqual(line.lease_line_id, self.dev_c.lease_line_id)

    def test_forged_receipt_never_reaches_the_crate(self):
        """The review's case: a line created as received and agreed would
        make the crate received with a device nobody received."""
        batch = self._batch(devices=self.dev_a)
        with self.assertRaises(UserError):
            self.env["it.disposal.batch.line"].with_user(self.it_user).create(
                {
                    "batch_id": batch.id,
                    "equipment_id": self.dev_b.id,
                    "receipt_state": "received",
                    "agreement_state": "agreed",
                }
            )
        batch._add_serials("RA-2")
        batch.action_seal()
        self._collect(batch)
        batch._confirm_receipt("RA-1", date(2026, 3, 10), "", "", "")
        self.assertEqual(
            batch.line_ids.sorted("serial_no").mapped("receipt_state"),
            ["received", "pending"],
        )
        self.assertEqual(self.dev_b.lease_line_id.date_returned, False)

    def test_line_reason_and_lease_line_refused(self):
        """Pointing a draft line at another device's lease line would end that
        lease (and stop its rent) on receipt."""
        batch = self._batch(devices=self.dev_a)
        line = batch.line_ids.with_user(self.it_user)
        other_lease = self.dev_b.lease_line_id
        with self.assertRaisesRegex(UserError, "cannot be set directly"):
            line.write({"reason": "return", "lease_line_id": other_lease.id})
        with self.assertRaisesRegex(UserError, "cannot be set directly"):
            line.reason = "owned"
        with self.assertRaisesRegex(UserError, "cannot be set directly"):
            line.in_transit = True
        with self.assertRaisesRegex(UserError, "cannot be set directly"):
            self.env["it.disposal.batch.line"].with_user(self.it_user).create(
                {
                    "batch_id": batch.id,
                    "equipment_id": self.dev_c.id,
                    "lease_line_id": other_lease.id,
                }
            )
        # A form saving what it read changes nothing and passes.
        line.write({"reason": "return", "lease_line_id": line.lease_line_id.id})
        # Changing the device recomputes both.
        line.equipment_id = self.dev_c
        self.assertEqual(line.lease_line_id, self.dev_c.lease_line_id)
        batch.action_seal()
        self._collect(batch)
        batch._confirm_receipt("RA-3", date(2026, 3, 10), "", "", "")
        self.assertEqual(self.dev_c.lease_line_id.date_returned, date(2026, 3, 10))
        self.assertFalse(other_lease.date_returned)

    # Crates

    def test_crate_system_fields_refused_on_create(self):
        Batch = self.env["it.disposal.batch"].with_user(self.it_user)
        base = {"recipient_id": self.lessor.id, "crate_number": "BUR-9"}
        move = self.env["account.move"].create(
            {"move_type": "in_refund", "partner_id": self.lessor.id}
        )
        for values in (
            {"escalation_level": 2},
            {"received_date": date(2026, 3, 10)},
            {"received_by": "Ingen"},
            {"receipt_seal_numbers": "S-1"},
            {"has_incident": True},
            {"refund_move_id": move.id},
            {"receipt_deadline": date(2099, 1, 1)},
        ):
            with self.assertRaisesRegex(UserError, "cannot be set directly"):
                Batch.create(dict(base, **values))
        with self.assertRaisesRegex(UserError, "starts as a draft"):
            Batch.create(dict(base, state="received"))
        batch = Batch.with_context(
            default_escalation_level=2, default_state="settled"
        ).create(base)
        self.assertEqual(batch.escalation_level, 0)
        self.assertEqual(batch.state, "draft")

    def test_forged_receipt_on_create_does_not_survive(self):
        with self.assertRaisesRegex(UserError, "cannot be set directly"):
            self.env["it.disposal.batch"].with_user(self.it_user).create(
                {
                    "recipient_id": self.lessor.id,
                    "crate_number": "BUR-17",
                    "received_date": date(2026, 1, 1),
                    "received_by": "Falsk",
                }
            )
        batch = self._batch()
        batch.action_seal()
        self._collect(batch)
        batch._confirm_receipt("RA-1", date(2026, 3, 10), "", "Lisa", "")
        self.assertEqual(batch.received_date, date(2026, 3, 10))
        self.assertEqual(batch.received_by, "Lisa")

    def test_deadlines_refused_on_write(self):
        batch = self._batch().with_user(self.it_user)
        batch.action_seal()
        self._collect(batch)
        for name in ("receipt_deadline", "escalation_deadline"):
            with self.assertRaisesRegex(UserError, "change only through its"):
                batch.write({name: date(2099, 1, 1)})
        self.assertEqual(batch.receipt_deadline, date(2026, 3, 12))
        with freeze_time("2026-03-30"):
            self.env["it.disposal.batch"]._cron_escalate_overdue_receipts()
        self.assertEqual(batch.escalation_level, 2)

    # Certificates and reports

    def test_certificates_and_reports_only_by_import(self):
        medium = self.dev_a.storage_medium_ids
        for user in (self.it_user, self.it_boss):
            with self.assertRaisesRegex(UserError, "only by importing"):
                self.env["it.wipe.report"].with_user(user).create(
                    {"name": "Falsk", "file_format": "csv"}
                )
        report = self._import(
            self._csv([self._csv_row("RA-2", "SSD-B1")]), "r.csv", user=self.it_user
        )
        self.assertEqual(report.certificate_ids.status, "erased")
        for user in (self.it_user, self.it_boss):
            with self.assertRaisesRegex(UserError, "only by importing"):
                self.env["it.wipe.certificate"].with_user(user).create(
                    {
                        "report_id": report.id,
                        "company_id": self.company.id,
                        "medium_id": medium.id,
                        "equipment_id": self.dev_a.id,
                        "level": "purge",
                        "status": "erased_exceptions",
                        "exception_accepted": True,
                        "exception_user_id": self.it_boss.id,
                        "witnessed_on_site": True,
                    }
                )
        self.assertEqual(medium.wipe_state, "missing")
        batch = self._received_batch(devices=self.dev_a)
        with self.assertRaisesRegex(ValidationError, "SSD-A1 has no wipe certificate"):
            batch.with_user(self.it_user).action_sanitized()

    def test_certificate_match_and_validity_refused(self):
        failed = self._import(
            self._csv([self._csv_row("RA-1", "SSD-A1", status="not erased")]),
            "failed.csv",
        ).certificate_ids
        other = self._import(
            self._csv([self._csv_row("RA-2", "SSD-B1", report="R-2")]), "b.csv"
        ).certificate_ids
        for user in (self.it_user, self.it_boss):
            certificate = failed.with_user(user)
            for values in (
                {"is_valid": True},
                {"is_matched": False},
                {"medium_id": self.dev_c.storage_medium_ids.id},
                {"equipment_id": self.dev_c.id},
            ):
                with self.assertRaisesRegex(UserError, "cannot be set directly"):
                    certificate.write(values)
            # Moving another device's certificate onto this medium.
            with self.assertRaisesRegex(UserError, "cannot be set directly"):
                other.with_user(user).write(
                    {
                        "medium_id": self.dev_a.storage_medium_ids.id,
                        "equipment_id": self.dev_a.id,
                    }
                )
        self.assertFalse(failed.is_valid)
        self.assertEqual(other.medium_id, self.dev_b.storage_medium_ids)

    def test_exception_only_through_its_action(self):
        certificate = self._import(
            self._csv(
                [self._csv_row("RA-1", "SSD-A1", status="erased with exceptions")]
            ),
            "exc.csv",
        ).certificate_ids.with_user(self.it_boss)
        for values in (
            {"exception_user_id": self.it_boss.id},
            {"exception_date": fields.Datetime.now()},
            {"exception_accepted": True},
            {"exception_reason": "Utan knapp"},
        ):
            with self.assertRaisesRegex(UserError, "cannot be set directly"):
                certificate.write(values)
        self.assertFalse(certificate.is_valid)
        certificate.action_accept_exception("Sektor 12 oläsbar")
        self.assertTrue(certificate.is_valid)
        self.assertEqual(certificate.exception_user_id, self.it_boss)
        self.assertTrue(certificate.exception_date)
        # The witness is still the IT manager's to record.
        certificate.write({"witnessed_on_site": True, "witness_name": "Chef"})
        self.assertEqual(self.dev_a.storage_medium_ids.wipe_state, "done")

    def test_report_evidence_refused(self):
        report = self._import(
            self._xml("DOC-9", "RA-1", [("SSD-A1", "NIST Purge", "Successful")]),
            "doc.xml",
        )
        self.assertEqual(len(report.sha256), 64)
        attachment = self.env["ir.attachment"].create(
            {"name": "falsk.csv", "raw": b"x", "res_model": "it.wipe.report"}
        )
        for user in (self.it_user, self.it_boss):
            for values in (
                {"sha256": "f" * 64},
                {"signature": "falsk"},
                {"document_id": "DOC-X"},
                {"file_name": "annan.xml"},
                {"name": "Annan"},
                {"batch_id": self._batch(devices=False).id},
                {"attachment_id": attachment.id},
            ):
                with self.assertRaisesRegex(UserError, "cannot be set directly"):
                    report.with_user(user).write(values)
        self.assertNotEqual(report.sha256, "f" * 64)
        self.assertEqual(report.document_id, "DOC-9")

    # Wipe status and transit

    def test_wipe_state_refused_and_sanitized_rechecks_certificates(self):
        batch = self._received_batch(devices=self.dev_a)
        self._import(
            self._csv([self._csv_row("RA-1", "SSD-A1", status="not erased")]),
            "failed.csv",
        )
        medium = self.dev_a.storage_medium_ids
        with self.assertRaisesRegex(UserError, "cannot be set directly"):
            medium.with_user(self.it_user).write({"wipe_state": "done"})
        with self.assertRaisesRegex(UserError, "cannot be set directly"):
            self.dev_a.with_user(self.it_user).write({"wipe_state": "done"})
        with self.assertRaisesRegex(UserError, "cannot be set directly"):
            self.dev_a.with_user(self.it_user).write({"disposal_in_transit": True})
        with self.assertRaisesRegex(UserError, "cannot be set directly"):
            self.env["it.storage.medium"].with_user(self.it_user).create(
                {
                    "equipment_id": self.dev_a.id,
                    "serial_no": "HDD-A9",
                    "wipe_state": "done",
                }
            )
        with self.assertRaisesRegex(UserError, "cannot be set directly"):
            self.env["maintenance.equipment"].with_user(self.it_user).create(
                {
                    "name": "Laptop NEW-1",
                    "serial_no": "NEW-1",
                    "disposal_in_transit": True,
                }
            )
        # Even a stored status forged behind the application's back does not
        # sanitize the crate: the certificates themselves are checked.
        medium.sudo().write({"wipe_state": "done"})
        with self.assertRaisesRegex(ValidationError, "SSD-A1 was not erased"):
            batch.with_user(self.it_user).action_sanitized()
        self.assertEqual(batch.state, "received")

    def test_normal_flow_as_it_user(self):
        """The buttons still write all of it for a user without rights to
        set it directly."""
        batch = self._batch().with_user(self.it_user)
        batch.action_seal()
        self._collect(batch)
        self.assertTrue(all(self.devices.mapped("disposal_in_transit")))
        batch._confirm_receipt("RA-1 RA-2 RA-3", date(2026, 3, 10), "", "Lisa", "")
        self.assertFalse(any(self.devices.mapped("disposal_in_transit")))
        self.assertEqual(set(batch.line_ids.mapped("receipt_state")), {"received"})
        self._certify_all(batch, user=self.it_user)
        self.assertEqual(set(self.devices.mapped("wipe_state")), {"done"})
        batch.action_sanitized()
        self.assertEqual(batch.state, "sanitized")
