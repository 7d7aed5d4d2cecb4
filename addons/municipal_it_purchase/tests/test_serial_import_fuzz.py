# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
import random
from collections import Counter

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.municipal_it_lease.tests.fuzz import mutate

from .common import ItSerialImportCommon

_logger = logging.getLogger(__name__)

SEED = 20261129
FILES = 300


@tagged("post_install", "-at_install")
class TestSerialImportFuzz(ItSerialImportCommon):
    """Randomly broken delivery files (a seeded generator): each is put on
    the receipt or refused with a message, never a server error; a refused
    file writes nothing."""

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
        # Serials that would be formulas or carry a control character, put
        # into the valid file: each refused, naming its row, nothing written
        # (an escape character refuses the file as it is read).
        for serial in ("=1+1", "+1", "-1", "@A", '"FZ\n9"', '"FZ\r9"', "FZ\x1b"):
            content = source.replace(b"FZ-2", serial.encode())
            with self.assertRaisesRegex(
                UserError, "Row [34].*(formula|control character)"
            ):
                self._import(content)
            self.assertEqual(self._serials(), [], serial)
            outcomes["refused"] += 1
        self.assertEqual(outcomes["refused"] + outcomes["imported"], FILES + 7)
        self.assertGreater(outcomes["refused"], FILES // 2)
        self.assertGreater(outcomes["imported"], 0)
