# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

# Since 18.0.1.3.1 a device import runs in one call of its scheduled job, in
# that call's transaction, queued and retried by ir.cron itself: no import is
# "running" in the database any more, and the rows-done table that earlier
# versions created in it.device.import.init() is gone. An import left running
# by the server stopped for this upgrade imported nothing (its transaction
# rolled back): it is failed, to be set back to draft and queued again.

INTERRUPTED = (
    "The import was interrupted (the server stopped or the job was killed) and "
    "nothing of it was imported. Set it back to draft and queue it again."
)


def migrate(cr, version):
    cr.execute(
        """
        UPDATE it_device_import
           SET state = 'failed',
               error_message = %s,
               date_done = now() AT TIME ZONE 'UTC'
         WHERE state = 'running'
        """,
        [INTERRUPTED],
    )
    cr.execute("DROP TABLE IF EXISTS it_device_import_progress")
