"""schemathesis against /api/schema/: no 5xx, and responses as the schema says.

Every operation of the schema is called through the Django WSGI app, as a
manager with a token, with generated input - valid and invalid: NUL bytes,
huge numbers, long strings, wrong types. Bounded so the normal suite runs it:
a few examples per operation, derandomized so a failure repeats.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from tests.world import build_world

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 6


@pytest.fixture
def api_schema(settings, tmp_path, manager, teammate, outsider, regional_manager):
    from crm.wsgi import application

    settings.ALLOWED_HOSTS = ["*"]
    settings.MEDIA_ROOT = tmp_path / "media"
    build_world(
        manager=manager, teammate=teammate, outsider=outsider, regional_manager=regional_manager
    )
    # The WSGI handler closes the database connection after each request (the
    # test client does not): keep the test's connection and transaction open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
        # Valid and invalid input (wrong types, out-of-range numbers), NUL bytes included.
        schema.config.generation.update(
            modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE],
            allow_x00=True,
        )
        yield schema
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def token(manager):
    from accounts.services import token_create

    return token_create(user=manager, device="schemathesis")[1]


@schema.parametrize()
@hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api(case, token):
    case.call_and_validate(
        headers={"Authorization": f"Token {token}", "Accept-Language": "en"},
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )
