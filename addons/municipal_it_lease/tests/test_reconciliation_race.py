# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import threading
from contextlib import closing
from datetime import date

import psycopg2

from odoo import SUPERUSER_ID, api, sql_db
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name
from odoo.tools import mute_logger

MONTH = date(2031, 5, 1)


@tagged("post_install", "-at_install")
class TestReconciliationRace(BaseCase):
    """Two imports of one lessor's month at the same moment (two clerks, a
    clerk and the lessor's portal, two e-invoices of the month): each finds
    no reconciliation yet and creates one. The database keeps one; the
    second transaction fails and Odoo runs the request again, which then
    finds the first (refused, or replaced when asked).

    The lessor must be committed for a second connection to see it, so this
    test commits through its own connections and deletes what it made."""

    def setUp(self):
        super().setUp()
        self.db = sql_db.db_connect(get_db_name())
        with closing(self.db.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.company_id = env.ref("base.main_company").id
            self.lessor_id = env["res.partner"].create({"name": "Race Lessor R"}).id
            cr.commit()  # pylint: disable=invalid-commit
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with closing(self.db.cursor()) as cr:
            cr.execute(
                "DELETE FROM it_lease_reconciliation WHERE lessor_id = %s",
                [self.lessor_id],
            )
            cr.execute("DELETE FROM res_partner WHERE id = %s", [self.lessor_id])
            cr.commit()  # pylint: disable=invalid-commit

    def _create(self, env):
        """What the import does once it found no reconciliation of the month."""
        env["it.lease.reconciliation"].create(
            {
                "lessor_id": self.lessor_id,
                "company_id": self.company_id,
                "date_from": MONTH,
                "filename": "spec.csv",
            }
        )
        env.flush_all()

    def _count(self):
        with closing(self.db.cursor()) as cr:
            cr.execute(
                "SELECT COUNT(*) FROM it_lease_reconciliation WHERE lessor_id = %s",
                [self.lessor_id],
            )
            return cr.fetchone()[0]

    def test_two_imports_of_one_month_keep_one_reconciliation(self):
        with closing(self.db.cursor()) as cr_a, closing(self.db.cursor()) as cr_b:
            self._create(api.Environment(cr_a, SUPERUSER_ID, {}))
            # Made here: the test runner holds the registry's lock, which
            # making an environment in the thread would wait for.
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            outcome = []

            def second():
                try:
                    with mute_logger("odoo.sql_db"):
                        self._create(env_b)
                    outcome.append(None)
                except psycopg2.Error as error:
                    outcome.append(error)

            thread = threading.Thread(target=second)
            thread.start()
            self.addCleanup(thread.join, 60)
            # B waits for A's row: it cannot decide before A ends.
            thread.join(1.0)
            self.assertTrue(thread.is_alive(), "the second import did not wait")
            cr_a.commit()
            thread.join(60)
            self.assertFalse(thread.is_alive())
            self.assertIsInstance(outcome[0], psycopg2.errors.UniqueViolation)
            cr_b.rollback()
        self.assertEqual(self._count(), 1)
