# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The wipe rule, written once.

* A certificate releases a storage medium when it is valid and of the level
  the device's data requires or higher (Purge when the device names none);
  for a classified device, only a destruction or a sanitization witnessed on
  site does.
* A medium's wipe status: ``missing`` without certificates, ``done`` when one
  releases it, else ``insufficient`` when one is valid, ``exception`` when
  one was erased with exceptions not accepted, else ``failed``.
* A device's wipe status: ``no_media`` without media, ``done`` when all are
  done, ``awaiting`` when one has no certificate, else ``problem``.

Each rule has two forms that must never diverge (the tests compare them on a
mixed set): a domain or Python form, for the ORM's computes and checks of a
few records (``filtered_domain`` on the records in cache, new ones included),
and an SQL form, for the import, which sets the statuses of a whole report's
media and devices in one statement each.
"""

from odoo.tools import SQL

LEVEL_RANK = {"clear": 1, "purge": 2, "destroy": 3}
# The level a device's data requires when it names none.
DEFAULT_LEVEL = "purge"


def levels_at_least(level):
    """The wipe levels of ``level`` (DEFAULT_LEVEL when empty) or higher."""
    required = LEVEL_RANK[level or DEFAULT_LEVEL]
    return [name for name, rank in LEVEL_RANK.items() if rank >= required]


# Python and domain forms


def releasing_domain(device):
    """Domain on ``it.wipe.certificate``: the certificates that release a
    medium of ``device`` (a ``maintenance.equipment`` record)."""
    domain = [
        ("is_valid", "=", True),
        ("level", "in", levels_at_least(device.wipe_level_required)),
    ]
    if device.is_classified:
        domain += ["|", ("level", "=", "destroy"), ("witnessed_on_site", "=", True)]
    return domain


def medium_wipe_state(certificates, device):
    """The wipe status of a medium of ``device`` whose certificates are
    ``certificates``."""
    if not certificates:
        return "missing"
    if certificates.filtered_domain(releasing_domain(device)):
        return "done"
    if certificates.filtered("is_valid"):
        return "insufficient"
    if "erased_exceptions" in certificates.mapped("status"):
        return "exception"
    return "failed"


def device_wipe_state(medium_states):
    """The wipe status of a device whose media have ``medium_states``."""
    states = set(medium_states)
    if not states:
        return "no_media"
    if states == {"done"}:
        return "done"
    if "missing" in states:
        return "awaiting"
    return "problem"


# SQL forms (table aliases as arguments)


def level_rank(level):
    """The rank of wipe level ``level`` (an SQL expression)."""
    return SQL(
        "CASE %s %s END",
        level,
        SQL(" ").join(
            SQL("WHEN %s THEN %s", name, rank) for name, rank in LEVEL_RANK.items()
        ),
    )


def certificate_releases(certificate, device):
    """Condition: certificate ``certificate`` releases a medium of device
    ``device``; the SQL of :func:`releasing_domain`."""
    level = SQL.identifier(certificate, "level")
    return SQL(
        """(COALESCE(%(valid)s, FALSE)
            AND %(rank)s >= %(required)s
            AND (NOT COALESCE(%(classified)s, FALSE)
                 OR %(level)s = 'destroy'
                 OR COALESCE(%(witnessed)s, FALSE)))""",
        valid=SQL.identifier(certificate, "is_valid"),
        rank=level_rank(level),
        required=level_rank(
            SQL(
                "COALESCE(%s, %s)",
                SQL.identifier(device, "wipe_level_required"),
                DEFAULT_LEVEL,
            )
        ),
        classified=SQL.identifier(device, "is_classified"),
        level=level,
        witnessed=SQL.identifier(certificate, "witnessed_on_site"),
    )


def medium_wipe_state_sql(certificate, device):
    """Aggregate: the wipe status of a medium from its certificates
    ``certificate`` (left-joined, grouped by medium) and its device
    ``device`` (grouped by); the SQL of :func:`medium_wipe_state`."""
    return SQL(
        """CASE WHEN COUNT(%(id)s) = 0 THEN 'missing'
                WHEN bool_or(%(releases)s) THEN 'done'
                WHEN bool_or(COALESCE(%(valid)s, FALSE)) THEN 'insufficient'
                WHEN bool_or(%(status)s = 'erased_exceptions') THEN 'exception'
                ELSE 'failed' END""",
        id=SQL.identifier(certificate, "id"),
        releases=certificate_releases(certificate, device),
        valid=SQL.identifier(certificate, "is_valid"),
        status=SQL.identifier(certificate, "status"),
    )


def device_wipe_state_sql(medium):
    """Aggregate: the wipe status of a device from its media ``medium``
    (left-joined, grouped by device); the SQL of :func:`device_wipe_state`."""
    state = SQL("COALESCE(%s, '')", SQL.identifier(medium, "wipe_state"))
    return SQL(
        """CASE WHEN COUNT(%(id)s) = 0 THEN 'no_media'
                WHEN bool_and(%(state)s = 'done') THEN 'done'
                WHEN bool_or(%(state)s = 'missing') THEN 'awaiting'
                ELSE 'problem' END""",
        id=SQL.identifier(medium, "id"),
        state=state,
    )


def update_media_wipe_state(cr, medium_ids):
    """Set the wipe status of the media ``medium_ids`` from their
    certificates in one statement; [(medium id, device id)] of the media whose
    status changed."""
    cr.execute(
        SQL(
            """
            UPDATE it_storage_medium medium
               SET wipe_state = checked.state
              FROM (SELECT medium.id, %(state)s AS state
                      FROM it_storage_medium medium
                      JOIN maintenance_equipment device
                        ON device.id = medium.equipment_id
                 LEFT JOIN it_wipe_certificate certificate
                        ON certificate.medium_id = medium.id
                     WHERE medium.id = ANY(%(ids)s)
                  GROUP BY medium.id, device.id) AS checked
             WHERE medium.id = checked.id
               AND medium.wipe_state IS DISTINCT FROM checked.state
         RETURNING medium.id, medium.equipment_id
            """,
            state=medium_wipe_state_sql("certificate", "device"),
            ids=list(medium_ids),
        )
    )
    return cr.fetchall()


def update_devices_wipe_state(cr, device_ids):
    """Set the wipe status of the devices ``device_ids`` from their media's
    in one statement; the ids of those whose status changed."""
    cr.execute(
        SQL(
            """
            UPDATE maintenance_equipment device
               SET wipe_state = checked.state
              FROM (SELECT device.id, %(state)s AS state
                      FROM maintenance_equipment device
                 LEFT JOIN it_storage_medium medium
                        ON medium.equipment_id = device.id
                     WHERE device.id = ANY(%(ids)s)
                  GROUP BY device.id) AS checked
             WHERE device.id = checked.id
               AND device.wipe_state IS DISTINCT FROM checked.state
         RETURNING device.id
            """,
            state=device_wipe_state_sql("medium"),
            ids=list(device_ids),
        )
    )
    return [row[0] for row in cr.fetchall()]
