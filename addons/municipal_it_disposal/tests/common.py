# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
from datetime import date

from odoo.tests import new_test_user

from odoo.addons.municipal_it_lease.tests.common_charge import ItChargeCommon


class DisposalCommon(ItChargeCommon):
    """A municipality with leased devices decided for return, owned devices,
    settlement accounts, and helpers to build sanitization reports."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_settlement_accounts()
        cls.it_boss = new_test_user(
            cls.env,
            login="it_boss",
            groups="municipal_it_lease.municipal_it_lease_group_manager",
        )
        cls.company.it_disposal_manager_id = cls.it_boss
        # Three leased laptops, 310 SEK a month each, on a schedule that ended
        # on 2026-02-28 (2023-03-01 + 36 months - 1 day).
        cls.return_schedule = cls._create_schedule("RET-1", date(2023, 3, 1), 36)
        cls.dev_a = cls._leased_device(
            "RA-1", 310.0, cls.code_school, schedule=cls.return_schedule
        )
        cls.dev_b = cls._leased_device(
            "RA-2", 310.0, cls.code_school, schedule=cls.return_schedule
        )
        cls.dev_c = cls._leased_device(
            "RA-3", 310.0, cls.code_care, schedule=cls.return_schedule
        )
        cls.return_schedule.action_activate()
        cls.return_schedule.line_ids._decide_return()
        cls.devices = cls.dev_a | cls.dev_b | cls.dev_c
        cls.env["it.storage.medium"].create(
            [
                {
                    "equipment_id": cls.dev_a.id,
                    "serial_no": "SSD-A1",
                    "medium_type": "nvme",
                },
                {
                    "equipment_id": cls.dev_b.id,
                    "serial_no": "SSD-B1",
                    "medium_type": "nvme",
                },
                {
                    "equipment_id": cls.dev_c.id,
                    "serial_no": "SSD-C1",
                    "medium_type": "ssd",
                },
            ]
        )

    @classmethod
    def _setup_settlement_accounts(cls):
        """The residual value and damage accounts, the purchase journal and
        the company's disposal settings."""
        cls.residual_account, cls.damage_account = cls.env["account.account"].create(
            [
                {
                    "name": "Restvärde återlämnad IT",
                    "code": "369900",
                    "account_type": "income_other",
                },
                {
                    "name": "Skadeersättning IT",
                    "code": "657900",
                    "account_type": "expense",
                },
            ]
        )
        cls.payable = cls.env["account.account"].create(
            {
                "name": "Leverantörsskulder",
                "code": "244000",
                "account_type": "liability_payable",
                "reconcile": True,
            }
        )
        cls.purchase_journal = cls.env["account.journal"].create(
            {"name": "Leverantörsfakturor IT", "code": "LFIT", "type": "purchase"}
        )
        cls.lessor.property_account_payable_id = cls.payable
        cls.company.write(
            {
                "it_disposal_residual_account_id": cls.residual_account.id,
                "it_disposal_damage_account_id": cls.damage_account.id,
                "it_disposal_journal_id": cls.purchase_journal.id,
                "it_disposal_receipt_days": 10,
                "it_disposal_escalation_days": 10,
                "it_disposal_wipe_level": "purge",
            }
        )

    @classmethod
    def _batch(cls, devices=None, **values):
        batch = cls.env["it.disposal.batch"].create(
            {
                "recipient_id": cls.lessor.id,
                "crate_number": "BUR-17",
                "seal_numbers": "S-1001, S-1002",
                **values,
            }
        )
        devices = cls.devices if devices is None else devices
        if devices:
            batch._add_serials("\n".join(devices.mapped("serial_no")))
        return batch

    @classmethod
    def _collect(cls, batch, pickup=date(2026, 3, 2)):
        batch.write(
            {
                "handed_over_by_id": cls.env.uid,
                "collected_by": "Kalle Chaufför",
                "collection_location": "Stadshuset, lastkaj",
                "pickup_date": pickup,
            }
        )
        batch.action_collect()

    @staticmethod
    def _csv(rows, header=None):
        header = header or (
            "report_id,device_serial,medium_serial,method,level,tool,tool_version,"
            "status,operator,timestamp,verification"
        )
        return ("\n".join([header, *rows]) + "\n").encode()

    @staticmethod
    def _csv_row(
        device,
        medium,
        level="Purge",
        status="erased",
        report="R-1",
        ts="2026-03-11T09:00:00Z",
    ):
        return (
            f"{report},{device},{medium},NIST 800-88 {level},{level},"
            f"Blancco Drive Eraser,7.9.0,{status},Operatör 1,{ts},verified 100%"
        )

    @staticmethod
    def _xml(document_id, system_serial, erasures, disks=(), extra_doctype=""):
        disk_xml = "".join(
            f"""<entries name="disk"><entry name="serial">{serial}</entry>
            <entry name="interface_type">{interface}</entry>
            <entry name="capacity" type="uint">{capacity}</entry></entries>"""
            for serial, interface, capacity in disks
        )
        erasure_xml = "".join(
            f"""<entries name="erasure">
              <entries name="target"><entry name="serial">{serial}</entry></entries>
              <entry name="erasure_standard_name">{standard}</entry>
              <entry name="state">{state}</entry>
              <entry name="start_time">2026-03-11T10:00:00+0100</entry>
              <entry name="end_time">2026-03-11T10:42:00+0100</entry>
            </entries>"""
            for serial, standard, state in erasures
        )
        return f"""<?xml version="1.0" encoding="UTF-8"?>{extra_doctype}
<root><report><blancco_data>
  <description>
    <document_id>{document_id}</document_id>
    <document_log><log_entry>
      <author><product_name>Blancco Drive Eraser</product_name>
      <product_version>7.9.0</product_version></author>
      <integrity>c2lnbmF0dXJlLXZhbHVl</integrity>
    </log_entry></document_log>
    <description_entries><entry name="operator">Operatör 2</entry></description_entries>
  </description>
  <blancco_hardware_report>
    <entries name="system"><entry name="manufacturer">Lenovo</entry>
      <entry name="serial">{system_serial}</entry></entries>
    <entries name="disks">{disk_xml}</entries>
  </blancco_hardware_report>
  <blancco_erasure_report><entries name="erasures">{erasure_xml}</entries>
  </blancco_erasure_report>
</blancco_data></report></root>""".encode()

    def _import(self, content, name="report.csv", batch=None, user=None):
        Report = self.env["it.wipe.report"]
        if user:
            Report = Report.with_user(user)
        return Report._import_file(content, name, batch=batch)

    def _import_wizard(self, content, name, batch=None):
        wizard = self.env["it.wipe.report.import"].create(
            {
                "file": base64.b64encode(content),
                "file_name": name,
                "batch_id": batch.id if batch else False,
            }
        )
        return wizard.action_import()

    def _certify_all(self, batch, level="Purge", report="R-OK", user=None):
        rows = [
            self._csv_row(
                line.serial_no,
                line.equipment_id.storage_medium_ids[:1].serial_no,
                level=level,
                report=report,
            )
            for line in batch.line_ids
        ]
        return self._import(self._csv(rows), f"{report}.csv", batch=batch, user=user)
