# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import logging
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import ItLeaseCommon

_logger = logging.getLogger(__name__)

IT_USER = "municipal_it_lease.municipal_it_lease_group_user"
IT_MANAGER = "municipal_it_lease.municipal_it_lease_group_manager"
BILLING = "account.group_account_invoice"
ACCOUNTANT = "account.group_account_manager"

ROLES = ("it_user", "it_manager", "billing", "accountant", "other_company")
OPERATIONS = ("read", "write", "create", "unlink")
LETTER = {"read": "r", "write": "w", "create": "c", "unlink": "u"}
WIZARDS = {
    "it.activity.code.change",
    "it.lease.end.decision",
    "it.lease.end.decision.line",
    "it.lease.reconciliation.import",
    "it.lease.reconciliation.reopen",
    "it.lease.rent.change",
}

# What each role may do on a record of its OWN company: r(ead), w(rite),
# c(reate), u(nlink), in the order of ROLES. "other_company" is an IT manager
# and billing user of municipality B; its own records are B's. On a record of
# the OTHER company every role may do nothing, which the test checks apart.
# Wizards: the record belongs to another user (its creator): nobody else
# reads or uses it.
EXPECTED = {
    #                                 it_user it_mgr billing accountant other
    # Finance reads the devices it charges and reconciles.
    "maintenance.equipment": ("rwcu", "rwcu", "r", "r", "rwcu"),
    # Activity codes, and an account of finance's other plan. Odoo gives
    # analytic write access to the accounting user group (full accounting
    # features), not to the billing groups.
    "account.analytic.account": ("r", "rwc", "r", "r", "rwc"),
    "account.analytic.account/other plan": ("r", "r", "r", "r", "r"),
    "it.asset.site": ("rwc", "rwcu", "", "", "rwcu"),
    "it.asset.software": ("rwc", "rwcu", "", "", "rwcu"),
    "it.lease.agreement": ("r", "rwcu", "", "", "rwcu"),
    "it.lease.schedule": ("r", "rwcu", "", "", "rwcu"),
    "it.lease.line": ("r", "rwcu", "", "", "rwcu"),
    "it.activity.code.assignment": ("r", "rwcu", "", "", "rwcu"),
    "it.charge.run": ("", "r", "rwcu", "rwcu", "rwcu"),
    "it.charge.line": ("", "r", "r", "r", "r"),
    "it.charge.summary": ("", "r", "r", "r", "r"),
    "it.activity.code.remap": ("", "rwcu", "", "", "rwcu"),
    "it.activity.code.remap.line": ("", "rwcu", "", "", "rwcu"),
    "it.lease.warning": ("r", "rwcu", "", "", "rwcu"),
    "it.lease.reconciliation": ("", "rwcu", "rwcu", "rwcu", "rwcu"),
    "it.lease.reconciliation.line": ("", "rwcu", "rwcu", "rwcu", "rwcu"),
    # The clerk who keeps the register imports it; finance does not.
    "it.device.import": ("rwc", "rwcu", "", "", "rwcu"),
    "it.activity.code.change": ("", "", "", "", ""),
    "it.lease.end.decision": ("", "", "", "", ""),
    "it.lease.end.decision.line": ("", "", "", "", ""),
    "it.lease.reconciliation.import": ("", "", "", "", ""),
    "it.lease.reconciliation.reopen": ("", "", "", "", ""),
    "it.lease.rent.change": ("", "", "", "", ""),
}


# Who may run each action method (over JSON-RPC as well as by the button)
# on a record of their own company; on the other company's record nobody.
ACTIONS = [
    ("it.charge.run", "action_compute", {"billing", "accountant", "other_company"}),
    ("it.charge.run", "action_post", {"billing", "accountant", "other_company"}),
    ("it.charge.run", "action_reverse", {"accountant"}),
    ("it.activity.code.remap", "action_apply", {"it_manager", "other_company"}),
    ("it.activity.code.remap", "action_undo", {"it_manager", "other_company"}),
    ("it.activity.code.remap", "action_import_file", {"it_manager", "other_company"}),
    ("it.lease.schedule", "action_end", {"it_manager", "other_company"}),
    ("it.lease.schedule", "action_decide", {"it_manager", "other_company"}),
    ("it.device.import", "action_queue", {"it_user", "it_manager", "other_company"}),
    (
        "it.lease.reconciliation",
        "action_check",
        {"it_manager", "billing", "accountant", "other_company"},
    ),
    (
        "it.lease.reconciliation",
        "action_accept",
        {"it_manager", "billing", "accountant", "other_company"},
    ),
]


class _Rollback(Exception):
    """Undo an action that ran, to try the next one on the same records."""


@tagged("post_install", "-at_install")
class TestAccessMatrix(ItLeaseCommon):
    """Every role × model × operation × own/other company, against the
    access rights and record rules in the database, compared with the
    expected table above: any difference is a leak or an over-restriction."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.company
        cls.company_b = cls.env["res.company"].create(
            {"name": "Grannkommunen", "currency_id": cls.company_a.currency_id.id}
        )
        cls.company_b.it_activity_code_plan_id = cls.plan
        cls.finance_plan = cls.env["account.analytic.plan"].create({"name": "Projekt"})
        cls.records = {
            cls.company_a: cls._build_company(cls.company_a, "A"),
            cls.company_b: cls._build_company(cls.company_b, "B"),
        }

        def user(login, groups, company):
            return new_test_user(
                cls.env,
                login=login,
                groups=",".join(groups),
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )

        cls.roles = {
            "it_user": (user("mx_it_user", [IT_USER], cls.company_a), cls.company_a),
            "it_manager": (
                user("mx_it_manager", [IT_MANAGER], cls.company_a),
                cls.company_a,
            ),
            "billing": (
                user("mx_billing", ["base.group_user", BILLING], cls.company_a),
                cls.company_a,
            ),
            "accountant": (
                user("mx_accountant", ["base.group_user", ACCOUNTANT], cls.company_a),
                cls.company_a,
            ),
            "other_company": (
                user("mx_other", [IT_MANAGER, BILLING], cls.company_b),
                cls.company_b,
            ),
        }

    @classmethod
    def _build_company(cls, company, tag):
        """One record of every model of the addon in ``company``."""
        env = cls.env(context=dict(cls.env.context, allowed_company_ids=company.ids))
        code = env["account.analytic.account"].create(
            {
                "name": f"Skola {tag}",
                "code": f"32{tag}",
                "plan_id": cls.plan.id,
                "company_id": company.id,
            }
        )
        project = env["account.analytic.account"].create(
            {
                "name": f"Projekt {tag}",
                "plan_id": cls.finance_plan.id,
                "company_id": company.id,
            }
        )
        site = env["it.asset.site"].create({"name": f"Skolan {tag}"})
        software = env["it.asset.software"].create({"name": "Office", "version": tag})
        device = env["maintenance.equipment"].create(
            {
                "name": f"Laptop {tag}",
                "serial_no": f"MX-{tag}-1",
                "activity_code_id": code.id,
                "lifecycle_state": "in_use",
                "site_id": site.id,
                "software_ids": [Command.set(software.ids)],
            }
        )
        agreement = env["it.lease.agreement"].create(
            {"name": f"MA-{tag}", "lessor_id": cls.lessor.id}
        )
        schedule = env["it.lease.schedule"].create(
            {
                "name": f"S-{tag}",
                "agreement_id": agreement.id,
                "date_start": date(2026, 1, 1),
                "term_months": 36,
                "line_ids": [
                    Command.create({"equipment_id": device.id, "monthly_rent": 400.0})
                ],
            }
        )
        schedule.action_activate()
        run = env["it.charge.run"].create({"date_from": date(2026, 3, 1)})
        run.action_compute()
        remap = env["it.activity.code.remap"].create(
            {
                "effective_date": date(2027, 1, 1),
                "line_ids": [
                    Command.create({"sequence": 2, "old_code": "1", "new_code": "2"})
                ],
            }
        )
        warning = env["it.lease.warning"].create(
            {"schedule_id": schedule.id, "lead_days": 90, "date": date(2028, 9, 1)}
        )
        reconciliation = (
            env["it.lease.reconciliation"]
            .with_company(company)
            ._import_specification(
                cls.lessor,
                date(2026, 3, 1),
                f"Schedule;Serial;Period;Amount\nS-{tag};MX-{tag}-1;2026-03;400\n".encode(),
            )
        )
        decision = env["it.lease.end.decision"].create(
            {
                "schedule_id": schedule.id,
                "line_ids": [Command.create({"lease_line_id": schedule.line_ids.id})],
            }
        )
        records = {
            "maintenance.equipment": device,
            "account.analytic.account": code,
            "account.analytic.account/other plan": project,
            "it.asset.site": site,
            "it.asset.software": software,
            "it.lease.agreement": agreement,
            "it.lease.schedule": schedule,
            "it.lease.line": schedule.line_ids,
            "it.activity.code.assignment": device.activity_code_history_ids,
            "it.charge.run": run,
            "it.charge.line": run.line_ids,
            "it.charge.summary": run.summary_ids,
            "it.activity.code.remap": remap,
            "it.activity.code.remap.line": remap.line_ids,
            "it.lease.warning": warning,
            "it.lease.reconciliation": reconciliation,
            "it.lease.reconciliation.line": reconciliation.line_ids[:1],
            "it.device.import": env["it.device.import"].create(
                {
                    "file": base64.b64encode(
                        f"name,serial_no\nLaptop,MX-{tag}-IMP\n".encode()
                    ),
                    "filename": "devices.csv",
                }
            ),
            "it.activity.code.change": env["it.activity.code.change"].create(
                {
                    "equipment_ids": [Command.set(device.ids)],
                    "activity_code_id": code.id,
                }
            ),
            "it.lease.end.decision": decision,
            "it.lease.end.decision.line": decision.line_ids,
            "it.lease.reconciliation.import": env[
                "it.lease.reconciliation.import"
            ].create({"lessor_id": cls.lessor.id, "file": b"U2NoZWR1bGU="}),
            "it.lease.reconciliation.reopen": env[
                "it.lease.reconciliation.reopen"
            ].create({"reconciliation_id": reconciliation.id, "reason": "Check"}),
            "it.lease.rent.change": env["it.lease.rent.change"].create(
                {
                    "lease_line_id": schedule.line_ids.id,
                    "date_from": date(2027, 1, 1),
                    "monthly_rent": 1.0,
                }
            ),
        }
        for key, record in records.items():
            assert len(record) == 1, f"fixture {key} of company {tag}: {record}"
        return records

    def _access_outcome(self, user, record, operation):
        """Whether ``user`` may do ``operation`` on ``record``: access rights
        and record rules as the ORM applies them, and, for reading, the read
        itself."""
        record = record.with_user(user).with_context(
            allowed_company_ids=user.company_ids.ids
        )
        allowed = record.has_access(operation)
        if operation == "read":
            try:
                record.read(["display_name"])
                really = True
            except AccessError:
                really = False
            self.assertEqual(allowed, really, f"{record} read by {user.login}")
        return allowed

    def test_table_covers_every_model_of_the_addon(self):
        model_ids = (
            self.env["ir.model.data"]
            .search([("module", "=", "municipal_it_lease"), ("model", "=", "ir.model")])
            .mapped("res_id")
        )
        models = {
            model.model
            for model in self.env["ir.model"].browse(model_ids)
            # Models this addon defines, not the ones it only extends.
            if not self.env[model.model]._abstract
            and self.env[model.model]._original_module == "municipal_it_lease"
        }
        self.assertIn("it.lease.reconciliation.import", models)
        self.assertEqual(models - set(EXPECTED), set(), "models missing in EXPECTED")

    def test_access_matrix(self):
        cases, leaks, restrictions = 0, [], []
        for model, expected_by_role in EXPECTED.items():
            for role, expected in zip(ROLES, expected_by_role, strict=True):
                user, own_company = self.roles[role]
                for company, records in self.records.items():
                    own = company == own_company
                    record = records[model]
                    for operation in OPERATIONS:
                        cases += 1
                        should = own and LETTER[operation] in expected
                        does = self._access_outcome(user, record, operation)
                        if does and not should:
                            leaks.append((model, role, operation, company.name))
                        elif should and not does:
                            restrictions.append((model, role, operation, company.name))
        _logger.info(
            "access matrix: %s cases (%s models x %s roles x %s operations x 2 "
            "companies), %s leaks, %s over-restrictions",
            cases,
            len(EXPECTED),
            len(ROLES),
            len(OPERATIONS),
            len(leaks),
            len(restrictions),
        )
        self.assertFalse(leaks, "leaks:\n" + "\n".join(map(str, leaks)))
        self.assertFalse(
            restrictions, "over-restrictions:\n" + "\n".join(map(str, restrictions))
        )

    def _action_outcome(self, user, record, method):
        """True when the action ran (or refused for a business reason, a
        UserError), False when it was refused for want of rights."""
        record = record.with_user(user).with_context(
            allowed_company_ids=user.company_ids.ids
        )
        try:
            with self.env.cr.savepoint():
                getattr(record, method)()
                raise _Rollback
        except _Rollback:
            return True
        except AccessError:
            return False
        except (UserError, ValidationError):
            return True
        finally:
            self.env.invalidate_all()

    def test_action_matrix(self):
        cases, wrong = 0, []
        for model, method, allowed in ACTIONS:
            for role in ROLES:
                user, own_company = self.roles[role]
                for company, records in self.records.items():
                    cases += 1
                    should = company == own_company and role in allowed
                    does = self._action_outcome(user, records[model], method)
                    if does != should:
                        wrong.append((model, method, role, company.name, does))
        _logger.info(
            "action matrix: %s cases, %s run without the right, %s refused "
            "with the right",
            cases,
            sum(1 for case in wrong if case[-1]),
            sum(1 for case in wrong if not case[-1]),
        )
        self.assertFalse(wrong, "\n".join(map(str, wrong)))

    def test_wizard_visible_to_its_creator_only(self):
        user, _company = self.roles["it_manager"]
        colleague = new_test_user(self.env, login="mx_colleague", groups=IT_MANAGER)
        device = self.records[self.company_a]["maintenance.equipment"]
        wizard = (
            self.env["it.activity.code.change"]
            .with_user(user)
            .create(
                {
                    "equipment_ids": [Command.set(device.ids)],
                    "activity_code_id": device.activity_code_id.id,
                }
            )
        )
        self.assertEqual(wizard.device_count, 1)
        with self.assertRaises(AccessError):
            wizard.with_user(colleague).read(["device_count"])
        with self.assertRaises(AccessError):
            wizard.with_user(colleague).action_apply()

    def test_it_manager_edits_activity_codes_only(self):
        user, _company = self.roles["it_manager"]
        records = self.records[self.company_a]
        code = records["account.analytic.account"].with_user(user)
        code.name = "Grundskola, ny"
        project = records["account.analytic.account/other plan"].with_user(user)
        with self.assertRaises(AccessError):
            project.name = "Changed by IT"
        with self.assertRaises(AccessError):
            self.env["account.analytic.account"].with_user(user).create(
                {"name": "Nytt projekt", "plan_id": self.finance_plan.id}
            )
        # An IT manager who is also an accountant keeps every plan.
        user.groups_id = [Command.link(self.env.ref("account.group_account_user").id)]
        project.name = "Changed by an accountant"
        self.assertEqual(project.name, "Changed by an accountant")

    def test_settings_refuse_another_companys_journal(self):
        journal_b = self.env["account.journal"].create(
            {
                "name": "IT-leasing B",
                "code": "ITLB",
                "type": "general",
                "company_id": self.company_b.id,
            }
        )
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            self.company_a.it_charge_journal_id = journal_b

    def test_billing_imports_a_specification(self):
        user, company = self.roles["billing"]
        schedule = self.records[company]["it.lease.schedule"]
        content = b"Schedule;Serial;Period;Amount\nS-A;MX-A-1;2026-04;400\n"
        wizard = (
            self.env["it.lease.reconciliation.import"]
            .with_user(user)
            .create(
                {
                    "lessor_id": schedule.lessor_id.id,
                    "date_from": date(2026, 4, 1),
                    "file": base64.b64encode(content),
                }
            )
        )
        action = wizard.action_import()
        reconciliation = self.env["it.lease.reconciliation"].browse(action["res_id"])
        self.assertEqual(reconciliation.company_id, company)
        # 400.00 invoiced against a rent of 400.00 for the whole of April.
        self.assertEqual(reconciliation.line_ids.mapped("status"), ["matched"])
