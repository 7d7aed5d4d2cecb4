# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPortalReadonlyRoutes(TransactionCase):
    """The lessor's list pages read only: Odoo runs them on the read replica
    (``db_replica_host``) when one is configured; what writes never does."""

    def _routes(self):
        routing = {}
        for rule in self.env["ir.http"].routing_map().iter_rules():
            if rule.rule.startswith("/my/leasing"):
                routing[rule.rule] = rule.endpoint.routing
        return routing

    def test_list_pages_are_read_only(self):
        routes = self._routes()
        for path in (
            "/my/leasing/agreements",
            "/my/leasing/schedules",
            "/my/leasing/devices",
            "/my/leasing/devices/<int:device_id>",
            "/my/leasing/reconciliations",
        ):
            self.assertIs(routes[path]["readonly"], True, path)

    def test_what_writes_is_not_read_only(self):
        routes = self._routes()
        for path in (
            "/my/leasing/reconciliations/upload",
            "/my/leasing/reconciliations/<int:reconciliation_id>/answer",
        ):
            self.assertFalse(routes[path]["readonly"], path)
