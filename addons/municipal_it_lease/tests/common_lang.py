# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import new_test_user

# Dates as each language writes them (res.lang date_format):
# en_US %m/%d/%Y, sv_SE %Y-%m-%d, de_DE %d.%m.%Y.


class LangMixin:
    """Two readers, one in English and one in Swedish, and a third user in
    German who runs the job: what each reader gets must be in their own
    language, never in the one of whoever ran the job."""

    @classmethod
    def _setup_langs(cls, modules):
        Lang = cls.env["res.lang"]
        Lang._activate_lang("sv_SE")
        Lang._activate_lang("de_DE")
        cls.env["ir.module.module"]._load_module_terms(
            modules, ["sv_SE"], overwrite=True
        )

    @classmethod
    def _user_in(cls, lang, login, groups, **values):
        user = new_test_user(cls.env, login=login, groups=groups, **values)
        user.lang = lang
        return user

    @staticmethod
    def _edit_template(template, html):
        """What an administrator does in Settings > Technical > Email
        Templates: change the body, in English and in Swedish."""
        admin = template.env.ref("base.user_admin")
        for lang in ("en_US", "sv_SE"):
            template.with_user(admin).with_context(lang=lang).body_html = html
