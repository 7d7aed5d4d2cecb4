# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import tagged

from .common import ItLeaseCommon


@tagged("post_install", "-at_install")
class TestSearchIndexes(ItLeaseCommon):
    """The search box finds a device by part of its name or serial number
    through a trigram index, not by reading every device: the query the
    ORM builds for each of those searches can be answered by its index."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.device = cls._create_device("TRGM-4711-XY", name="Elevdator Trgm")
        cls._create_device("OTHER-0001-AB", name="Skrivare")

    def _plan(self, domain):
        """The plan of the device search ``domain``, the table scan
        forbidden: what PostgreSQL can do with the indexes alone."""
        Equipment = self.env["maintenance.equipment"]
        query = Equipment._search(domain)
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        try:
            self.env.cr.execute(query.select())
            found = [row[0] for row in self.env.cr.fetchall()]
            self.env.cr.execute(f"EXPLAIN {query.select().code}", query.select().params)
            plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        finally:
            self.env.cr.execute("SET LOCAL enable_seqscan = on")
        return found, plan

    def test_trigram_indexes_exist(self):
        self.assertTrue(self.env.registry.has_trigram)
        self.env.cr.execute(
            """SELECT indexname, indexdef FROM pg_indexes
                WHERE tablename = 'maintenance_equipment' AND indexdef LIKE '%%gin%%'"""
        )
        indexes = dict(self.env.cr.fetchall())
        for name in (
            "maintenance_equipment__name_index",
            "maintenance_equipment__serial_no_index",
            "maintenance_equipment__serial_no_normalized_trgm_index",
        ):
            self.assertIn(name, indexes)
            self.assertIn("gin_trgm_ops", indexes[name])

    def test_searches_use_the_trigram_index(self):
        cases = [
            # The search box's serial filter: the key, whatever the case.
            ([("serial_lookup", "ilike", "4711-x")], "serial_no_normalized_trgm"),
            ([("serial_no", "ilike", "4711-XY")], "serial_no_index"),
            ([("name", "ilike", "dator trgm")], "name_index"),
        ]
        for domain, index in cases:
            with self.subTest(domain=domain):
                found, plan = self._plan(domain)
                self.assertEqual(found, self.device.ids)
                self.assertIn(f"maintenance_equipment__{index}", plan)
                self.assertNotIn("Seq Scan on maintenance_equipment", plan)
