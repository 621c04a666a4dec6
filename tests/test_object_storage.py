"""Uploaded files on S3-compatible object storage (``S3_BUCKET``), against moto's S3 server.

One S3 server (moto, in a thread of the test process) for the module, its
bucket emptied after each test. The in-process tests switch the default
storage to the one ``config.settings.s3_storage()`` builds from the S3_*
variables; the two-machine test starts two gunicorn web servers on the test
database with those variables and a MEDIA_ROOT each, so they share no disk.
"""

import hashlib
import io
import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer
from openpyxl import Workbook

import config.settings as project_settings
from core import export_jobs, exports, pdf
from crm.models import SalesImport, SalesRecord
from tests import factories
from tests.browser_support import seeded  # noqa: F401 - the two-machine test's grades
from tests.visits.conftest import data_url, make_visit
from tests.workers import database_url
from visits.models import Signature

BUCKET = "crm-files"
PREFIX = "crm"
KEYS = {"S3_ACCESS_KEY_ID": "testing", "S3_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture(scope="module")
def s3_server():
    """moto's S3 server on a free port, with the bucket: (endpoint URL, boto3 client)."""
    # Its request log (werkzeug's) would fill every failure's report.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["S3_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    server.stop()


def s3_environment(endpoint):
    return {"S3_BUCKET": BUCKET, "S3_ENDPOINT_URL": endpoint, "S3_PREFIX": f"{PREFIX}/", **KEYS}


class Bucket:
    def __init__(self, client):
        self.client = client

    def keys(self, folder=""):
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=BUCKET, Prefix=f"{PREFIX}/{folder}"
        )
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def read(self, key):
        return self.client.get_object(Bucket=BUCKET, Key=key)["Body"].read()

    def empty(self):
        for key in self.keys():
            self.client.delete_object(Bucket=BUCKET, Key=key)


@pytest.fixture
def bucket(s3_server, settings, monkeypatch, tmp_path):
    """The default storage is the bucket, as ``S3_BUCKET`` and its neighbours set it."""
    endpoint, client = s3_server
    for name, value in s3_environment(endpoint).items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "default": project_settings.s3_storage()}
    settings.MEDIA_ROOT = tmp_path / "media"
    store = Bucket(client)
    yield store
    store.empty()


def files_under(root):
    return sorted(str(path) for path in Path(root).rglob("*") if path.is_file())


def test_the_environment_chooses_a_private_bucket_or_the_local_disk(monkeypatch):
    for name in ("S3_BUCKET", "S3_ENDPOINT_URL", "S3_PREFIX", "S3_REGION", *KEYS):
        monkeypatch.delenv(name, raising=False)
    assert project_settings.s3_storage() is None

    for name, value in s3_environment("http://minio:9000").items():
        monkeypatch.setenv(name, value)
    storage = project_settings.s3_storage()

    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert (options["bucket_name"], options["location"], options["region_name"]) == (
        BUCKET,
        PREFIX,
        "us-east-1",
    )
    assert (options["endpoint_url"], options["addressing_style"]) == ("http://minio:9000", "path")
    assert (options["access_key"], options["secret_key"]) == ("testing", "testing")
    # Private objects, signed short-lived URLs, no stored file ever replaced.
    assert options["default_acl"] is None
    assert options["querystring_auth"] is True
    assert options["querystring_expire"] <= 300
    assert options["file_overwrite"] is False


def test_the_pdf_fetcher_reads_stored_files_by_name_and_nothing_outside(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    name = default_storage.save("signatures/drawn.png", ContentFile(b"drawn"))

    fetched = pdf.url_fetcher(pdf.BASE_URL + pdf.media_path(name).lstrip("/"))

    assert (fetched["string"], fetched["mime_type"]) == (b"drawn", "image/png")
    for outside in (
        "media/%2e%2e/%2e%2e/config/settings.py",
        "media/%2Fetc%2Fpasswd",
        "media/signatures%5C..%5C..%5Cconfig%5Csettings.py",
        "media/signatures/missing.png",
    ):
        with pytest.raises(pdf.RefusedURL):
            pdf.url_fetcher(pdf.BASE_URL + outside)


def test_a_signature_is_kept_in_the_bucket_and_shown_only_to_those_who_see_the_visit(
    bucket, login, api_login, manager, outsider, customer
):
    visit = make_visit(manager, customer, stage="manager_signed")
    signature = Signature.objects.get(visit=visit)

    [key] = bucket.keys("signatures/")
    assert key == f"{PREFIX}/{signature.image.name}"
    assert hashlib.sha256(bucket.read(key)).hexdigest() == signature.image_sha256
    assert files_under(django_settings.MEDIA_ROOT) == []

    url = reverse("visits:signature_image", args=[visit.pk, "manager"])
    response = login(manager).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == bucket.read(key)
    assert response["Cache-Control"] == "private, no-store"
    assert login(outsider).get(url).status_code == 404

    # The API links the access-checked route, never the bucket.
    body = api_login(manager).get(f"/api/visits/records/{visit.pk}/").content.decode()
    assert f"/visits/{visit.pk}/signature/manager.png" in body
    assert BUCKET not in body and "Amz" not in body


def test_the_visit_pdf_shows_the_signatures_read_from_the_bucket(bucket, login, manager, customer):
    visit = make_visit(manager, customer, stage="locked")
    client = login(manager)
    url = reverse("visits:visit_pdf", args=[visit.pk])

    # Two signatures (each PNG an image and its transparency mask).
    assert client.get(url).content.count(b"/Subtype /Image") == 4

    # Out of the bucket, out of the document: the images came from there.
    bucket.empty()
    assert client.get(url).content.count(b"/Subtype /Image") == 0


def test_a_big_export_is_written_to_the_bucket_downloaded_from_it_and_deleted(
    bucket, login, manager, teammate, travel
):
    factories.CustomerFactory(manager=manager, name="云端便利店")
    travel("2026-10-01 10:00")
    job = export_jobs.start_job(
        user=manager, export=exports.get("customers"), file_format="csv", params={}
    )
    export_jobs.run_job(job.pk)
    job.refresh_from_db()

    [key] = bucket.keys("exports/")
    assert key == f"{PREFIX}/{job.file.name}"
    assert "云端便利店" in bucket.read(key).decode("utf-8-sig")
    assert files_under(django_settings.MEDIA_ROOT) == []

    url = reverse("export_download", args=[job.pk])
    response = login(manager).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == bucket.read(key)
    assert login(teammate).get(url).status_code == 404

    travel("2026-10-08 10:01")
    assert export_jobs.delete_expired() == 1
    assert bucket.keys("exports/") == []


def test_a_queued_sales_import_waits_in_the_bucket_and_the_worker_reads_it_there(
    bucket, settings, api_login, manager, django_capture_on_commit_callbacks
):
    settings.SALES_IMPORT_SYNC_ROWS = 2
    codes = [factories.CustomerFactory(manager=manager, code=f"S3C{n}").code for n in range(2)]
    workbook = Workbook()
    workbook.active.append(["客户编码", "月份", "购进数量", "购进金额"])
    for code in codes:
        for month in ("2026-01", "2026-02"):
            workbook.active.append([code, month, 10, 2000])
    data = io.BytesIO()
    workbook.save(data)
    client = api_login(manager)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            "/api/sales/import/",
            {"file": SimpleUploadedFile("sales.xlsx", data.getvalue())},
            format="multipart",
        )
    assert response.status_code == 202
    [key] = bucket.keys("sales-imports/")
    assert bucket.read(key) == data.getvalue()

    for callback in callbacks:
        callback()

    assert SalesImport.objects.get().status == SalesImport.Status.DONE
    assert SalesRecord.objects.count() == 4
    assert bucket.keys("sales-imports/") == []
    assert files_under(django_settings.MEDIA_ROOT) == []


# Two web machines that share the database and the bucket, not a disk -----------------


class _OneRound(PBKDF2PasswordHasher):
    """A password the web servers' own hashers check (they do not have the tests' MD5)."""

    iterations = 1


PASSWORD = "two-machines-2026"


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_web(name, tmp_path, endpoint):
    port = _free_port()
    home = tmp_path / name
    (home / "media").mkdir(parents=True)
    log = (home / "web.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn"],
        cwd=Path(django_settings.BASE_DIR),
        env={
            # The test database alone: no read replica named by the environment.
            **{name: value for name, value in os.environ.items() if name != "DATABASE_REPLICA_URL"},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url(),
            "MEDIA_ROOT": str(home / "media"),
            "CRM_VAR_DIR": str(home / "var"),
            "DEBUG": "False",
            "SECRET_KEY": "two-machines-test-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "False",
            "SESSION_COOKIE_SECURE": "False",
            "CSRF_COOKIE_SECURE": "False",
            "CELERY_TASK_ALWAYS_EAGER": "True",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "1",
            "GUNICORN_ACCESS_LOG": "",
            **s3_environment(endpoint),
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return {"process": process, "base": f"http://127.0.0.1:{port}", "home": home, "log": log}


def _wait_until_up(node):
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        if node["process"].poll() is not None:
            break
        try:
            with urllib.request.urlopen(node["base"] + "/healthz/", timeout=10):
                return
        except OSError:  # not listening yet, or the worker still starting
            time.sleep(0.2)
    node["log"].flush()
    pytest.fail(f"web server did not start:\n{(node['home'] / 'web.log').read_text()}")


def _call(url, *, token=None, body=None):
    headers = {"Accept-Language": "en"}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def two_web_machines(s3_server, tmp_path):
    endpoint, client = s3_server
    nodes = [_start_web(name, tmp_path, endpoint) for name in ("a", "b")]
    try:
        for node in nodes:
            _wait_until_up(node)
        yield nodes
    finally:
        for node in nodes:
            node["process"].terminate()
        for node in nodes:
            try:
                node["process"].wait(timeout=15)
            except subprocess.TimeoutExpired:
                node["process"].kill()
            node["log"].close()
        Bucket(client).empty()


@pytest.mark.django_db(transaction=True)
def test_a_signature_uploaded_on_one_web_machine_is_shown_by_the_other(
    seeded,  # noqa: F811
    two_web_machines,
    s3_server,
    manager,
    outsider,
    customer,
):
    node_a, node_b = two_web_machines
    for user in (manager, outsider):
        user.password = make_password(PASSWORD, hasher=_OneRound())
        user.save(update_fields=["password"])
    visit = make_visit(manager, customer, stage="ended")

    def token_on(node, user):
        status, body = _call(
            node["base"] + "/api/auth/token/",
            body={"username": user.username, "password": PASSWORD},
        )
        assert status == 200, body
        return json.loads(body)["token"]

    # Node A: the manager logs in; the manager, then the customer, sign the record.
    token = token_on(node_a, manager)
    for role, name in (("manager", ""), ("customer", "王店主")):
        status, body = _call(
            f"{node_a['base']}/api/visits/records/{visit.pk}/sign/",
            token=token,
            body={"role": role, "image": data_url(), "signer_name": name},
        )
        assert status == 200, body
    signature = Signature.objects.get(visit=visit, role="manager")

    # Node B, which has never seen the files: the record links the signature,
    # the route streams the same bytes as the bucket holds, the PDF shows both.
    status, body = _call(f"{node_b['base']}/api/visits/records/{visit.pk}/", token=token)
    assert status == 200, body
    shown = {item["role"]: item["image"] for item in json.loads(body)["signatures"]}
    assert shown["manager"] == f"{node_b['base']}/visits/{visit.pk}/signature/manager.png"
    status, image = _call(shown["manager"], token=token)
    assert status == 200
    assert hashlib.sha256(image).hexdigest() == signature.image_sha256
    _endpoint, client = s3_server
    key = f"{PREFIX}/{signature.image.name}"
    assert client.get_object(Bucket=BUCKET, Key=key)["Body"].read() == image
    status, document = _call(f"{node_b['base']}/api/visits/records/{visit.pk}/pdf/", token=token)
    assert status == 200, document
    assert document.count(b"/Subtype /Image") == 4  # two PNGs, each with its transparency

    # Another region's manager, on node B too: not theirs, so not there.
    status, _body = _call(shown["manager"], token=token_on(node_b, outsider))
    assert status == 404
    # No file was written on either machine's disk, and none is served from /media/.
    assert files_under(node_a["home"] / "media") == files_under(node_b["home"] / "media") == []
    status, _body = _call(f"{node_b['base']}/media/{signature.image.name}", token=token)
    assert status == 404


def test_the_django_admin_links_stored_files_by_their_checked_routes_not_the_bucket(
    bucket, s3_server, login, world, admin_user
):
    endpoint, _client = s3_server
    client = login(admin_user)
    pages = {
        "complaint": (
            reverse("admin:complaints_complaint_change", args=[world["complaint"].pk]),
            reverse("complaints:signature", args=[world["complaint_signature"].pk]),
        ),
        "promotion": (
            reverse("admin:visits_promotionreceipt_change", args=[world["promotion"].pk]),
            reverse("visits:promotion_signature", args=[world["promotion"].pk]),
        ),
        "unlicensed": (
            reverse("admin:visits_unlicensedreport_change", args=[world["unlicensed"].pk]),
            reverse("visits:unlicensed_photo", args=[world["unlicensed"].pk]),
        ),
    }
    for name, (page, route) in pages.items():
        html = client.get(page).content.decode()
        assert route in html, name
        assert endpoint not in html and "Amz" not in html, name
    photo_page = reverse(
        "admin:complaints_complaint_change", args=[world["complaint_photo"].complaint_id]
    )
    photo_route = reverse("complaints:photo", args=[world["complaint_photo"].pk])
    assert photo_route in client.get(photo_page).content.decode()
