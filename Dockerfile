# Odoo 18.0 (official image) with what the municipal IT addons need.
FROM odoo:18.0
USER root
COPY requirements.txt /tmp/requirements.txt
# The image's Python is Debian's (PEP 668): pip needs --break-system-packages.
RUN pip3 install --no-cache-dir --break-system-packages -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt
USER odoo
