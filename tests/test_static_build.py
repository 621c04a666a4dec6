"""The image's static build: collectstatic with the production storage (hashed,
compressed names) succeeds, so every reference in the vendored files resolves and
every page's {% static %} has a manifest entry."""

import json

import pytest
from django.core.management import call_command
from django.test import override_settings

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # The image compresses too (whitenoise); the names and references are the same.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}


@pytest.mark.django_db
def test_collectstatic_with_the_production_storage(tmp_path, client, manager):
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=PRODUCTION_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
        paths = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
        for name in (
            "js/sw.js",
            "js/field.js",
            "icons/icon-192.png",
            "vendor/chartjs/chart.umd.min.js",
        ):
            assert name in paths, name
        # Pages name their files through the manifest: a missing entry would be a 500.
        client.force_login(manager)
        for url in ("/visits/today/", "/visits/field/", "/", "/offline/"):
            assert client.get(url).status_code == 200, url
