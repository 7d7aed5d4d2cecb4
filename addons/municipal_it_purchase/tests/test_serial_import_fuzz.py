# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import logging
import random
from collections import Counter

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.municipal_it_lease.tests.fuzz import mutate

from .common import ItPurchaseCommon

_logger = logging.getLogger(__name__)

SEED = 20261129
FILES = 300


@tagged("post_install", "-at_install")
class TestSerialImportFuzz(ItPurchaseCommon):
    """Randomly broken delivery files (a seeded generator): each is put on
    the receipt or refused with a message, never a server error; a refused
    file writes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_order(
            [
                cls._line(cls.laptop, 2, 10000, cls.code_school),
                cls._line(cls.monitor, 1, 2000, cls.code_school),
            ]
        )
        cls.order.with_user(cls.buyer).request_validation()
        cls.order.with_user(cls.holder_school).validate_tier()
        cls.order.with_user(cls.buyer).button_confirm()
        cls.picking = cls.order.picking_ids

    def _import(self, content):
        wizard = (
            self.env["it.receipt.serial.import"]
            .with_user(self.buyer)
            .create(
                {
                    "picking_id": self.picking.id,
                    "file": base64.b64encode(content),
                    "filename": "leverans.csv",
                }
            )
        )
        wizard.action_import()

    def _serials(self):
        return sorted(filter(None, self.picking.move_line_ids.mapped("lot_name")))

    def test_broken_delivery_files_are_imported_or_refused(self):
        name = self.order.name
        source = "\n".join(
            [
                "Ordernummer;Artikelnummer;Serienummer;MAC-adress;IMEI",
                f"{name};LAP-14;FZ-1;00:1A:2B:3C:4D:01;",
                f"{name};LAP-14;FZ-2;00:1A:2B:3C:4D:02;",
                f"{name};MON-24;FZ-3;;356938035643809",
            ]
        ).encode("utf-8-sig")
        with self.env.cr.savepoint(flush=False) as savepoint:
            self._import(source)
            self.assertEqual(self._serials(), ["FZ-1", "FZ-2", "FZ-3"])
            savepoint.rollback()
        self.env.invalidate_all()
        rng = random.Random(SEED)
        outcomes, problems = Counter(), Counter()
        for number in range(FILES):
            content = mutate(rng, source)
            try:
                with self.env.cr.savepoint(flush=False) as savepoint:
                    self._import(content)
                    outcomes["imported"] += 1
                    savepoint.rollback()
            except (UserError, ValidationError) as error:
                outcomes["refused"] += 1
                problems[str(error).split("\n")[-1][:60]] += 1
            self.env.invalidate_all()
            self.assertEqual(self._serials(), [], f"file {number}")
        _logger.info(
            "fuzz: %s delivery files, %s refused, %s imported, 0 tracebacks; most "
            "frequent problems %s",
            FILES,
            outcomes["refused"],
            outcomes["imported"],
            problems.most_common(6),
        )
        self.assertEqual(outcomes["refused"] + outcomes["imported"], FILES)
        self.assertGreater(outcomes["refused"], FILES // 2)
        self.assertGreater(outcomes["imported"], 0)
