"""Screenshots of the main pages for the README, made from the demo data.

    .venv/bin/python scripts/screenshots.py            # into docs/screenshots/
    .venv/bin/python scripts/screenshots.py --out /tmp/shots --lang en

It builds a scratch demo database (``migrate`` and ``seed_demo`` in a temporary
``CRM_VAR_DIR``: the real database, media and broker are not touched), starts
``runserver`` on it, logs in as the demo roles in Chromium (Playwright with
/usr/bin/chromium) and saves each page as a JPEG (quality 80, one screen high)
at phone size (390×844, the customer manager) and desktop size (1366×900, the
regional manager and the admin). Run it again after a change to the pages.
"""

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
DEMO_PASSWORD = "demo-pass-2026"
LANGUAGES = {"zh-hans": "zh-CN", "en": "en-US"}


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url, server, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The server stopped (exit code {server.returncode}).")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"The server did not answer at {url} within {timeout} s.")


def _manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs
    )


def _pages():
    """(file name, user, viewport, path) of every screenshot, from the demo data."""
    from django.urls import reverse

    from complaints.models import Complaint
    from crm.models import Customer, User
    from reports.models import MonthlyReport
    from visits.models import Visit

    zhang = Customer.objects.filter(manager__username="mgr_zhang").order_by("code")
    customer = zhang.filter(contacts__isnull=False).first() or zhang.first()
    visit = (
        Visit.objects.filter(manager__username="mgr_zhang", status=Visit.Status.LOCKED)
        .order_by("-arrived_at")
        .first()
    )
    east = User.objects.get(username="rm_east").region_id
    east_complaints = Complaint.objects.filter(customer__region_id=east).order_by("-pk")
    complaint = (
        east_complaints.filter(status=Complaint.Status.SUBMITTED).first() or east_complaints.first()
    )
    report = (
        MonthlyReport.objects.filter(region_id=east, status=MonthlyReport.Status.SUBMITTED)
        .order_by("-pk")
        .first()
        or MonthlyReport.objects.filter(region_id=east).order_by("-pk").first()
    )
    pages = [
        ("phone-today", "mgr_zhang", PHONE, reverse("home")),
        ("phone-customers", "mgr_zhang", PHONE, reverse("customer_list")),
        ("phone-week", "mgr_zhang", PHONE, reverse("visits:schedule")),
    ]
    if customer:
        pages.append(("phone-customer", "mgr_zhang", PHONE, customer.get_absolute_url()))
    if visit:
        pages.append(
            ("phone-visit", "mgr_zhang", PHONE, reverse("visits:visit_detail", args=[visit.pk]))
        )
    pages += [
        ("desktop-regional-home", "rm_east", DESKTOP, reverse("home")),
        ("desktop-complaints", "rm_east", DESKTOP, reverse("complaints:list")),
    ]
    if complaint:
        pages.append(
            (
                "desktop-complaint",
                "rm_east",
                DESKTOP,
                reverse("complaints:detail", args=[complaint.pk]),
            )
        )
    if report:
        pages.append(
            (
                "desktop-report",
                "rm_east",
                DESKTOP,
                reverse("reports:report_detail", args=[report.pk]),
            )
        )
    pages += [
        ("desktop-month-overview", "admin", DESKTOP, reverse("reports:month")),
        ("desktop-satisfaction", "admin", DESKTOP, reverse("satisfaction:index")),
        ("desktop-users", "admin", DESKTOP, reverse("user_list")),
    ]
    return pages


def _shoot(base_url, pages, out, locale):
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        # The browser's own language too: date and month fields are drawn in it.
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, f"--lang={locale}"]
        )
        contexts = {}
        try:
            for name, username, viewport, path in pages:
                key = (username, viewport["width"])
                if key not in contexts:
                    context = browser.new_context(
                        viewport=viewport, locale=locale, device_scale_factor=1
                    )
                    page = context.new_page()
                    page.goto(f"{base_url}/accounts/login/")
                    page.fill("input[name=username]", username)
                    page.fill("input[name=password]", DEMO_PASSWORD)
                    page.click("form button[type=submit]")
                    page.wait_for_url(lambda url: "/accounts/login/" not in url)
                    contexts[key] = page
                page = contexts[key]
                response = page.goto(f"{base_url}{path}")
                if response is None or not response.ok:
                    # An error page is no picture of the product: stop, say which page.
                    status = response.status if response is not None else "no answer"
                    raise SystemExit(f"{path} as {username} answered {status}")
                page.wait_for_load_state("networkidle")
                # Charts draw after the load; a moment lets their animation end.
                page.wait_for_timeout(600)
                target = out / f"{name}.jpg"
                page.screenshot(path=str(target), type="jpeg", quality=80)
                print(
                    f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}"
                    f"  {username}  {viewport['width']}×{viewport['height']}  {path}"
                )
        finally:
            browser.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--lang", choices=sorted(LANGUAGES), default="zh-hans")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="crm-screenshots-"))
    port = args.port or _free_port()
    env = {
        **os.environ,
        "CRM_VAR_DIR": str(scratch),
        "DATABASE_URL": f"sqlite:///{scratch / 'demo.sqlite3'}",
        "DEBUG": "True",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)
    server = None
    try:
        print(f"Demo database in {scratch}")
        _manage(env, "migrate", "--noinput", stdout=subprocess.DEVNULL)
        _manage(env, "seed_demo")
        log = (scratch / "server.log").open("w")
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            _wait_for(f"{base_url}/healthz/", server)
        except SystemExit:
            print((scratch / "server.log").read_text()[-3000:])
            raise

        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        pages = _pages()
        _shoot(base_url, pages, args.out, LANGUAGES[args.lang])
    finally:
        if server is not None:
            server.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=10)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
