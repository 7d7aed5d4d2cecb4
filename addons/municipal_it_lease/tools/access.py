# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Rights on methods, not only on buttons: an action called over JSON-RPC
checks the same groups as the button that shows it."""

from odoo.exceptions import AccessError

IT_USER = "municipal_it_lease.municipal_it_lease_group_user"
IT_MANAGER = "municipal_it_lease.municipal_it_lease_group_manager"
BILLING = "account.group_account_invoice"
ACCOUNTING_ADMIN = "account.group_account_manager"


def check_groups(records, action, *groups, operation="write"):
    """Raise AccessError unless the user is in one of ``groups`` and may
    ``operation`` the ``records`` (access rights and record rules, which SQL
    run by the action would not check). The superuser passes (cron jobs)."""
    env = records.env
    if env.su:
        return
    if not any(env.user.has_group(group) for group in groups):
        names = [env.ref(group, raise_if_not_found=False) for group in groups]
        raise AccessError(
            env._(
                "%(user)s may not %(action)s (%(model)s): this needs the group "
                "%(groups)s.",
                user=env.user.name,
                action=action,
                model=records._description,
                groups=env._(" or ").join(
                    group.sudo().full_name for group in names if group
                ),
            )
        )
    records.check_access(operation)
