# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The app's steps that write with sudo() keep the user's rights: a user of
another company, an internal user without the addon's group and a portal user
are refused before anything is written, and so is a step in a state that
forbids it. A request context's ``default_<system field>`` reaches no record
a step creates."""

import base64
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common_remap import ItRemapCommon
from .sudo_steps import SudoStepsMixin

IT_MANAGER = "municipal_it_lease.municipal_it_lease_group_manager"
BILLING = "account.group_account_invoice"
ACCOUNTANT = "account.group_account_manager"


@tagged("post_install", "-at_install")
class TestLeaseSudoSteps(SudoStepsMixin, ItRemapCommon):
    """municipal_it_lease: schedules, charge runs and their reversal, plan
    changes, end-of-lease decisions, rent changes, code changes."""

    _prefix = "sudo_lease"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.company
        cls._setup_attackers(
            cls.company_a,
            f"{IT_MANAGER},{BILLING},{ACCOUNTANT}",
            currency_id=cls.company_a.currency_id.id,
        )
        cls.company_b.it_activity_code_plan_id = cls.plan
        cls.code_b = cls.env["account.analytic.account"].create(
            {
                "name": "Grannskola",
                "code": "7700",
                "plan_id": cls.plan.id,
                "company_id": cls.company_b.id,
            }
        )
        cls.billing = new_test_user(
            cls.env, login="sudo_lease_billing", groups=f"base.group_user,{BILLING}"
        )
        cls.accountant = new_test_user(
            cls.env,
            login="sudo_lease_accountant",
            groups=f"base.group_user,{ACCOUNTANT}",
        )
        # A draft schedule with one device, and a cancelled one.
        cls.draft_schedule = cls._create_schedule("SUDO-D", date(2026, 6, 1), 36)
        cls.draft_device = cls._leased_device(
            "SUDO-1", 250.0, cls.code_school, schedule=cls.draft_schedule
        )
        cls.cancelled_schedule = cls._create_schedule("SUDO-C", date(2026, 6, 1))
        cls.cancelled_schedule.action_cancel()
        cls.march = date(2026, 3, 1)

    def _schedules(self):
        return [
            (
                "it.lease.schedule",
                [("company_id", "=", self.company_a.id)],
                ["state"],
            ),
            ("it.lease.line", [("company_id", "=", self.company_a.id)], ["date_end"]),
        ]

    # Schedules

    def test_schedule_buttons(self):
        """Activate, end, cancel and reset: the IT manager of A only, from
        their own state only."""
        steps = [
            ("action_activate", self.draft_schedule, self.schedule),
            ("action_end", self.schedule, self.draft_schedule),
            ("action_cancel", self.draft_schedule, self.cancelled_schedule),
            ("action_draft", self.cancelled_schedule, self.draft_schedule),
        ]
        for method, allowed, forbidden in steps:
            self.assertStepsRefused(allowed, method, self._schedules())
            self.assertStepsRefused(
                forbidden, method, self._schedules(), self.it_manager, UserError
            )

    # Charge runs

    def _charge_watch(self):
        return [
            ("it.charge.run", [("company_id", "=", self.company_a.id)], ["state"]),
            (
                "account.move",
                [("company_id", "=", self.company_a.id)],
                ["state", "it_charge_run_id"],
            ),
        ]

    def test_charge_run_post(self):
        run = self._run(self.march)
        self.assertStepsRefused(run, "action_post", self._charge_watch())
        # The IT manager reads runs but does not post them.
        self.assertStepsRefused(
            run, "action_post", self._charge_watch(), self.it_manager
        )
        run.with_user(self.billing).action_post()
        self.assertEqual(run.state, "posted")
        self.assertStepsRefused(
            run, "action_post", self._charge_watch(), self.billing, UserError
        )

    def test_charge_reversal(self):
        """Odoo's reversal of a charge entry runs under sudo once the user
        may change the entry: another company's accountant may not."""
        run = self._run(self.march)
        run.action_post()
        move = run.move_id

        def reverse(user):
            wizard = (
                self.env["account.move.reversal"]
                .with_user(user)
                .with_context(active_model="account.move", active_ids=move.ids)
                .create({"journal_id": move.journal_id.id, "date": move.date})
            )
            wizard.refund_moves()

        self.assertEveryoneRefused(reverse, self._charge_watch())
        # Reversing from the run is an accountant's step.
        self.assertStepsRefused(
            run, "action_reverse", self._charge_watch(), self.billing
        )
        # A reversed run is not reversed again.
        reverse(self.accountant)
        self.assertEqual(run.state, "reversed")
        self.assertRefusedUnwritten(
            lambda: reverse(self.accountant), self._charge_watch()
        )

    # Plan changes

    def _remap_watch(self):
        return [
            (
                "it.activity.code.remap",
                [("company_id", "=", self.company_a.id)],
                ["state", "moved_device_count"],
            ),
            (
                "it.activity.code.assignment",
                [("company_id", "=", self.company_a.id)],
                ["activity_code_id", "date_from", "date_to", "remap_id"],
            ),
            ("maintenance.equipment", [], ["activity_code_id"]),
        ]

    def test_plan_change_steps(self):
        remap = self._remap(date(2026, 4, 1), [("3200", "3300")])
        remap.import_file = base64.b64encode(b"old,new\n3200,3300\n")
        self.assertStepsRefused(
            remap,
            ("action_apply", "action_import_file", "action_undo"),
            self._remap_watch(),
        )
        # Undone only once applied; imported into only while a draft.
        self.assertStepsRefused(
            remap, "action_undo", self._remap_watch(), self.it_manager, UserError
        )
        remap.with_user(self.it_manager).action_apply()
        self.assertEqual(remap.state, "applied")
        self.assertStepsRefused(
            remap,
            "action_import_file",
            self._remap_watch(),
            self.it_manager,
            UserError,
        )

    # End of lease, rent, codes

    def _line_watch(self):
        return [
            (
                "it.lease.line",
                [("company_id", "=", self.company_a.id)],
                [
                    "end_decision",
                    "date_returned",
                    "date_end",
                    "monthly_rent",
                    "buyout_move_id",
                    "extension_line_id",
                    "continued_by_id",
                ],
            ),
            ("it.lease.schedule", [], ["state"]),
            ("account.move", [], ["state"]),
            ("maintenance.equipment", [], ["return_requested", "is_owned"]),
        ]

    def test_end_decision(self):
        line = self.school_device.lease_line_id

        def decide(user, decision="return"):
            wizard = (
                self.env["it.lease.end.decision"]
                .with_user(user)
                .create(
                    {
                        "company_id": self.company_a.id,
                        "decision": decision,
                        "line_ids": [Command.create({"lease_line_id": line.id})],
                        "extension_date_from": date(2028, 1, 1),
                        "extension_date_end": date(2028, 12, 31),
                        "buyout_date": date(2026, 6, 30),
                    }
                )
            )
            return wizard.action_apply()

        for decision in ("return", "buy_out", "extend"):
            with self.subTest(decision=decision):
                self.assertEveryoneRefused(
                    lambda user, d=decision: decide(user, d), self._line_watch()
                )
        # An IT user reads the lease lines but does not decide.
        self.assertRefusedUnwritten(lambda: decide(self.it_user), self._line_watch())
        decide(self.it_manager)
        self.assertEqual(line.end_decision, "return")
        # Decided once.
        self.assertRefusedUnwritten(
            lambda: decide(self.it_manager, "buy_out"), self._line_watch(), UserError
        )

    def test_rent_change(self):
        line = self.school_device.lease_line_id

        def change(user):
            self.env["it.lease.rent.change"].with_user(user).create(
                {
                    "lease_line_id": line.id,
                    "date_from": date(2026, 7, 1),
                    "monthly_rent": 1.0,
                }
            ).action_apply()

        self.assertEveryoneRefused(change, self._line_watch())
        self.assertRefusedUnwritten(lambda: change(self.it_user), self._line_watch())
        # Not after the last day the line is charged (bought out on 31 May):
        # refused before either half of the change is written.
        line.sudo().write(
            {"end_decision": "buy_out", "date_decision_effective": date(2026, 5, 31)}
        )
        self.assertRefusedUnwritten(
            lambda: change(self.it_manager), self._line_watch(), UserError
        )

    def test_code_change_wizard(self):
        def change(user, devices=self.school_device, code=self.code_care_2027):
            self.env["it.activity.code.change"].with_user(user).create(
                {
                    "company_id": self.company_a.id,
                    "equipment_ids": [Command.set(devices.ids)],
                    "activity_code_id": code.id,
                    "effective_date": date(2026, 7, 1),
                }
            ).action_apply()

        self.assertEveryoneRefused(change, self._remap_watch())
        self.assertRefusedUnwritten(lambda: change(self.it_user), self._remap_watch())
        # Another company's code is refused to A's manager.
        self.assertRefusedUnwritten(
            lambda: change(self.it_manager, code=self.code_b), self._remap_watch()
        )

    def test_code_change_wizard_other_company_device(self):
        """Company B's IT manager cannot change a device of company A through
        the wizard: its device is not even read."""
        user_b = self.attackers["other_company"]

        def change():
            form = Form(
                self.env["it.activity.code.change"]
                .with_user(user_b)
                .with_context(
                    active_model="maintenance.equipment",
                    active_ids=self.school_device.ids,
                )
            )
            form.activity_code_id = self.code_b
            form.effective_date = date(2026, 7, 1)
            form.save().action_apply()

        self.assertRefusedUnwritten(change, self._remap_watch(), AccessError)
        self.assertEqual(self._codes(self.school_device), [("3200", False, False)])

    def test_code_change_wizard_checks_each_device(self):
        """The wizard rewrites the code history with sudo(): it first checks
        that the user may change the very devices selected (record rules),
        not only devices in general. Here a rule keeps a device under legal
        hold from any change, though it is still read."""
        device = self.school_device
        self.env["ir.rule"].create(
            {
                "name": "Devices under legal hold are not changed",
                "model_id": self.env["ir.model"]._get_id("maintenance.equipment"),
                "domain_force": f"[('id', '!=', {device.id})]",
                "perm_read": False,
                "perm_create": False,
                "perm_unlink": False,
            }
        )
        wizard = (
            self.env["it.activity.code.change"]
            .with_user(self.it_manager)
            .create(
                {
                    "equipment_ids": [Command.set(device.ids)],
                    "activity_code_id": self.code_care_2027.id,
                    "effective_date": date(2026, 7, 1),
                }
            )
        )
        error = self.assertRefusedUnwritten(
            wizard.action_apply, self._remap_watch(), AccessError
        )
        self.assertIn("'write' access", str(error))
        self.assertEqual(self._codes(device), [("3200", False, False)])

    def test_future_code_of_a_device(self):
        """A code written for a later day goes to the history under sudo: it
        is checked as a code written today would be (the device's company
        and plan), and only on devices the user may write."""
        device = self.school_device
        future = {"activity_code_effective_date": date(2030, 9, 1)}
        other_plan = self.env["account.analytic.plan"].create({"name": "Projekt"})
        project = self.env["account.analytic.account"].create(
            {"name": "Projekt X", "plan_id": other_plan.id}
        )
        for code in (self.code_b, project):
            with self.subTest(code=code.name):
                self.assertRefusedUnwritten(
                    lambda code=code: (
                        device.with_user(self.it_user)
                        .with_context(**future)
                        .write({"activity_code_id": code.id})
                    ),
                    self._remap_watch(),
                )
        self.assertEveryoneRefused(
            lambda user: (
                device.with_user(user)
                .with_context(**future)
                .write({"activity_code_id": self.code_care.id})
            ),
            self._remap_watch(),
        )
        device.with_user(self.it_user).with_context(**future).write(
            {"activity_code_id": self.code_care.id}
        )
        self.assertEqual(self._codes(device)[-1], ("4100", date(2030, 9, 1), False))
        self.assertEqual(device.activity_code_id, self.code_school)

    # A request context's defaults

    def test_step_drops_system_defaults(self):
        """An extension decided with ``default_state``, ``default_end_decision``
        and the other system fields in the request's context: the annex and
        its lines take none of them."""
        line = self.school_device.lease_line_id
        wizard = (
            self.env["it.lease.end.decision"]
            .with_user(self.it_manager)
            .create(
                {
                    "company_id": self.company_a.id,
                    "decision": "extend",
                    "line_ids": [
                        Command.create(
                            {"lease_line_id": line.id, "new_monthly_rent": 111.0}
                        )
                    ],
                    "extension_date_from": date(2028, 1, 1),
                    "extension_date_end": date(2028, 12, 31),
                }
            )
        )
        wizard.with_context(
            default_state="ended",
            default_end_decision="buy_out",
            default_decision_date="2020-01-01",
            default_date_returned="2028-02-01",
            default_continued_by_id=line.id,
            default_date_end="2099-12-31",
        ).action_apply()
        new_line = line.extension_line_id
        self.assertEqual(
            (
                new_line.schedule_id.state,
                new_line.schedule_id.date_end,
                new_line.end_decision,
                new_line.decision_date,
                new_line.date_returned,
                new_line.continued_by_id,
                new_line.monthly_rent,
            ),
            ("active", date(2028, 12, 31), False, False, False, line.browse(), 111.0),
        )


@tagged("post_install", "-at_install")
class TestReconciliationImportSudoSteps(SudoStepsMixin, ItRemapCommon):
    """municipal_it_lease: the reconciliation's state buttons and reopening,
    the background device import's queue and reset."""

    _prefix = "sudo_recon"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.company
        cls._setup_attackers(cls.company_a, f"{IT_MANAGER},{BILLING},{ACCOUNTANT}")
        cls.reconciliation = cls.env["it.lease.reconciliation"].create(
            {
                "lessor_id": cls.lessor.id,
                "company_id": cls.company_a.id,
                "date_from": date(2026, 3, 1),
                "check_note": "No vendor bill yet",
            }
        )
        cls.device_import = (
            cls.env["it.device.import"]
            .with_user(cls.it_user)
            .create(
                {
                    "file": base64.b64encode(
                        b"name,serial_no,device_category,activity_code_id,"
                        b"lifecycle_state\nLaptop 1,SUDO-IMP-1,laptop,3200,in_use\n"
                    ),
                    "filename": "devices.csv",
                }
            )
        )

    def _watch(self):
        return [
            ("it.lease.reconciliation", [], ["state"]),
            ("it.device.import", [], ["state", "date_queued", "row_count"]),
        ]

    def test_reconciliation_states(self):
        rec = self.reconciliation
        buttons = ("action_check", "action_dispute", "action_accept")
        self.assertStepsRefused(rec, buttons, self._watch())
        # The IT user does not check the lessor's invoices.
        self.assertStepsRefused(rec, buttons, self._watch(), self.it_user)
        # From draft: no dispute, no acceptance.
        self.assertStepsRefused(
            rec,
            ("action_dispute", "action_accept", "action_reset_draft"),
            self._watch(),
            self.it_manager,
            UserError,
        )
        rec.with_user(self.it_manager).action_check()
        rec.with_user(self.it_manager).action_accept()
        self.assertEqual(rec.state, "accepted")

        def reopen(user):
            self.env["it.lease.reconciliation.reopen"].with_user(user).create(
                {"reconciliation_id": rec.id, "reason": "Fel belopp"}
            ).action_reopen()

        self.assertEveryoneRefused(reopen, self._watch())
        self.env.invalidate_all()
        # Billing accepts but does not reopen.
        billing = new_test_user(
            self.env, login="sudo_recon_billing", groups=f"base.group_user,{BILLING}"
        )
        self.assertRefusedUnwritten(lambda: reopen(billing), self._watch())
        reopen(self.it_manager)
        self.assertEqual(rec.state, "checked")
        # Reopened once: it is no longer accepted.
        self.assertRefusedUnwritten(
            lambda: reopen(self.it_manager), self._watch(), UserError
        )

    def test_device_import_queue(self):
        record = self.device_import
        self.assertStepsRefused(record, "action_queue", self._watch())
        # Reset only a failed import.
        self.assertStepsRefused(
            record, "action_reset_draft", self._watch(), self.it_user, UserError
        )
        record.with_user(self.it_user).action_queue()
        self.assertEqual(record.state, "queued")
        self.assertStepsRefused(
            record, "action_queue", self._watch(), self.it_user, UserError
        )
        record.sudo().state = "failed"
        self.assertStepsRefused(record, "action_reset_draft", self._watch())
