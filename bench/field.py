"""The today page on a slow mobile link, in real Chromium: prints figures, asserts nothing.

    .venv/bin/python bench/field.py --url http://127.0.0.1:8000 --user mgr_zhang

Chromium's network emulation: about 1.6 Mbit/s down, 750 kbit/s up, 150 ms round
trip (DevTools' "Fast 3G"). Measured for a manager already logged in:

- first load: the today page with an empty cache (no service worker yet): until
  the load event, and until a "Start" button can be pressed; bytes transferred;
- from the service worker's cache: the same page with the network cut, after it
  was opened once online;
- the field page (/visits/field/) from the cache, until it is ready to log a visit.

Targets (issue 14): first load ≤ 3 s, from the cache ≤ 1 s, ≤ 300 KB on first load.
Run it against a server as users get it (DEBUG off, static files compressed by
WhiteNoise: `collectstatic`, then gunicorn) for the real transfer size.
"""

import argparse
import time

from playwright.sync_api import sync_playwright

SLOW_3G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}


def log_in(page, url, user, password):
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url(lambda current: "/accounts/login/" not in current)


def transferred(page):
    return page.evaluate(
        "() => performance.getEntriesByType('navigation').concat("
        "performance.getEntriesByType('resource'))"
        ".reduce((sum, e) => sum + (e.transferSize || 0), 0)"
    )


def timed_load(page, target, ready_selector):
    started = time.perf_counter()
    page.goto(target, wait_until="load")
    loaded = time.perf_counter() - started
    page.wait_for_selector(ready_selector, state="visible")
    ready = time.perf_counter() - started
    return loaded, ready


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="mgr_zhang")
    parser.add_argument("--password", default="demo-pass-2026")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    url = args.url.rstrip("/")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        phone = {"viewport": {"width": 390, "height": 844}, "locale": "zh-CN"}
        login_context = browser.new_context(**phone)
        login_page = login_context.new_page()
        log_in(login_page, url, args.user, args.password)
        session = login_context.storage_state()
        login_context.close()
        # A fresh context with the session only: no service worker, no HTTP cache.
        context = browser.new_context(storage_state=session, **phone)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        start_button = "form[data-geolocation] button[type=submit]"
        loaded, ready = timed_load(page, f"{url}/visits/today/", start_button)
        size = transferred(page)
        print(
            f"first load of /visits/today/ on slow 3G: load {loaded:.2f} s, "
            f"Start usable {ready:.2f} s, {size / 1024:.0f} KB transferred "
            "(targets: 3 s, 300 KB)"
        )
        page.wait_for_selector("html[data-offline-ready=true]", timeout=60000)

        cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
        cdp.send("Network.emulateNetworkConditions", {**SLOW_3G, "offline": True})
        context.set_offline(True)
        context.route("**/*", lambda route: route.abort("internetdisconnected"))
        loaded, ready = timed_load(page, f"{url}/visits/today/", "[data-testid=offline-banner]")
        print(
            "/visits/today/ from the service worker's cache, network cut: "
            f"load {loaded:.2f} s, shown {ready:.2f} s (target: 1 s)"
        )
        field = "[data-field-app][data-ready=true]"
        loaded, ready = timed_load(page, f"{url}/visits/field/", field)
        print(
            f"/visits/field/ from the cache, network cut: load {loaded:.2f} s, "
            f"ready to log a visit {ready:.2f} s"
        )
        browser.close()


if __name__ == "__main__":
    main()
