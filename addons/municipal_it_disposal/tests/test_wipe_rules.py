# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import DisposalCommon


@tagged("post_install", "-at_install")
class TestWipeRules(DisposalCommon):
    def _cert(self, device, medium, level="Purge", status="erased", report="R-W"):
        return self._import(
            self._csv([self._csv_row(device, medium, level, status, report)]),
            f"{report}-{medium}.csv",
        ).certificate_ids

    def test_disposal_refused_without_certificate(self):
        with self.assertRaisesRegex(
            ValidationError,
            r"RA-1.*cannot be disposed.*SSD-A1.*has no wipe certificate",
        ):
            self.dev_a.lifecycle_state = "disposed"

    def test_disposal_refused_with_a_failed_certificate(self):
        self._cert("RA-1", "SSD-A1", status="not erased")
        self.assertEqual(self.dev_a.wipe_state, "problem")
        with self.assertRaisesRegex(ValidationError, "SSD-A1.*was not erased"):
            self.dev_a.lifecycle_state = "disposed"

    def test_disposal_refused_with_clear_where_purge_required(self):
        self._cert("RA-1", "SSD-A1", level="Clear")
        with self.assertRaisesRegex(
            ValidationError, "SSD-A1.*has a Clear certificate, but Purge is required"
        ):
            self.dev_a.lifecycle_state = "remarketed"
        # A device whose data only needs Clear is released by it; only an IT
        # manager lowers the level, with a reason (issue 25, item 8).
        self.dev_a.with_user(self.it_boss).action_lower_wipe_requirement(
            "Lånedator utan personuppgifter", False, "clear"
        )
        self.dev_a.lifecycle_state = "remarketed"
        self.assertEqual(self.dev_a.wipe_state, "done")

    def test_purge_certificate_releases_the_device(self):
        self._cert("RA-1", "SSD-A1")
        self.assertEqual(self.dev_a.storage_medium_ids.wipe_state, "done")
        self.dev_a.lifecycle_state = "disposed"
        self.assertEqual(self.dev_a.lifecycle_state, "disposed")

    def test_every_medium_needs_its_certificate(self):
        self.env["it.storage.medium"].create(
            {"equipment_id": self.dev_a.id, "serial_no": "HDD-A2", "medium_type": "hdd"}
        )
        self._cert("RA-1", "SSD-A1")
        with self.assertRaisesRegex(ValidationError, "HDD-A2.*has no wipe certificate"):
            self.dev_a.lifecycle_state = "disposed"

    def test_device_without_media_is_not_held_back(self):
        """Without media registered, an IT manager's "no storage"
        attestation is the proof (issue 25, item 8: zero media is no proof
        by itself)."""
        monitor = self._create_device("MON-1", device_category="monitor")
        self.assertEqual(monitor.wipe_state, "no_media")
        monitor.with_user(self.it_boss).action_attest_no_storage(
            "Bildskärm utan lagringsminne"
        )
        monitor.lifecycle_state = "disposed"
        self.assertEqual(monitor.lifecycle_state, "disposed")

    def test_exceptions_accepted_only_by_an_it_manager_with_a_reason(self):
        cert = self._cert("RA-1", "SSD-A1", status="erased with exceptions")
        self.assertEqual(self.dev_a.storage_medium_ids.wipe_state, "exception")
        with self.assertRaisesRegex(ValidationError, "exceptions that an IT manager"):
            self.dev_a.lifecycle_state = "disposed"
        with self.assertRaises(AccessError):
            cert.with_user(self.it_user).action_accept_exception("Sektor 12 oläsbar")
        with self.assertRaisesRegex(UserError, "reason"):
            cert.with_user(self.it_boss).with_context(
                tracking_disable=False, mail_notrack=False
            ).action_accept_exception("")
        cert.with_user(self.it_boss).with_context(
            tracking_disable=False, mail_notrack=False
        ).action_accept_exception("Sektor 12 oläsbar, disken förstörs hos mottagaren")
        self.assertTrue(cert.is_valid)
        self.assertEqual(cert.exception_user_id, self.it_boss)
        # Tracking values are written when the transaction commits.
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = cert.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "exception_reason"
        )
        self.assertEqual(
            tracked.new_value_text, "Sektor 12 oläsbar, disken förstörs hos mottagaren"
        )
        self.dev_a.lifecycle_state = "disposed"

    def test_certificate_evidence_cannot_be_changed(self):
        cert = self._cert("RA-1", "SSD-A1", status="not erased")
        with self.assertRaisesRegex(UserError, "recipient's evidence"):
            cert.with_user(self.it_boss).write({"status": "erased"})

    def test_classified_device_never_remarketed(self):
        self.dev_a.is_classified = True
        self._cert("RA-1", "SSD-A1", level="Destroy")
        with self.assertRaisesRegex(
            ValidationError, "RA-1 holds classified information"
        ):
            self.dev_a.lifecycle_state = "remarketed"
        batch = self._batch(devices=self.dev_a)
        with self.assertRaisesRegex(
            ValidationError, "RA-1 holds classified information"
        ):
            batch.line_ids.disposition = "remarket"

    def test_classified_device_accepts_only_destruction_or_witnessed_sanitization(self):
        self.dev_a.is_classified = True
        cert = self._cert("RA-1", "SSD-A1", level="Purge")
        with self.assertRaisesRegex(
            ValidationError, "SSD-A1.*classified device: only a destruction"
        ):
            self.dev_a.lifecycle_state = "disposed"
        with self.assertRaises(AccessError):
            cert.with_user(self.it_user).witnessed_on_site = True
        cert.with_user(self.it_boss).write(
            {"witnessed_on_site": True, "witness_name": "Säkerhetsskyddschef"}
        )
        self.dev_a.lifecycle_state = "disposed"

    def test_classified_device_destroyed(self):
        self.dev_b.is_classified = True
        self._cert("RA-2", "SSD-B1", level="Destroy")
        self.dev_b.lifecycle_state = "disposed"
        self.assertEqual(self.dev_b.wipe_state, "done")
