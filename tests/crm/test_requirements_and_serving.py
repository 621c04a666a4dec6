"""The image ships what the CRM runs with, and gunicorn is configured in one file.

Before: requirements.txt held pytest, Playwright and schemathesis, so the
Docker image installed them; the gunicorn flags were written three times
(Dockerfile, docker-compose.yml, bench/run.py) and disagreed (the image's
workers timed out at 30 s, compose's at 60 s).
"""

import re
import runpy
from pathlib import Path

import yaml
from django.conf import settings
from gunicorn.config import Config

ROOT = Path(settings.BASE_DIR)
DEV_TOOLS = {
    "pytest",
    "pytest-django",
    "factory-boy",
    "time-machine",
    "playwright",
    "ruff",
    "schemathesis",
    "moto",
}


def _names(path):
    lines = (line.split("#")[0].strip() for line in path.read_text().splitlines())
    return {re.split(r"[=<>~\[ ]", line)[0].lower() for line in lines if line and line[0] != "-"}


def test_runtime_requirements_hold_no_test_tools():
    runtime = _names(ROOT / "requirements.txt")
    assert "django" in runtime and "gunicorn" in runtime
    assert runtime & DEV_TOOLS == set()


def test_dev_requirements_add_the_tools_to_the_runtime_ones():
    text = (ROOT / "requirements-dev.txt").read_text()
    assert "-r requirements.txt" in text.splitlines()
    assert _names(ROOT / "requirements-dev.txt") == DEV_TOOLS


def test_the_image_installs_the_runtime_requirements_only():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install -r requirements.txt" in dockerfile
    assert "-r requirements-dev.txt" not in dockerfile


def test_the_scripts_install_dev_for_tests_and_runtime_to_run():
    assert "ensure_venv dev" in (ROOT / "scripts/test").read_text()
    assert "ensure_venv runtime" in (ROOT / "scripts/run").read_text()


GUNICORN_FLAGS = re.compile(r"--(?:bind|workers|timeout|access-logfile|log-level|worker-class)")


def test_no_gunicorn_flags_outside_its_config():
    bench = (ROOT / "bench/run.py").read_text()
    start = bench.index("def start_gunicorn")
    # The benchmark's own --workers option is not gunicorn's: only its start of gunicorn counts.
    texts = {
        "Dockerfile": (ROOT / "Dockerfile").read_text(),
        "docker-compose.yml web": yaml.safe_load((ROOT / "docker-compose.yml").read_text())[
            "services"
        ]["web"]["command"],
        "scripts/run": (ROOT / "scripts/run").read_text(),
        "bench/run.py start_gunicorn": bench[start : bench.index("\ndef ", start)],
    }
    for name, text in texts.items():
        assert "gunicorn" in text or name == "scripts/run", name
        assert GUNICORN_FLAGS.findall(text) == [], name
    assert 'CMD ["gunicorn"]' in (ROOT / "Dockerfile").read_text()


def test_the_config_holds_gunicorn_settings(monkeypatch):
    for name in ("GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_ACCESS_LOG", "GUNICORN_LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    values = {
        key: value
        for key, value in runpy.run_path(str(ROOT / "gunicorn.conf.py")).items()
        if not key.startswith("_") and not callable(value) and key not in ("logging", "os")
    }
    # Each name is a setting gunicorn knows (a misspelt one would be ignored silently).
    assert set(values) <= set(Config().settings)
    assert values["wsgi_app"] == "config.wsgi:application"
    assert (values["bind"], values["workers"], values["timeout"]) == ("0.0.0.0:8000", 3, 60)
    assert values["accesslog"] == "-"


def test_the_benchmark_sets_its_server_through_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:8765")
    monkeypatch.setenv("GUNICORN_WORKERS", "4")
    monkeypatch.setenv("GUNICORN_ACCESS_LOG", "")
    values = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (values["bind"], values["workers"], values["accesslog"]) == ("127.0.0.1:8765", 4, None)
