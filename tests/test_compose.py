"""The multi-node deployment (docker-compose.cluster.yml) holds together.

No Docker here: the compose file is read as YAML (anchors and merge keys as
Compose reads them) and its references are checked, and the environment it
gives the CRM is run through config/settings.py to see what a node would do.
"""

import os
import re
import runpy
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CLUSTER = ROOT / "docker-compose.cluster.yml"
NGINX = ROOT / "deploy" / "nginx.conf"
CRM_SERVICES = {"migrate", "web1", "web2", "worker", "beat1", "beat2"}
# What an operator puts in .env (deploy/cluster.env.example).
SECRETS = {
    "SECRET_KEY": "k" * 50,
    "POSTGRES_PASSWORD": "pg-secret",
    "REPLICATION_PASSWORD": "repl-secret",
    "MINIO_ROOT_PASSWORD": "minio-secret",
    "S3_SECRET_ACCESS_KEY": "s3-secret-key",
    "ALLOWED_HOSTS": "crm.example.org",
}


@pytest.fixture(scope="module")
def services():
    return yaml.safe_load(CLUSTER.read_text())["services"]


def _interpolate(value, env):
    """Compose's ${NAME}, ${NAME:-default} and ${NAME:?error}; $$ is a dollar."""

    def substitute(match):
        name, operator, argument = match.group(1), match.group(2), match.group(3)
        if operator == ":?" and not env.get(name):
            raise LookupError(f"{name}: {argument}")
        if operator == ":-" and not env.get(name):
            return argument
        return env.get(name, "")

    text = re.sub(r"\$\{(\w+)(?:(:-|:\?)([^}]*))?\}", substitute, str(value))
    return text.replace("$$", "$")


def _environment(service, env=SECRETS):
    return {name: _interpolate(value, env) for name, value in service["environment"].items()}


def _settings_of(service, monkeypatch):
    """config/settings.py as a node of this service would run it."""
    for name in list(os.environ):
        if name.startswith(("S3_", "DATABASE_", "REDIS_", "BEAT_", "REPLICA_")):
            monkeypatch.delenv(name)
    for name, value in _environment(service).items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "config" / "settings.py"))


def _host(url):
    return urlsplit(url).hostname


def test_every_reference_names_something_that_exists(services):
    declared_volumes = set(yaml.safe_load(CLUSTER.read_text())["volumes"])
    for name, service in services.items():
        for dependency, condition in service.get("depends_on", {}).items():
            assert dependency in services, (name, dependency)
            assert condition["condition"] in {
                "service_started",
                "service_healthy",
                "service_completed_successfully",
            }
            if condition["condition"] == "service_healthy":
                assert "healthcheck" in services[dependency], dependency
            if condition["condition"] == "service_completed_successfully":
                # A one-shot restarted after it finished would run forever.
                assert services[dependency]["restart"] == "no", dependency
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).is_file(), (name, source)
            else:
                assert source in declared_volumes, (name, source)


def test_no_service_starts_without_a_secret(services):
    for name in ("db", "db-replica", "minio", "minio-init", *CRM_SERVICES):
        _environment(services[name])  # every ${NAME:?...} is given
    with pytest.raises(LookupError, match="SECRET_KEY"):
        _environment(services["web1"], {**SECRETS, "SECRET_KEY": ""})


def test_the_crm_nodes_reach_the_shared_pieces_by_the_names_the_settings_read(services):
    for name in CRM_SERVICES:
        env = _environment(services[name])
        assert _host(env["DATABASE_URL"]) == "db", name
        assert _host(env["DATABASE_REPLICA_URL"]) == "db-replica", name
        assert int(env["REPLICA_PIN_SECONDS"]) > 0
        assert _host(env["REDIS_URL"]) == "redis", name
        assert _host(env["S3_ENDPOINT_URL"]) == "minio", name
        for variable in ("S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "S3_REGION"):
            assert env[variable], (name, variable)
        # Nothing on a node's disk that another node needs: files are in the bucket.
        assert "volumes" not in services[name], name
        assert "ports" not in services[name], name
    # The bucket and the key minio-init makes are the ones the CRM uses.
    init = _environment(services["minio-init"])
    web = _environment(services["web1"])
    for variable in ("S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"):
        assert init[variable] == web[variable], variable
    assert _host(init["MINIO_URL"]) == "minio"


def test_a_web_node_runs_on_the_replica_the_bucket_and_redbeat(services, monkeypatch):
    node = _settings_of(services["web1"], monkeypatch)

    assert node["DATABASES"]["default"]["HOST"] == "db"
    assert node["DATABASES"]["replica"]["HOST"] == "db-replica"
    storage = node["STORAGES"]["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "crm-media"
    assert storage["OPTIONS"]["endpoint_url"] == "http://minio:9000"
    assert node["CELERY_BEAT_SCHEDULER"] == "redbeat.RedBeatScheduler"
    assert node["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert "127.0.0.1" in node["ALLOWED_HOSTS"]  # the health checks' address
    assert "crm.example.org" in node["ALLOWED_HOSTS"]


def test_one_migration_two_web_nodes_two_beats_behind_one_proxy(services):
    commands = {name: str(service.get("command", "")) for name, service in services.items()}
    assert [name for name, command in commands.items() if "migrate" in command] == ["migrate"]
    for name in ("web1", "web2"):
        assert commands[name] == "gunicorn"
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
        assert "/healthz/" in " ".join(services[name]["healthcheck"]["test"])
    beats = [name for name, command in commands.items() if "celery -A config beat" in command]
    assert beats == ["beat1", "beat2"]
    for name in beats:
        # The settings' scheduler (redbeat with REDIS_URL) holds the lock; one
        # named on the command line could bypass it.
        assert not re.search(r"(^|\s)(-S|--scheduler)\b", commands[name])
        assert _environment(services[name])["REDIS_URL"]
    assert "celery -A config worker" in commands["worker"]
    # Only the proxy is public; MinIO's console listens on the host alone.
    public = {
        name
        for name, service in services.items()
        for port in service.get("ports", [])
        if not port.startswith("127.0.0.1:")
    }
    assert public == {"proxy"}
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["proxy"]["volumes"]


def test_the_replica_streams_from_the_primary_with_the_role_and_slot_it_creates(services):
    primary_init = (ROOT / "deploy/postgres/primary-init.sh").read_text()
    replica = (ROOT / "deploy/postgres/replica-entrypoint.sh").read_text()

    role = re.search(r"CREATE ROLE (\w+) WITH REPLICATION LOGIN", primary_init).group(1)
    slot = re.search(r"pg_create_physical_replication_slot\('(\w+)'\)", primary_init).group(1)
    assert f"host replication {role} all scram-sha-256" in primary_init
    assert f"--username={role}" in replica
    assert f"--slot={slot}" in replica
    assert "--write-recovery-conf" in replica  # standby.signal and primary_conninfo
    assert "/docker-entrypoint-initdb.d/" in " ".join(services["db"]["volumes"])
    env = _environment(services["db-replica"])
    assert env["PRIMARY_HOST"] == "db"
    assert env["REPLICATION_PASSWORD"] == _environment(services["db"])["REPLICATION_PASSWORD"]
    # Healthy only as a standby, not as a stray primary.
    assert "pg_is_in_recovery()" in " ".join(services["db-replica"]["healthcheck"]["test"])


def test_the_proxy_spreads_requests_over_both_web_nodes(services):
    conf = NGINX.read_text()
    upstream = re.search(r"upstream (\w+) \{(.*?)\}", conf, re.S)
    servers = re.findall(r"^\s*server ([\w-]+):(\d+)", upstream.group(2), re.M)
    assert servers == [("web1", "8000"), ("web2", "8000")]
    # gunicorn listens on 8000 in the image (gunicorn.conf.py).
    assert "0.0.0.0:8000" in (ROOT / "gunicorn.conf.py").read_text()
    # No balancing directive: round-robin, nginx's default.
    assert not re.search(r"\b(ip_hash|hash|least_conn|random)\b", upstream.group(2))
    assert f"proxy_pass http://{upstream.group(1)};" in conf
    for header in ("Host $host", "X-Forwarded-Proto $scheme", "X-Forwarded-Host $host"):
        assert f"proxy_set_header {header};" in conf
    size = re.search(r"client_max_body_size (\d+)m;", conf).group(1)
    assert int(size) * 1024 * 1024 > settings.REQUEST_UPLOAD_MAX_BYTES
    assert "/nginx-health" in " ".join(services["proxy"]["healthcheck"]["test"])
