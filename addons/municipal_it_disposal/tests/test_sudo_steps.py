# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The crate's steps write its state, custody log, devices, lease lines and
settlement with sudo(): each keeps the user's rights (another company's IT
manager, an internal user without IT Leasing and a portal user are refused
before anything is written) and the crate's state."""

import base64
from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.municipal_it_lease.tests.sudo_steps import SudoStepsMixin

from .common import DisposalCommon

IT_MANAGER = "municipal_it_lease.municipal_it_lease_group_manager"
STATES = ("draft", "sealed", "collected", "received", "sanitized", "graded")


@tagged("post_install", "-at_install")
class TestDisposalSudoSteps(SudoStepsMixin, DisposalCommon):
    _prefix = "sudo_disposal"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_attackers(cls.company, IT_MANAGER)

    def _crate(self, state):
        """A crate of the three devices brought to ``state`` by the app."""
        batch = self._batch()
        for step in STATES[1 : STATES.index(state) + 1]:
            if step == "sealed":
                batch.action_seal()
            elif step == "collected":
                self._collect(batch)
            elif step == "received":
                batch._confirm_receipt(
                    "RA-1 RA-2 RA-3",
                    date(2026, 3, 10),
                    "S-1001, S-1002",
                    "Lisa",
                    "Kista",
                )
            elif step == "sanitized":
                self._certify_all(batch)
                batch.action_sanitized()
                # The recipient's grades, for the next step.
                batch.line_ids.write(
                    {"grade": "c", "offered_value": 100.0, "disposition": "recycle"}
                )
            elif step == "graded":
                batch.action_graded()
        if state == "sealed":
            # What the collection needs.
            batch.write(
                {
                    "handed_over_by_id": self.env.uid,
                    "collected_by": "Kalle Chaufför",
                    "collection_location": "Stadshuset, lastkaj",
                }
            )
        self.assertEqual(batch.state, state)
        return batch

    def _watch(self):
        return [
            (
                "it.disposal.batch",
                [],
                ["state", "has_incident", "received_date", "collected_at"],
            ),
            (
                "it.disposal.batch.line",
                [],
                ["receipt_state", "agreement_state", "dispute_reason", "grade"],
            ),
            ("it.custody.event", [], ["batch_id", "event_type"]),
            ("it.custody.anchor", [], ["batch_id", "sequence"]),
            (
                "maintenance.equipment",
                [("company_id", "=", self.company.id)],
                [
                    "lifecycle_state",
                    "disposal_in_transit",
                    "is_classified",
                    "wipe_level_required",
                    "no_storage_attested",
                ],
            ),
            ("it.lease.line", [], ["date_returned"]),
            ("it.wipe.report", [], ["sha256"]),
            ("it.wipe.certificate", [], ["exception_accepted"]),
            ("account.move", [], ["state"]),
        ]

    def _check_transition(self, method, state, forbidden):
        """``method`` on a crate in ``state`` is refused to each attacker; in
        ``forbidden``, it is refused to an IT user of the crate's company."""
        batch = self._crate(state)
        self.assertStepsRefused(batch, method, self._watch())
        batch.sudo().write({"state": forbidden})
        self.assertStepsRefused(batch, method, self._watch(), self.it_user, UserError)

    def test_seal(self):
        self._check_transition("action_seal", "draft", "sealed")

    def test_collect(self):
        self._check_transition("action_collect", "sealed", "draft")

    def test_sanitized(self):
        self._check_transition("action_sanitized", "received", "collected")

    def test_graded(self):
        self._check_transition("action_graded", "sanitized", "received")

    def test_receipt(self):
        def confirm(batch, user):
            self.env["it.disposal.receipt"].with_user(user).create(
                {
                    "batch_id": batch.id,
                    "serials": "RA-1 RA-2",
                    "seals_seen": "S-9999",
                    "receipt_date": date(2026, 3, 10),
                }
            ).action_confirm()

        batch = self._crate("collected")
        self.assertEveryoneRefused(lambda user: confirm(batch, user), self._watch())
        batch.sudo().write({"state": "sealed"})
        self.assertRefusedUnwritten(
            lambda: confirm(batch, self.it_user), self._watch(), UserError
        )

    def test_agree_dispute_settle(self):
        batch = self._crate("graded")
        line = batch.line_ids[:1]
        steps = {
            "agree": lambda lines, user: lines.with_user(user).action_agree(),
            "dispute": lambda lines, user: lines.with_user(user).action_dispute("Fel"),
        }
        for name, step in steps.items():
            with self.subTest(step=name):
                self.assertEveryoneRefused(
                    lambda user, step=step: step(line, user), self._watch()
                )
        batch.line_ids.with_user(self.it_user).action_agree()
        # Settling is an IT manager's step.

        def settle(user):
            return batch.with_user(user).action_settle()

        self.assertEveryoneRefused(settle, self._watch())
        self.assertRefusedUnwritten(lambda: settle(self.it_user), self._watch())
        batch.with_user(self.it_boss).action_settle()
        self.assertEqual(batch.state, "settled")
        # Settled: no more agreeing, disputing or settling.
        for name, step in steps.items():
            with self.subTest(step=name, state="settled"):
                self.assertRefusedUnwritten(
                    lambda step=step: step(line, self.it_user), self._watch(), UserError
                )
        self.assertRefusedUnwritten(
            lambda: settle(self.it_boss), self._watch(), UserError
        )

    def test_device_wipe_requirement_and_no_storage(self):
        device = self.env["maintenance.equipment"].create(
            {"name": "Owned laptop", "serial_no": "OWN-1", "is_classified": True}
        )

        def lower(user, dev=device):
            return dev.with_user(user).action_lower_wipe_requirement(
                "Ej hemlig", False, "clear"
            )

        def attest(user, dev=device):
            return dev.with_user(user).action_attest_no_storage("Ingen disk")

        for name, step in (("lower", lower), ("attest", attest)):
            with self.subTest(step=name):
                self.assertEveryoneRefused(step, self._watch())
                self.assertRefusedUnwritten(
                    lambda s=step: s(self.it_user), self._watch()
                )
        # Not for a device in a crate, nor one with storage media.
        self._batch(devices=self.dev_a)
        self.assertRefusedUnwritten(
            lambda: lower(self.it_boss, self.dev_a), self._watch(), UserError
        )
        self.assertRefusedUnwritten(
            lambda: attest(self.it_boss, self.dev_b), self._watch(), UserError
        )

    def test_accept_exception(self):
        report = self._import(
            self._csv(
                [self._csv_row("RA-1", "SSD-A1", status="erased with exceptions")]
            ),
            "ex.csv",
        )
        cert = report.certificate_ids

        def accept(user, c=cert):
            return c.with_user(user).action_accept_exception("Sektor 12 oläsbar")

        self.assertEveryoneRefused(accept, self._watch())
        self.assertRefusedUnwritten(lambda: accept(self.it_user), self._watch())
        erased = self._import(
            self._csv([self._csv_row("RA-2", "SSD-B1")]), "ok.csv"
        ).certificate_ids
        self.assertRefusedUnwritten(
            lambda: accept(self.it_boss, erased), self._watch(), UserError
        )

    def test_custody_print_and_report_import(self):
        batch = self._crate("collected")
        self.assertStepsRefused(batch, "action_print_custody", self._watch())

        def import_report(user):
            self.env["it.wipe.report.import"].with_user(user).create(
                {
                    "file": base64.b64encode(
                        self._csv([self._csv_row("RA-1", "SSD-A1")])
                    ),
                    "file_name": "r.csv",
                    "batch_id": batch.id,
                }
            ).action_import()

        self.assertEveryoneRefused(import_report, self._watch())

    def test_step_drops_system_defaults(self):
        """A report imported with the certificates' and the report's system
        fields as defaults of the request's context: none is taken."""
        wizard = (
            self.env["it.wipe.report.import"]
            .with_user(self.it_user)
            .create(
                {
                    "file": base64.b64encode(
                        self._csv(
                            [
                                self._csv_row(
                                    "RA-1", "SSD-A1", status="erased with exceptions"
                                )
                            ]
                        )
                    ),
                    "file_name": "r.csv",
                }
            )
        )
        wizard.with_context(
            default_exception_accepted=True,
            default_exception_reason="Forged",
            default_exception_user_id=self.it_boss.id,
            default_sha256="0" * 64,
            default_name="Forged report",
        ).action_import()
        report = self.env["it.wipe.report"].search([("file_name", "=", "r.csv")])
        self.assertEqual(len(report), 1)
        self.assertNotEqual(report.sha256, "0" * 64)
        self.assertNotEqual(report.name, "Forged report")
        self.assertEqual(
            report.certificate_ids.mapped(
                lambda c: (
                    c.exception_accepted,
                    c.exception_reason,
                    c.exception_user_id,
                )
            ),
            [(False, False, self.env["res.users"])],
        )
