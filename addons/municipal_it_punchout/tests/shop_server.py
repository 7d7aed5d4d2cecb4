# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The simulated reseller's shop served by a plain HTTP server of its own, as
a real shop is: the cXML setup and order requests Odoo sends are real HTTP
requests to another server."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from ..tools.demo_shop import DemoShop


class ShopServer:
    def __init__(self):
        shop_server = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                form = parse_qs(url.query, keep_blank_values=True)
                if self.headers.get("Content-Type", "").startswith(
                    "application/x-www-form-urlencoded"
                ):
                    form.update(parse_qs(body.decode(), keep_blank_values=True))
                path = url.path.removeprefix("/punchout_demo_shop")
                status, content_type, content, is_page = shop_server.shop.handle(
                    self.command, path, form, body
                )
                if is_page:
                    content = f"<html><body>{content}</body></html>"
                if isinstance(content, str):
                    content = content.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = _handle
            do_POST = _handle

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        port = self.httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{port}/punchout_demo_shop"
        self.shop = DemoShop(self.base_url)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
