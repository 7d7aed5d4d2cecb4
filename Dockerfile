# Odoo 18.0 (official image) with what the municipal IT addons need.
FROM odoo:18.0
USER root
COPY requirements.txt /tmp/requirements.txt
# The image's Python is Debian's (PEP 668): pip needs --break-system-packages.
# Odoo comes from Debian's package there, which pip does not see, so the OCA
# addon wheel is installed without its "odoo" requirement.
RUN grep -v report_xlsx /tmp/requirements.txt > /tmp/requirements-pypi.txt \
    && pip3 install --no-cache-dir --break-system-packages -r /tmp/requirements-pypi.txt \
    && pip3 install --no-cache-dir --break-system-packages --no-deps \
        "$(grep report_xlsx /tmp/requirements.txt)" \
    && rm /tmp/requirements*.txt
USER odoo
