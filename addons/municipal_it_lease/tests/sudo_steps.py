# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The attack on a step that writes with sudo(), shared by the addons' tests:
the step is called as a user of another company, an internal user without
the addons' groups, a portal user, or in a state that forbids it, and must be
refused with nothing written."""

import contextlib

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user


class _Undo(Exception):
    """Roll back the savepoint of a refused call once it was inspected."""


class SudoStepsMixin:
    """Call a step as a user and check it is refused with nothing written,
    read before the refusal is rolled back (a refusal raised after a sudo()
    write would otherwise go unseen).

    A test class sets ``_prefix`` (the attackers' logins) and calls
    ``_setup_attackers`` in its ``setUpClass``."""

    _prefix = "sudo"

    @classmethod
    def _setup_attackers(cls, company, other_groups, **company_b_values):
        """Set ``company_b``, a neighbouring municipality, and ``attackers``
        (see ``_attackers``) around ``company``."""
        cls.company_b = cls.env["res.company"].create(
            {"name": "Grannkommunen", **company_b_values}
        )
        cls.attackers = cls._attackers(company, cls.company_b, other_groups)

    @classmethod
    def _attackers(cls, company_a, company_b, other_groups):
        """{role: user}: a user of ``company_b`` with ``other_groups``, an
        internal user of ``company_a`` without the addons' groups, and a
        portal user of ``company_a``."""

        def user(login, groups, company):
            return new_test_user(
                cls.env,
                login=login,
                groups=groups,
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )

        return {
            "other_company": user(f"{cls._prefix}_other", other_groups, company_b),
            "internal": user(f"{cls._prefix}_internal", "base.group_user", company_a),
            "portal": user(f"{cls._prefix}_portal", "base.group_portal", company_a),
        }

    def _snapshot(self, watched):
        """What ``watched`` ([(model, domain, fields)]) reads in the database."""
        self.env.flush_all()
        self.env.invalidate_all()
        return [
            self.env[model]
            .sudo()
            .with_context(active_test=False)
            .search_read(domain, fnames, order="id")
            for model, domain, fnames in watched
        ]

    def assertRefusedUnwritten(self, call, watched, exception=(AccessError, UserError)):
        """``call()`` raises ``exception`` and ``watched`` reads the same in
        the database right after, before the refusal is rolled back."""
        before = self._snapshot(watched)
        outcome = {}
        with contextlib.suppress(_Undo), self.env.cr.savepoint():
            try:
                call()
            except exception as error:
                outcome["error"] = error
            outcome["after"] = self._snapshot(watched)
            raise _Undo()
        self.env.invalidate_all()
        self.assertIn("error", outcome, "the step was not refused")
        self.assertEqual(outcome["after"], before, "the refused step wrote")
        return outcome["error"]

    def assertEveryoneRefused(self, call, watched, roles=None):
        """``call(user)`` is refused for each attacker (or ``roles``)."""
        for role, user in self.attackers.items():
            if roles and role not in roles:
                continue
            with self.subTest(role=role):
                self.assertRefusedUnwritten(lambda user=user: call(user), watched)

    def assertStepsRefused(
        self, records, methods, watched, users=None, exception=(AccessError, UserError)
    ):
        """Each step ``methods`` (a method name or names) of ``records`` is
        refused with nothing written: to every attacker or, given ``users``,
        to each of them with ``exception`` (``UserError`` for a user who may
        take the step, but not in the records' state)."""
        for method in [methods] if isinstance(methods, str) else methods:
            with self.subTest(method=method):
                if users is None:
                    self.assertEveryoneRefused(
                        lambda user, m=method: getattr(records.with_user(user), m)(),
                        watched,
                    )
                    continue
                for user in users:
                    with self.subTest(user=user.login):
                        self.assertRefusedUnwritten(
                            lambda m=method, u=user: getattr(records.with_user(u), m)(),
                            watched,
                            exception,
                        )
