"""The mixed load of the benchmark: managers, regional managers and a few admins.

``bench/run.py`` starts it headless; it reads the personas (username, role,
customer and visit ids they may see, search terms) from the JSON file named
by ``BENCH_PERSONAS``. Each simulated user logs in once through the login
form, then browses. Request names are the rows of the results table.

The first ``BENCH_WARM_UP`` seconds are not counted: twenty users logging in
at once (each password check is a deliberately slow hash) and gunicorn's
workers compiling templates on their first requests are the start of the
test, not the steady state it measures. The statistics are reset after them.
"""

import itertools
import json
import os
import random
import re

import gevent
from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("BENCH_PASSWORD", "scale-pass-2026")
with open(os.environ["BENCH_PERSONAS"], encoding="utf-8") as handle:
    PERSONAS = json.load(handle)
_NEXT = {role: itertools.count() for role in PERSONAS}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
WARM_UP = float(os.environ.get("BENCH_WARM_UP", "0"))


@events.test_start.add_listener
def _count_after_warm_up(environment, **_kwargs):
    if WARM_UP > 0 and environment.runner is not None:
        gevent.spawn_later(WARM_UP, environment.runner.stats.reset_all)


class _Persona(HttpUser):
    abstract = True
    role = ""
    wait_time = between(0.5, 1.5)

    def on_start(self):
        people = PERSONAS[self.role]
        self.me = people[next(_NEXT[self.role]) % len(people)]
        page = self.client.get("/accounts/login/", name="login")
        token = CSRF.search(page.text).group(1)
        response = self.client.post(
            "/accounts/login/",
            {"username": self.me["username"], "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="login",
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise RuntimeError(f"login failed for {self.me['username']}: {response.status_code}")

    def get(self, url, name):
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {url}")


class _Staff(_Persona):
    abstract = True

    @task(4)
    def customer_list_filtered(self):
        grade = random.choice(["B1", "B2", "C", "D"])
        self.get(f"/customers/?grade={grade}&network_status=active", "customers: list, filtered")

    @task(4)
    def customer_detail(self):
        self.get(f"/customers/{random.choice(self.me['customers'])}/", "customers: detail")

    @task(2)
    def customer_search(self):
        self.get(f"/customers/?q={random.choice(self.me['terms'])}", "customers: search")

    @task(3)
    def visit_list(self):
        self.get("/visits/list/", "visits: list")

    @task(2)
    def visit_detail(self):
        self.get(f"/visits/{random.choice(self.me['visits'])}/", "visits: detail")

    @task(2)
    def complaint_list(self):
        self.get("/complaints/", "complaints: list")

    @task(2)
    def report_list(self):
        self.get("/reports/", "reports: list")

    @task(1)
    def sales_list(self):
        self.get("/sales/", "sales: list")

    @task(1)
    def api_sales(self):
        self.get("/api/sales/?page_size=50", "api: sales")

    @task(1)
    def api_customers(self):
        self.get("/api/customers/?page_size=50", "api: customers")

    @task(1)
    def api_visits(self):
        self.get("/api/visits/records/?page_size=50", "api: visit records")

    @task(1)
    def api_complaints(self):
        self.get("/api/complaints/?page_size=50", "api: complaints")

    @task(1)
    def api_reports(self):
        self.get("/api/reports/?page_size=50", "api: reports")


class Manager(_Staff):
    weight = 13
    role = "manager"


class RegionalManager(_Staff):
    weight = 5
    role = "regional_manager"


class Admin(_Persona):
    """Searches the whole archive and pages through all 50,000 customers."""

    weight = 2
    role = "admin"

    @task(3)
    def customer_search(self):
        self.get(f"/customers/?q={random.choice(self.me['terms'])}", "customers: search, all")

    @task(1)
    def first_page(self):
        self.get("/customers/?page=1", "customers: all, page 1")

    @task(1)
    def page_1000(self):
        self.get("/customers/?page=1000", "customers: all, page 1000")

    @task(1)
    def sales(self):
        self.get("/sales/", "sales: all")

    @task(1)
    def visits_first_page(self):
        self.get("/visits/list/?page=1", "visits: all, page 1")

    @task(1)
    def visits_page_1000(self):
        self.get("/visits/list/?page=1000", "visits: all, page 1000")
