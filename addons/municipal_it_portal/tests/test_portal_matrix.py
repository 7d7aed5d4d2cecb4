# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
from datetime import date

from odoo.tests import tagged
from odoo.tools import SQL

from .common import ItPortalCommon

_logger = logging.getLogger(__name__)

OPERATIONS = ("read", "write", "create", "unlink")
# The models a lessor's portal user reads, each with the path to the lessor
# (or recipient) partner its record rule compares with the user's company
# partner. Nothing else of any addon is readable, and nothing at all is
# writable, creatable or deletable by a portal user.
PORTAL_READ = {
    "it.lease.agreement": "lessor_id",
    "it.lease.schedule": "lessor_id",
    "it.lease.line": "lessor_id",
    "maintenance.equipment": "lessor_id",
    "it.lease.reconciliation": "lessor_id",
    "it.lease.reconciliation.line": "reconciliation_id.lessor_id",
    "it.disposal.batch": "recipient_id",
    "it.disposal.batch.line": "batch_id.recipient_id",
}
# Models of other addons the municipality's records live in, readable by
# portal users through the access rights of the addon that defines them
# (OCA gives portal users read access to every tier review and definition):
# record rules must leave a portal user nothing of them.
NONE_FOR_PORTAL = ("tier.review",)


@tagged("post_install", "-at_install")
class TestPortalMatrix(ItPortalCommon):
    """The portal column of the access matrix over every model the installed
    Municipal IT addons define (and the tier reviews their purchases
    create): per portal user (lessor L1 in each municipality, lessor L2),
    model and operation, the access rights; for what a portal user may read,
    every record of the database against the record's lessor and company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A reconciliation of each lessor, so that lines exist to read.
        Reconciliation = cls.env["it.lease.reconciliation"]
        Reconciliation._import_specification(
            cls.lessor,
            date(2026, 3, 1),
            b"Schedule;Serial;Period;Amount\nS-1;SN-A;2026-03;500\n",
        )
        Reconciliation._import_specification(
            cls.lessor_2,
            date(2026, 3, 1),
            b"Schedule;Serial;Period;Amount\nT-1;SN-Z;2026-03;100\nT-1;SN-A;2026-03;1\n",
        )
        Reconciliation.with_company(cls.company_b)._import_specification(
            cls.lessor,
            date(2026, 3, 1),
            b"Schedule;Serial;Period;Amount\nN-1;SN-N;2026-03;300\n",
        )
        if "tier.review" in cls.env:
            # The finding: reviews of purchase orders in each municipality.
            # Written by SQL: only OCA's own steps create a review, on an
            # order of an addon this one does not depend on.
            for company in (cls.company, cls.company_b):
                cls.env.cr.execute(
                    SQL(
                        "INSERT INTO tier_review (model, res_id, status, company_id)"
                        " VALUES ('purchase.order', 1, 'pending', %s)",
                        company.id,
                    )
                )

    def _addon_models(self):
        """Every model with a table that an installed Municipal IT addon
        defines, and the models of NONE_FOR_PORTAL that are installed."""
        modules = (
            self.env["ir.module.module"]
            .search([("name", "=like", "municipal_it_%"), ("state", "=", "installed")])
            .mapped("name")
        )
        names = set()
        for name in self.env["ir.model"].search([]).mapped("model"):
            Model = self.env.registry.get(name)
            if Model is None or Model._abstract or not Model._auto:
                continue
            if Model._original_module in modules:
                names.add(name)
        names.update(name for name in NONE_FOR_PORTAL if name in self.env)
        return sorted(names)

    def _lessor_of(self, record, path):
        for name in path.split("."):
            record = record[name]
        return record.commercial_partner_id

    def test_portal_matrix(self):
        models = self._addon_models()
        self.assertIn("it.lease.reconciliation.line", models)
        users = (self.portal, self.portal_2, self.portal_b)
        cases, leaks, restrictions, records_checked = 0, [], [], 0
        for model in models:
            path = PORTAL_READ.get(model)
            records = self.env[model].sudo().with_context(active_test=False).search([])
            for user in users:
                Model = self.env[model].with_user(user)
                for operation in OPERATIONS:
                    cases += 1
                    allowed = Model.has_access(operation)
                    should = operation == "read" and (
                        path is not None or model in NONE_FOR_PORTAL
                    )
                    if allowed and not should:
                        leaks.append((model, user.login, operation, "access rights"))
                    elif should and not allowed and path:
                        restrictions.append((model, user.login, operation))
                if not Model.has_access("read"):
                    continue
                # Readable: the record rules decide, record by record.
                domain = self.env["ir.rule"].with_user(user)._compute_domain(model)
                if not domain:
                    leaks.append((model, user.login, "read", "no record rule"))
                lessor = user.commercial_partner_id
                readable = records.with_user(user)._filtered_access("read")
                for record in records:
                    records_checked += 1
                    own = bool(path) and (
                        self._lessor_of(record.sudo(), path) == lessor
                        and record.sudo().company_id in user.company_ids
                    )
                    does = record in readable
                    if does and not own:
                        leaks.append((model, user.login, "read", record.id))
                    elif own and not does and model != "it.lease.schedule":
                        restrictions.append((model, user.login, "read", record.id))
        _logger.info(
            "access matrix: %s cases (portal: %s models x %s users x %s operations, "
            "%s records checked), %s leaks, %s over-restrictions",
            cases,
            len(models),
            len(users),
            len(OPERATIONS),
            records_checked,
            len(leaks),
            len(restrictions),
        )
        self.assertFalse(leaks, "leaks:\n" + "\n".join(map(str, leaks)))
        self.assertFalse(
            restrictions, "over-restrictions:\n" + "\n".join(map(str, restrictions))
        )
