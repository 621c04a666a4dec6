"""The deployment: health endpoint and the shape of docker-compose.yml."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from config import health

COMPOSE = Path(settings.BASE_DIR) / "docker-compose.yml"


@pytest.mark.django_db
def test_health_reports_database_and_broker(client):
    response = client.get("/healthz/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_health_answers_503_when_the_broker_is_down(client, monkeypatch):
    monkeypatch.setattr(health, "_broker_ok", lambda: False)

    response = client.get("/healthz/")

    assert response.status_code == 503
    assert response.json()["broker"] == "unavailable"


def test_compose_runs_web_worker_and_a_single_beat_on_postgres_and_redis():
    services = yaml.safe_load(COMPOSE.read_text())["services"]

    assert set(services) == {"db", "redis", "web", "worker", "beat"}
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert "migrate" in services["web"]["command"]
    assert "gunicorn" in services["web"]["command"]
    assert "celery -A config worker" in services["worker"]["command"]
    assert "celery -A config beat" in services["beat"]["command"]
    assert services["beat"]["deploy"]["replicas"] == 1
    assert "/healthz/" in " ".join(services["web"]["healthcheck"]["test"])
    for name in ("db", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    env = services["web"]["environment"]
    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["REDIS_URL"].startswith("redis://")
    assert env["DEBUG"] == "False"
