# Odoo 18.0 (the official image) with what the municipal IT addons need.
#   target "runtime" (default for docker-compose's odoo service): Odoo + addons' requirements
#   target "tests": runtime + the test tools and a headless Chromium for Odoo's tours
FROM odoo:18.0 AS runtime
USER root
COPY requirements.txt /tmp/requirements.txt
COPY docker/image_constraints.py /usr/local/lib/municipal-it/image_constraints.py
COPY docker/entrypoint.sh /usr/local/bin/municipal-it-entrypoint
# The image's own Python packages are pip constraints (see image_constraints.py):
# pip adds what is missing and never replaces a version the image has. The OCA
# addon wheels require "odoo", which the image has as a distribution package that
# pip does not necessarily see, so they are installed without dependencies: they
# have none besides Odoo and each other, all listed in requirements.txt.
RUN set -eux; \
    python3 /usr/local/lib/municipal-it/image_constraints.py > /etc/municipal-it-constraints.txt; \
    grep -E '^odoo-addon-' /tmp/requirements.txt > /tmp/addons.txt; \
    grep -vE '^odoo-addon-' /tmp/requirements.txt > /tmp/python.txt; \
    pip3 install --no-cache-dir --break-system-packages \
        -c /etc/municipal-it-constraints.txt -r /tmp/python.txt; \
    pip3 install --no-cache-dir --break-system-packages --no-deps -r /tmp/addons.txt; \
    rm /tmp/addons.txt /tmp/python.txt /tmp/requirements.txt
# PDFs (the custody document, reports) need wkhtmltopdf: the official image
# ships Odoo's recommended build. The build fails rather than an image that
# would serve HTML instead of PDFs.
RUN wkhtmltopdf --version
USER odoo
ENTRYPOINT ["municipal-it-entrypoint"]
CMD ["odoo"]

FROM runtime AS tests
USER root
COPY requirements-test.txt /tmp/requirements-test.txt
# Odoo's browser tours need Chromium. The image's Ubuntu ships it only as a snap,
# which does not run in a container: Playwright's build of Chromium (with its
# system libraries from apt) is used and put on the PATH as "chromium". 1.44.0
# is the Playwright whose greenlet pin (3.0.3) is the version Ubuntu 24.04 has.
ENV PLAYWRIGHT_BROWSERS_PATH=/opt/ms-playwright
RUN set -eux; \
    grep -vE '^-r ' /tmp/requirements-test.txt > /tmp/test-tools.txt; \
    pip3 install --no-cache-dir --break-system-packages \
        -c /etc/municipal-it-constraints.txt -r /tmp/test-tools.txt playwright==1.44.0; \
    python3 -m playwright install --with-deps chromium; \
    ln -s "$(find /opt/ms-playwright -type f -name chrome -path '*chrome-linux*' | head -1)" \
        /usr/local/bin/chromium; \
    chromium --headless --no-sandbox --disable-gpu --dump-dom about:blank >/dev/null; \
    rm -rf /tmp/requirements-test.txt /tmp/test-tools.txt /var/lib/apt/lists/*
ENTRYPOINT []
