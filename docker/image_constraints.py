"""Print the Python packages the Odoo image already has as pip constraints.

The official Odoo image takes its Python packages from the distribution
(PEP 668). Installing the addons' requirements with these constraints lets
pip add what is missing but never upgrade or downgrade a package Odoo was
built and tested with: a conflict fails the build instead. A distribution
version pip cannot read (e.g. ``2.7.7ubuntu4``) is left out; pip could not
install such a version anyway.
"""

from importlib.metadata import distributions

from pip._vendor.packaging.utils import canonicalize_name
from pip._vendor.packaging.version import InvalidVersion, Version

pins = {}
for dist in distributions():
    name = dist.metadata["Name"]
    if not name:
        continue
    try:
        Version(dist.version)
    except InvalidVersion:
        continue
    pins.setdefault(canonicalize_name(name), f"{name}=={dist.version}")
print("\n".join(sorted(pins.values())))
