#!/usr/bin/env python3
"""Write each addon's README.rst and static/description/index.html from the
fragments in its readme/ folder, in the layout of OCA's oca-gen-addon-readme.

OCA's tool (maintainer-tools) is not on PyPI; this is the same recipe, small:
the Markdown fragments are converted by pandoc (pypandoc-binary, pinned in
requirements.txt, so that every machine writes the same text) as GitHub
Markdown with the same options as OCA's, laid out by
scripts/gen_addon_readme.rst.jinja, checked and turned into HTML by docutils.
Organisation, repository and branch come from each manifest's website and
version.

    python3 scripts/gen_addon_readme.py                 # every addon of addons/
    python3 scripts/gen_addon_readme.py addons/<addon>  # some addons
    python3 scripts/gen_addon_readme.py --check         # exit 1 if out of date

--check writes nothing: it renders into a temporary folder and compares.
"""

import argparse
import ast
import difflib
import hashlib
import re
import sys
from pathlib import Path
from urllib.parse import urljoin

import pypandoc
from docutils.core import publish_string
from docutils.utils import SystemMessage
from jinja2 import Template

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().with_name("gen_addon_readme.rst.jinja")

FRAGMENTS_DIR = "readme"
# Fragment name and the heading level of its own titles (2 = a section).
FRAGMENTS = {
    "DESCRIPTION": 2,
    "CONTEXT": 2,
    "INSTALL": 2,
    "CONFIGURE": 2,
    "USAGE": 2,
    "ROADMAP": 2,
    "DEVELOP": 2,
    "CONTRIBUTORS": 3,
    "CREDITS": 3,
    "HISTORY": 2,
}

# GitHub Markdown without raw HTML and without automatic heading anchors
# (docutils would warn about unreferenced targets), as OCA converts it.
PANDOC_MARKDOWN_FORMAT = "gfm-raw_html-gfm_auto_identifiers"

LICENSE_BADGES = {
    "AGPL-3": (
        "https://img.shields.io/badge/license-AGPL--3-blue.png",
        "http://www.gnu.org/licenses/agpl-3.0-standalone.html",
        "License: AGPL-3",
    ),
    "LGPL-3": (
        "https://img.shields.io/badge/license-LGPL--3-blue.png",
        "http://www.gnu.org/licenses/lgpl-3.0-standalone.html",
        "License: LGPL-3",
    ),
    "GPL-3": (
        "https://img.shields.io/badge/license-GPL--3-blue.png",
        "http://www.gnu.org/licenses/gpl-3.0-standalone.html",
        "License: GPL-3",
    ),
}

DEVELOPMENT_STATUS_BADGES = {
    "mature": ("Mature", "brightgreen"),
    "production/stable": ("Production%2FStable", "green"),
    "beta": ("Beta", "yellow"),
    "alpha": ("Alpha", "red"),
}

# As readme_renderer (PyPI) and OCA render: no file inclusion, no raw HTML,
# stop on any docutils warning, no XML declaration (Odoo warns about one).
RST2HTML_SETTINGS = {
    "file_insertion_enabled": False,
    "halt_level": 2,
    "math_output": "MathJax",
    "raw_enabled": False,
    "smart_quotes": True,
    "syntax_highlight": "short",
    "xml_declaration": False,
    "output_encoding": "utf-8",
}

IMAGE_RE = re.compile(r".*\s*\.\..* (figure|image)::\s+(?P<path>.*?)\s*$")
WEBSITE_RE = re.compile(r"^https://github\.com/(?P<org>[^/]+)/(?P<repo>[^/]+?)/?$")


def read_manifest(addon_dir):
    path = addon_dir / "__manifest__.py"
    return ast.literal_eval(path.read_text(encoding="utf-8"))


def find_addons(addons_dir):
    return sorted(
        path
        for path in addons_dir.iterdir()
        if (path / "__manifest__.py").is_file()
        and read_manifest(path).get("installable", True)
    )


def source_digest(addon_dir):
    """sha256 over the manifest and the fragments, names included, as OCA's
    readme generator stamps it (so a stale README.rst shows)."""
    digest = hashlib.sha256()
    files = [addon_dir / "__manifest__.py"]
    fragments_dir = addon_dir / FRAGMENTS_DIR
    if fragments_dir.is_dir():
        files += sorted(
            path
            for path in fragments_dir.rglob("*")
            if path.is_file() and not path.name.startswith(".")
        )
    for path in files:
        digest.update(str(path.relative_to(addon_dir)).encode("utf-8"))
        digest.update(path.read_bytes())
    return f"sha256:{digest.hexdigest()}"


def fragment_rst(addon_dir, name, module_url):
    """The fragment as reStructuredText, or None when the addon has none."""
    md_path = addon_dir / FRAGMENTS_DIR / f"{name}.md"
    rst_path = addon_dir / FRAGMENTS_DIR / f"{name}.rst"
    if md_path.exists() and rst_path.exists():
        raise SystemExit(f"{addon_dir.name}: both {name}.md and {name}.rst: keep one.")
    if md_path.exists():
        text = pypandoc.convert_text(
            md_path.read_text(encoding="utf-8"),
            to="rst",
            format=PANDOC_MARKDOWN_FORMAT,
            extra_args=[f"--shift-heading-level-by={FRAGMENTS[name] - 2}"],
            sandbox=True,
        )
    elif rst_path.exists():
        text = rst_path.read_text(encoding="utf-8")
    else:
        return None
    if not text.strip():
        return None
    lines = text.splitlines(keepends=True)
    # Images point at the published repository, as on GitHub and in Odoo.
    for index, line in enumerate(lines):
        match = IMAGE_RE.match(line)
        if match and not match.group("path").startswith("http"):
            path = match.group("path")
            lines[index] = line.replace(
                path, urljoin(module_url, path.replace("../", ""))
            )
    text = "".join(lines)
    return text if text.endswith("\n") else text + "\n"


def render_readme(addon_dir):
    manifest = read_manifest(addon_dir)
    addon_name = addon_dir.name
    match = WEBSITE_RE.match(manifest.get("website", ""))
    if not match:
        raise SystemExit(
            f"{addon_name}: the manifest's website must be the project's GitHub "
            f"repository (https://github.com/<org>/<repo>), not "
            f"{manifest.get('website')!r}."
        )
    org_name, repo_name = match.group("org"), match.group("repo")
    branch = ".".join(manifest["version"].split(".")[:2])
    module_url = (
        f"https://raw.githubusercontent.com/{org_name}/{repo_name}"
        f"/{branch}/{addon_name}/"
    )
    fragments = {}
    for name in FRAGMENTS:
        text = fragment_rst(addon_dir, name, module_url)
        if text:
            fragments[name] = text
    if "DESCRIPTION" not in fragments:
        raise SystemExit(f"{addon_name}: readme/DESCRIPTION.md is missing.")
    development_status = manifest.get("development_status", "Beta").lower()
    badges = []
    if development_status in DEVELOPMENT_STATUS_BADGES:
        label, colour = DEVELOPMENT_STATUS_BADGES[development_status]
        badges.append(
            (
                f"https://img.shields.io/badge/maturity-{label}-{colour}.png",
                "https://odoo-community.org/page/development-status",
                label.replace("%2F", "/"),
            )
        )
    if manifest.get("license") in LICENSE_BADGES:
        badges.append(LICENSE_BADGES[manifest["license"]])
    badge_org, badge_repo = org_name.replace("-", "--"), repo_name.replace("-", "--")
    badges.append(
        (
            (
                f"https://img.shields.io/badge/github-{badge_org}%2F{badge_repo}"
                "-lightgray.png?logo=github"
            ),
            f"https://github.com/{org_name}/{repo_name}/tree/{branch}/{addon_name}",
            f"{org_name}/{repo_name}",
        )
    )
    authors = [
        author.strip()
        for author in manifest.get("author", "").split(",")
        if author.strip() and "(OCA)" not in author
    ]
    template = Template(
        TEMPLATE.read_text(encoding="utf-8"), keep_trailing_newline=True
    )
    return template.render(
        addon_name=addon_name,
        authors=authors,
        badges=badges,
        branch=branch,
        development_status=development_status,
        fragments=fragments,
        level3_underline="-",  # Markdown fragments, as OCA's tool has it
        manifest=manifest,
        org_name=org_name,
        repo_name=repo_name,
        source_digest=source_digest(addon_dir),
    )


def render_html(readme):
    """index.html of the Odoo Apps page; fails on any docutils warning."""
    html = publish_string(
        source=readme,
        writer_name="html4css1",
        settings_overrides=RST2HTML_SETTINGS,
    )
    # The docutils version would change the file with every upgrade.
    return re.sub(rb"(<meta.*generator.*Docutils)\s*[\d.]+", rb"\1", html)


def generate(addon_dir):
    """{relative path: content} of the files generated for one addon."""
    readme = render_readme(addon_dir)
    try:
        html = render_html(readme)
    except SystemMessage as error:  # any docutils warning stops it
        raise SystemExit(
            f"{addon_dir.name}: README.rst is not valid: {error}"
        ) from None
    return {
        "README.rst": readme.encode("utf-8"),
        "static/description/index.html": html,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("addon_dirs", nargs="*", type=Path)
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when a generated file is missing or stale",
    )
    args = parser.parse_args(argv)
    addon_dirs = [path.resolve() for path in args.addon_dirs] or find_addons(
        ROOT / "addons"
    )
    stale = []
    for addon_dir in addon_dirs:
        for relpath, content in generate(addon_dir).items():
            path = addon_dir / relpath
            current = path.read_bytes() if path.exists() else None
            if current == content:
                continue
            if args.check:
                stale.append(path)
                diff = difflib.unified_diff(
                    (current or b"").decode("utf-8").splitlines(keepends=True),
                    content.decode("utf-8").splitlines(keepends=True),
                    fromfile=f"{path} (committed)",
                    tofile=f"{path} (from the fragments)",
                )
                sys.stdout.writelines(list(diff)[:60])
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
                print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print(
            "\nOut of date (run python3 scripts/gen_addon_readme.py and commit):\n"
            + "\n".join(f"  {path.relative_to(ROOT)}" for path in stale),
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
