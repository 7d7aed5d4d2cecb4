#!/usr/bin/env python3
"""Take the user manual's screenshots from a running Odoo with the demo data.

    scripts/screenshots.py --url http://127.0.0.1:8069 --db municipal \
        [--login admin --password admin] [--out docs/images]

Logs in over JSON-RPC, hands the session cookie to headless Chromium (driven
through the DevTools protocol with websocket-client) and saves one PNG per page
of the short tour in docs/user-manual.md (which shows them from docs/images).
"""

import argparse
import base64
import json
import subprocess
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import websocket

PAGES = [
    ("01-devices", "/odoo/action-municipal_it_lease.maintenance_equipment_action_it"),
    ("02-schedules", "/odoo/action-municipal_it_lease.it_lease_schedule_action"),
    ("03-lease-end", "/odoo/action-municipal_it_lease.it_lease_line_action_lease_end"),
    ("04-charge-runs", "/odoo/action-municipal_it_lease.it_charge_run_action"),
    (
        "05-charge-analysis",
        "/odoo/action-municipal_it_lease.it_charge_line_action_analysis",
    ),
    (
        "06-lease-end-calendar",
        "/odoo/action-municipal_it_lease.maintenance_equipment_action_lease_end_calendar",
    ),
]


def login(url, db, user, password):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    payload = {
        "jsonrpc": "2.0",
        "params": {"db": db, "login": user, "password": password},
    }
    request = urllib.request.Request(
        f"{url}/web/session/authenticate",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    with opener.open(request, timeout=60) as response:
        body = json.load(response)
    if body.get("error"):
        raise SystemExit(f"login refused: {body['error']}")
    return next(cookie.value for cookie in jar if cookie.name == "session_id")


class Page:
    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=60)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                return message.get("result", {})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="municipal")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--out", default="docs/images")
    parser.add_argument("--port", type=int, default=9333)
    args = parser.parse_args()

    session = login(args.url, args.db, args.login, args.password)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        browser = subprocess.Popen(
            [
                "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                f"--remote-debugging-port={args.port}",
                f"--user-data-dir={profile}",
                "--window-size=1440,900",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _attempt in range(60):
                try:
                    with urllib.request.urlopen(
                        f"http://127.0.0.1:{args.port}/json", timeout=2
                    ) as response:
                        targets = json.load(response)
                    break
                except OSError:
                    time.sleep(0.5)
            target = next(t for t in targets if t["type"] == "page")
            page = Page(target["webSocketDebuggerUrl"])
            page.call("Network.enable")
            host = urllib.request.urlparse(args.url).hostname
            page.call(
                "Network.setCookie",
                name="session_id",
                value=session,
                domain=host,
                path="/",
            )
            for name, path in PAGES:
                page.call("Page.navigate", url=f"{args.url}{path}")
                # The web client loads its assets, then the action's view.
                for _tick in range(120):
                    time.sleep(0.5)
                    state = page.call(
                        "Runtime.evaluate",
                        expression="!!document.querySelector("
                        "'.o_view_controller .o_content > *')",
                        returnByValue=True,
                    )
                    if state.get("result", {}).get("value"):
                        break
                time.sleep(2)
                shot = page.call("Page.captureScreenshot", format="png")
                (out / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))
                print(out / f"{name}.png")
        finally:
            browser.terminate()


if __name__ == "__main__":
    main()
