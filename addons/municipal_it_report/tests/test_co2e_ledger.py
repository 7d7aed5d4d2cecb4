# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io
from datetime import date

from openpyxl import load_workbook
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import float_round, mute_logger

from .common import ItReportCommon


@tagged("post_install", "-at_install")
class TestCo2eLedger(ItReportCommon):
    def test_eskilstuna_total(self):
        """Eskilstuna: 2,234 refurbished computers, 74,300 kg CO2e. The
        factor that yields it: 74,300 / 2,234 = 33.2587 kg per computer (the
        buyer's whole share); 2,234 x 33.2587 = 74,299.9358 -> 74,300 kg."""
        self.factor.active = False
        eskilstuna = self.Factor.create(
            {
                "name": "Eskilstuna kommun, published total",
                "company_id": self.company.id,
                "device_category": "laptop",
                "date_from": date(2019, 1, 1),
                "kg_saving_reuse": 33.2587,
                "buyer_share": 100.0,
                "source": "Eskilstuna kommun (74,300 kg for 2,234 computers)",
                "source_year": 2020,
            }
        )
        devices = (
            self.env["maintenance.equipment"]
            .with_context(tracking_disable=True)
            .create(
                [
                    {
                        "name": f"Dator {index}",
                        "serial_no": f"ESK-{index:05d}",
                        "device_category": "laptop",
                        "acquisition_origin": "refurbished",
                    }
                    for index in range(2234)
                ]
            )
        )
        entries = self.Entry._record_refurbished_received(
            devices, date(2020, 6, 1), origin_ref="Eskilstuna"
        )
        self.assertEqual(len(entries), 2234)
        self.assertEqual(entries.factor_id, eskilstuna)
        total = sum(entries.mapped("kg_co2e"))
        self.assertAlmostEqual(total, 74299.9358, places=3)
        self.assertEqual(float_round(total, precision_digits=0), 74300)
        # Running it again doubles nothing.
        again = self.Entry._record_refurbished_received(
            devices, date(2020, 6, 1), origin_ref="Eskilstuna"
        )
        self.assertFalse(again)
        self.assertEqual(
            self.Entry.search_count([("origin_ref", "=", "Eskilstuna")]), 2234
        )

    def test_events(self):
        device = self._laptop("CO2-1", activity_code_id=self.code_school.id)
        received = self.Entry._record_refurbished_received(device, date(2026, 3, 1))
        remarketed = self.Entry._record_remarketed(device, date(2026, 4, 1))
        destroyed = self.Entry._record_destroyed(device, date(2026, 5, 1))
        # Buyer: 280 x 50 % = 140; seller: 280 x (100 - 50) % = 140; destroyed: 0.
        self.assertEqual(
            [(e.party, e.kg_co2e) for e in received | remarketed | destroyed],
            [("buyer", 140.0), ("seller", 140.0), ("lessee", 0.0)],
        )
        self.assertEqual(received.department_id, self.department)
        self.assertEqual(received.activity_code_id, self.code_school)
        self.assertEqual(received.source, "Test")

    def test_extension_records_avoided_share(self):
        """Extending 12 months avoids 12 / 36 of a new unit's 240 kg = 80 kg."""
        schedule = self._create_schedule("CO2-EXT", date(2023, 1, 1), 36)
        device = self._laptop("CO2-2")
        line = self.env["it.lease.line"].create(
            {"schedule_id": schedule.id, "equipment_id": device.id, "monthly_rent": 300}
        )
        schedule.action_activate()
        line._decide_extend(date(2026, 1, 1), date(2026, 12, 31), {line: 150.0})
        entry = self.Entry.search([("equipment_id", "=", device.id)])
        self.assertEqual(entry.event, "extended")
        self.assertEqual(entry.kg_co2e, 80.0)
        self.assertEqual(entry.date, date(2026, 1, 1))

    def test_extension_without_factor_is_not_blocked(self):
        schedule = self._create_schedule("CO2-EXT2", date(2023, 1, 1), 36)
        device = self._create_device("CO2-3", device_category="other")
        line = self.env["it.lease.line"].create(
            {"schedule_id": schedule.id, "equipment_id": device.id, "monthly_rent": 300}
        )
        schedule.action_activate()
        line._decide_extend(date(2026, 1, 1), date(2026, 12, 31), {})
        self.assertFalse(self.Entry.search([("equipment_id", "=", device.id)]))

    def test_database_refuses_a_second_entry(self):
        """Even past the Python check (two transactions at once), the same
        event without origin is stored once."""
        device = self._laptop("CO2-8")
        entry = self.Entry._record_refurbished_received(device, date(2026, 3, 1))
        vals = entry.copy_data()[0]
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.Entry.sudo().create(vals)

    def test_missing_factor_named(self):
        device = self._create_device("CO2-4", device_category="other")
        with self.assertRaisesRegex(UserError, "No CO2e factor for device type other"):
            self.Entry._record_remarketed(device, date(2026, 1, 1))

    def test_versioning(self):
        """A used factor is never edited: a new version applies to new events,
        past entries keep their figures."""
        device = self._laptop("CO2-5")
        old = self.Entry._record_refurbished_received(device, date(2026, 1, 10))
        with self.assertRaisesRegex(UserError, "Create a new version"):
            self.factor.kg_saving_reuse = 300.0
        self.factor.name = "Laptop test factor (renamed)"  # not a figure
        action = self.factor.action_new_version()
        version = self.Factor.browse(action["res_id"])
        version.write({"kg_saving_reuse": 300.0, "date_from": date(2026, 2, 1)})
        new = self.Entry._record_remarketed(device, date(2026, 2, 15))
        self.assertEqual(new.factor_id, version)
        # Seller: 300 x 50 % = 150; the January entry keeps 280 x 50 % = 140.
        self.assertEqual(new.kg_co2e, 150.0)
        self.assertEqual(old.kg_co2e, 140.0)
        with self.assertRaises(UserError):
            old.kg_co2e = 1.0
        with self.assertRaises(UserError):
            old.unlink()
        with self.assertRaises(UserError):
            self.factor.unlink()

    def test_access(self):
        device = self._laptop("CO2-6")
        entry = self.Entry._record_refurbished_received(device, date(2026, 1, 10))
        self.assertEqual(entry.with_user(self.it_user).kg_co2e, 140.0)
        with self.assertRaises(AccessError):
            self.Factor.with_user(self.it_user).create(
                {
                    "name": "x",
                    "device_category": "phone",
                    "date_from": date(2026, 1, 1),
                    "source": "x",
                    "source_year": 2026,
                }
            )
        with self.assertRaises(AccessError):
            self.factor.with_user(self.it_user).name = "x"

    def test_seeded_factors_cite_sources(self):
        laptop = self.env.ref("municipal_it_report.it_co2e_factor_laptop")
        # IVL/Inrego 2020: 280 kg per reused laptop; Boavizta median 307 kg x
        # manufacturing share 0.80 = 245.6 kg.
        self.assertEqual(
            (laptop.kg_saving_reuse, laptop.kg_manufacturing), (280, 245.6)
        )
        self.assertIn("IVL", laptop.source)

    def test_xlsx(self):
        device = self._laptop("CO2-7", activity_code_id=self.code_school.id)
        entry = self.Entry._record_refurbished_received(device, date(2026, 3, 5))
        content, _kind = self.env["ir.actions.report"]._render_xlsx(
            "municipal_it_report.co2e_ledger_xlsx", entry.ids, {}
        )
        summary = load_workbook(io.BytesIO(content)).worksheets[0]
        rows = list(summary.iter_rows(min_row=2, values_only=True))
        self.assertEqual(
            rows, [("2026-03", self.code_school.display_name, "Skola", 140)]
        )
