# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import MdmCommon

UNKNOWN_ROW = "LAP-9999,XYZ-9999,okand@kommun.se,Windows,11,2026-05-30 08:30:00"
UPDATE_ROW = "LAP-0002,PC-0002,,Windows,11,2026-05-30 10:00:00"
REFUSED = "cannot be set directly"


@tagged("post_install", "-at_install")
@freeze_time("2026-05-31 12:00:00")
class TestMdmSystemFields(MdmCommon):
    """What only Preview, Apply and the review buttons write: the import's
    state and who applied it, an applied row's resolution and device."""

    def _applied(self, *rows):
        mdm_import = self._import(self._csv(*rows), user=self.it_user)
        mdm_import.action_preview()
        mdm_import.action_apply()
        return mdm_import

    def test_create_refuses_what_apply_writes(self):
        Import = self.env["it.mdm.import"].with_user(self.it_user)
        source = {"source_id": self.intune.id}
        count = Import.search_count([])
        with self.assertRaisesRegex(
            UserError, f"Applied By, Date Applied, State {REFUSED}"
        ):
            Import.create(
                {
                    **source,
                    "state": "done",
                    "applied_uid": self.it_manager.id,
                    "date_applied": "2026-01-01",
                }
            )
        for vals in (
            {"state": "preview"},
            {"state": "done"},
            {"mapped_fields": "mdm_os"},
            {"applied_uid": self.it_manager.id},
            {"date_applied": "2026-01-01 00:00:00"},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaisesRegex(UserError, REFUSED),
            ):
                Import.create({**source, **vals})
        self.assertEqual(Import.search_count([]), count)
        # As defaults of the request's context, they count for nothing.
        record = Import.with_context(
            default_state="done",
            default_applied_uid=self.it_manager.id,
            default_date_applied="2026-01-01 00:00:00",
            default_mapped_fields="mdm_os",
        ).create(source)
        self.assertEqual(
            (
                record.state,
                record.applied_uid,
                record.date_applied,
                record.mapped_fields,
            ),
            ("draft", self.env["res.users"], False, False),
        )
        record.unlink()
        # A form sends the defaults: they pass.
        record = Import.create(
            {**source, "state": "draft", "applied_uid": False, "mapped_fields": False}
        )
        self.assertEqual(record.state, "draft")
        # The addons' own steps (sudo, and the tests simulating one) may set
        # them.
        record = Import.sudo().create(
            {**source, "state": "done", "applied_uid": self.it_manager.id}
        )
        self.assertEqual(record.applied_uid, self.it_manager)

    def test_write_refuses_what_apply_writes(self):
        mdm_import = self._import(self._csv(UPDATE_ROW), user=self.it_user)
        for vals in (
            {"applied_uid": self.it_manager.id},
            {"date_applied": "2026-01-01 00:00:00"},
            {"mapped_fields": "mdm_os"},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaisesRegex(UserError, REFUSED),
            ):
                mdm_import.write(vals)
        # A form saving what it read changes nothing: it passes.
        mdm_import.write(
            {"applied_uid": False, "date_applied": False, "filename": "new.csv"}
        )
        mdm_import.action_preview()
        self.assertEqual(mdm_import.state, "preview")
        with self.assertRaisesRegex(UserError, f"Mapped Fields {REFUSED}"):
            mdm_import.with_user(self.it_manager).write({"mapped_fields": "mdm_os"})
        mdm_import.action_apply()
        self.assertEqual(
            (mdm_import.state, mdm_import.applied_uid, mdm_import.date_applied),
            ("done", self.it_user, datetime(2026, 5, 31, 12, 0)),
        )

    def test_copy_is_a_draft(self):
        mdm_import = self._import(self._csv(UPDATE_ROW), user=self.it_user)
        mdm_import.action_preview()
        copy = mdm_import.copy()
        self.assertEqual((copy.state, copy.mapped_fields), ("draft", False))
        mdm_import.action_apply()
        copy = mdm_import.copy()
        self.assertEqual(
            (copy.state, copy.applied_uid, copy.date_applied, copy.line_ids),
            ("draft", self.env["res.users"], False, self.env["it.mdm.import.line"]),
        )
        copy.unlink()

    def test_applied_row_resolution_by_buttons_only(self):
        lines = self._applied(UNKNOWN_ROW, UPDATE_ROW).line_ids.with_user(self.it_user)
        unknown = lines.filtered(lambda line: line.status == "not_in_register")
        update = lines.filtered(lambda line: line.status == "update")
        self.assertEqual(update.equipment_id, self.device_2)
        for user in (self.it_user, self.it_manager):
            for line, vals in (
                (unknown, {"resolution": "created", "equipment_id": self.device_3.id}),
                (unknown, {"resolution": "dismissed"}),
                (update, {"equipment_id": self.device_3.id}),
                (update, {"equipment_id": False}),
                (unknown, {"resolution": "superseded"}),
            ):
                with (
                    self.subTest(user=user.login, vals=vals),
                    self.assertRaises(AccessError),
                ):
                    line.with_user(user).write(vals)
        self.assertEqual(
            (unknown.resolution, unknown.equipment_id, update.equipment_id),
            ("open", self.env["maintenance.equipment"], self.device_2),
        )
        # The buttons still do it.
        unknown.action_dismiss()
        self.assertEqual(unknown.resolution, "dismissed")
        unknown.action_reopen()
        self.assertEqual(unknown.resolution, "open")
        unknown.action_create_device()
        self.assertEqual(unknown.resolution, "created")
        self.assertEqual(unknown.equipment_id.serial_no, "XYZ-9999")

    def test_carried_forward_resolutions(self):
        """Apply, as a plain IT user, writes the rows of earlier imports."""
        first = self._applied(UNKNOWN_ROW, "TAB-8888,NEW-8888,,iOS,17,2026-05-30 08:00")
        first.line_ids.filtered(lambda line: line.serial_no == "XYZ-9999").with_user(
            self.it_user
        ).action_dismiss()
        second = self._applied(
            UNKNOWN_ROW, "TAB-8888,NEW-8888,,iOS,17,2026-05-31 08:00"
        )
        self.assertEqual(
            sorted(first.line_ids.mapped("resolution")), ["dismissed", "superseded"]
        )
        self.assertEqual(
            sorted(second.line_ids.mapped("resolution")), ["dismissed", "open"]
        )

    def test_row_not_moved_into_an_applied_import(self):
        applied = self._applied(UNKNOWN_ROW)
        preview = self._import(self._csv(UPDATE_ROW), user=self.it_user)
        preview.action_preview()
        with self.assertRaises(AccessError):
            preview.line_ids.with_user(self.it_user).write({"import_id": applied.id})
        with self.assertRaisesRegex(UserError, "is applied"):
            preview.line_ids.sudo().write({"import_id": applied.id})
        self.assertEqual(len(applied.line_ids), 1)

    def test_rows_are_written_by_the_import_only(self):
        """The finding: IT users had full rights on the rows, so an applied
        import could be made to say anything. Now no user creates, changes
        or deletes a row, applied or in preview, over any client: the rows
        are what Preview read in the file and what Apply wrote."""
        applied = self._applied(UNKNOWN_ROW, UPDATE_ROW)
        preview = self._import(self._csv(UPDATE_ROW), user=self.it_user)
        preview.action_preview()
        Line = self.env["it.mdm.import.line"]
        before = sorted(
            (line.import_id.id, line.serial_no, line.status, line.changes or "")
            for line in Line.search([])
        )
        for user in (self.it_user, self.it_manager):
            for mdm_import in (applied, preview):
                line = mdm_import.line_ids[:1].with_user(user)
                with self.subTest(user=user.login, state=mdm_import.state):
                    with self.assertRaises(AccessError):
                        Line.with_user(user).create(
                            {
                                "import_id": mdm_import.id,
                                "serial_no": "FORGED-1",
                                "status": "update",
                                "changes": "Primary User: – → anyone",
                            }
                        )
                    with self.assertRaises(AccessError):
                        line.write({"status": "unchanged", "changes": False})
                    with self.assertRaises(AccessError):
                        line.unlink()
        self.assertEqual(
            sorted(
                (line.import_id.id, line.serial_no, line.status, line.changes or "")
                for line in Line.search([])
            ),
            before,
        )
        # The import's own steps still write them: preview again, apply.
        preview.with_user(self.it_user).action_preview()
        preview.with_user(self.it_user).action_apply()
        self.assertEqual(
            (preview.state, preview.line_ids.status), ("done", "unchanged")
        )


@tagged("post_install", "-at_install")
class TestMdmSystemFieldsRpc(HttpCase):
    """The refusals hold for a JSON-RPC caller, context and all."""

    def _call(self, method, args, kwargs):
        response = self.url_open(
            f"/web/dataset/call_kw/it.mdm.import/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 0,
                    "params": {
                        "model": "it.mdm.import",
                        "method": method,
                        "args": args,
                        "kwargs": kwargs,
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        response.raise_for_status()
        return response.json()

    def test_json_rpc_create(self):
        user = new_test_user(
            self.env,
            login="mdm_rpc_user",
            groups="municipal_it_lease.municipal_it_lease_group_user",
        )
        source = self.env.ref("municipal_it_mdm.it_mdm_source_intune")
        source.company_id = user.company_id
        self.authenticate("mdm_rpc_user", "mdm_rpc_user")
        vals = {"source_id": source.id}
        result = self._call(
            "create", [{**vals, "state": "done", "applied_uid": user.id}], {}
        )
        self.assertEqual(result["error"]["data"]["name"], "odoo.exceptions.UserError")
        self.assertIn(REFUSED, result["error"]["data"]["message"])
        result = self._call(
            "create",
            [vals],
            {"context": {"default_state": "done", "default_applied_uid": user.id}},
        )
        record = self.env["it.mdm.import"].browse(result["result"])
        self.assertEqual((record.state, record.applied_uid.id), ("draft", False))
