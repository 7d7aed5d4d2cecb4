# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The app's steps that write with sudo() keep the user's rights: a user of
another company, an internal user without the addon's group and a portal user
are refused before anything is written, and so is a step in a state that
forbids it. A request context's ``default_<system field>`` reaches no record
a step creates."""

import base64
import contextlib
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common_remap import ItRemapCommon

IT_MANAGER = "municipal_it_lease.municipal_it_lease_group_manager"
IT_USER = "municipal_it_lease.municipal_it_lease_group_user"
BILLING = "account.group_account_invoice"
ACCOUNTANT = "account.group_account_manager"


class _Undo(Exception):
    """Roll back the savepoint of a refused call once it was inspected."""


class SudoStepsMixin:
    """Call a step as a user and check it is refused with nothing written,
    read before the refusal is rolled back (a refusal raised after a sudo()
    write would otherwise go unseen)."""

    @classmethod
    def _attackers(cls, company_a, company_b, other_groups):
        """{role: user}: a user of ``company_b`` with ``other_groups``, an
        internal user of ``company_a`` without the addons' groups, and a
        portal user of ``company_a``."""

        def user(login, groups, company):
            return new_test_user(
                cls.env,
                login=login,
                groups=groups,
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )

        return {
            "other_company": user(f"{cls._prefix}_other", other_groups, company_b),
            "internal": user(f"{cls._prefix}_internal", "base.group_user", company_a),
            "portal": user(f"{cls._prefix}_portal", "base.group_portal", company_a),
        }

    def _snapshot(self, watched):
        """What ``watched`` ([(model, domain, fields)]) reads in the database."""
        self.env.flush_all()
        self.env.invalidate_all()
        return [
            self.env[model]
            .sudo()
            .with_context(active_test=False)
            .search_read(domain, fnames, order="id")
            for model, domain, fnames in watched
        ]

    def assertRefusedUnwritten(self, call, watched, exception=(AccessError, UserError)):
        """``call()`` raises ``exception`` and ``watched`` reads the same in
        the database right after, before the refusal is rolled back."""
        before = self._snapshot(watched)
        outcome = {}
        with contextlib.suppress(_Undo), self.env.cr.savepoint():
            try:
                call()
            except exception as error:
                outcome["error"] = error
            outcome["after"] = self._snapshot(watched)
            raise _Undo()
        self.env.invalidate_all()
        self.assertIn("error", outcome, "the step was not refused")
        self.assertEqual(outcome["after"], before, "the refused step wrote")
        return outcome["error"]

    def assertEveryoneRefused(self, call, watched, roles=None):
        """``call(user)`` is refused for each attacker (or ``roles``)."""
        for role, user in self.attackers.items():
            if roles and role not in roles:
                continue
            with self.subTest(role=role):
                self.assertRefusedUnwritten(lambda user=user: call(user), watched)


@tagged("post_install", "-at_install")
class TestLeaseSudoSteps(SudoStepsMixin, ItRemapCommon):
    """municipal_it_lease: schedules, charge runs and their reversal, plan
    changes, end-of-lease decisions, rent changes, code changes."""

    _prefix = "sudo_lease"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.company
        cls.company_b = cls.env["res.company"].create(
            {"name": "Grannkommunen", "currency_id": cls.company_a.currency_id.id}
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
        cls.attackers = cls._attackers(
            cls.company_a,
            cls.company_b,
            f"{IT_MANAGER},{BILLING},{ACCOUNTANT}",
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
            with self.subTest(method=method):
                self.assertEveryoneRefused(
                    lambda user, m=method, s=allowed: getattr(s.with_user(user), m)(),
                    self._schedules(),
                )
                self.assertRefusedUnwritten(
                    lambda m=method, s=forbidden: getattr(
                        s.with_user(self.it_manager), m
                    )(),
                    self._schedules(),
                    UserError,
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
        self.assertEveryoneRefused(
            lambda user: run.with_user(user).action_post(), self._charge_watch()
        )
        # The IT manager reads runs but does not post them.
        self.assertRefusedUnwritten(
            lambda: run.with_user(self.it_manager).action_post(), self._charge_watch()
        )
        run.with_user(self.billing).action_post()
        self.assertEqual(run.state, "posted")
        self.assertRefusedUnwritten(
            lambda: run.with_user(self.billing).action_post(),
            self._charge_watch(),
            UserError,
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
        self.assertRefusedUnwritten(
            lambda: run.with_user(self.billing).action_reverse(),
            self._charge_watch(),
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
        for method in ("action_apply", "action_import_file", "action_undo"):
            with self.subTest(method=method):
                self.assertEveryoneRefused(
                    lambda user, m=method: getattr(remap.with_user(user), m)(),
                    self._remap_watch(),
                )
        # Undone only once applied; imported into only while a draft.
        self.assertRefusedUnwritten(
            lambda: remap.with_user(self.it_manager).action_undo(),
            self._remap_watch(),
            UserError,
        )
        remap.with_user(self.it_manager).action_apply()
        self.assertEqual(remap.state, "applied")
        self.assertRefusedUnwritten(
            lambda: remap.with_user(self.it_manager).action_import_file(),
            self._remap_watch(),
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
        cls.company_b = cls.env["res.company"].create({"name": "Grannkommunen"})
        cls.attackers = cls._attackers(
            cls.company_a, cls.company_b, f"{IT_MANAGER},{BILLING},{ACCOUNTANT}"
        )
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
        for method in ("action_check", "action_dispute", "action_accept"):
            with self.subTest(method=method):
                self.assertEveryoneRefused(
                    lambda user, m=method: getattr(rec.with_user(user), m)(),
                    self._watch(),
                )
                # The IT user does not check the lessor's invoices.
                self.assertRefusedUnwritten(
                    lambda m=method: getattr(rec.with_user(self.it_user), m)(),
                    self._watch(),
                )
        # From draft: no dispute, no acceptance.
        for method in ("action_dispute", "action_accept", "action_reset_draft"):
            with self.subTest(method=method):
                self.assertRefusedUnwritten(
                    lambda m=method: getattr(rec.with_user(self.it_manager), m)(),
                    self._watch(),
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
        self.assertEveryoneRefused(
            lambda user: record.with_user(user).action_queue(), self._watch()
        )
        # Reset only a failed import.
        self.assertRefusedUnwritten(
            lambda: record.with_user(self.it_user).action_reset_draft(),
            self._watch(),
            UserError,
        )
        record.with_user(self.it_user).action_queue()
        self.assertEqual(record.state, "queued")
        self.assertRefusedUnwritten(
            lambda: record.with_user(self.it_user).action_queue(),
            self._watch(),
            UserError,
        )
        record.sudo().state = "failed"
        self.assertEveryoneRefused(
            lambda user: record.with_user(user).action_reset_draft(), self._watch()
        )
