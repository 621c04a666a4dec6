"""schemathesis against /api/schema/: no 5xx, and the API does what its schema says.

Every operation of the schema is called through the Django WSGI app with a
token, as a manager and as an admin, with generated input - valid and
invalid: NUL bytes, huge numbers, long strings, wrong types - and every check
schemathesis has: status codes, content types, headers and bodies as
declared, invalid input refused, valid input accepted, deleted resources
gone, created ones reachable. Derandomized, so a failure repeats.

``FUZZ_EXAMPLES`` sets the examples per operation and runs every phase of
schemathesis, the coverage phase's boundary values included: CI runs 25 in a
step of its own (.ci/run), ``make fuzz`` 100. 25 as both personas take about
4 minutes on SQLite, nearly as long as the rest of the suite, so without
``FUZZ_EXAMPLES`` (a plain ``make test``) the fuzz is light: 5 examples and no
coverage phase, some 30 seconds.
"""

import os
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import CHECKS, load_all_checks

from tests.world import build_world

pytestmark = pytest.mark.django_db

FULL = bool(os.environ.get("FUZZ_EXAMPLES"))
MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or 5)

load_all_checks()


def _has_nul(value):
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_has_nul(v) for v in value)
    if isinstance(value, (str, bytes)):
        return "\x00" in (value if isinstance(value, str) else value.decode("latin-1"))
    return False


# The login refuses right-looking credentials that are wrong; no schema can say
# which passwords are right.
LOGIN_PATHS = {"/api/auth/token/"}
CHECKS_BY_NAME = {check.__name__: check for check in CHECKS.get_all()}


def positive_data_acceptance(ctx, response, case):
    """schemathesis's check, except for a NUL byte and for logins.

    The request guard refuses a NUL byte in any text with 400 (PostgreSQL
    cannot store one); a JSON Schema "string" cannot say so short of a pattern
    on every string. Such input is still sent, and must get that 400, not a 500.
    """
    if case.operation.path in LOGIN_PATHS:
        return None
    if any(_has_nul(part) for part in (case.query, case.body, case.path_parameters)):
        return None
    return CHECKS_BY_NAME["positive_data_acceptance"](ctx, response, case)


# Every check schemathesis has, the one above in place of its own.
ALL_CHECKS = [
    positive_data_acceptance if name == "positive_data_acceptance" else check
    for name, check in CHECKS_BY_NAME.items()
]


@pytest.fixture(params=["manager", "admin_user"])
def api_user(request):
    """The persona the fuzz runs as."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def token(api_user):
    from accounts.services import token_create

    return token_create(user=api_user, device="schemathesis")[1]


@pytest.fixture
def api_schema(settings, tmp_path, manager, teammate, outsider, regional_manager, token):
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
        schema = schemathesis.openapi.from_wsgi(
            "/api/schema/", application, headers={"Authorization": f"Token {token}"}
        )
        # Valid and invalid input (wrong types, out-of-range numbers), NUL bytes included.
        schema.config.generation.update(
            modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE],
            allow_x00=True,
        )
        if not FULL:
            schema.config.phases.update(phases=["examples", "fuzzing"])
        yield schema
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def fuzz_summary(request, api_user, capsys):
    """Prints, per persona, the operations called, the examples sent and the failures."""
    counts = Counter()
    yield counts
    with capsys.disabled():
        print(
            f"\nfuzz as {request.node.callspec.params['api_user']}: "
            f"{len(counts['operations'])} operations, {counts['examples']} examples "
            f"({MAX_EXAMPLES} generated per operation{'' if FULL else ', light run'}), "
            f"{len(counts['failed'])} operations failing"
            + (": " + ", ".join(sorted(counts["failed"])) if counts["failed"] else "")
        )


@schema.parametrize()
@hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api(case, token, fuzz_summary):
    label = case.operation.label
    fuzz_summary.setdefault("operations", set()).add(label)
    fuzz_summary.setdefault("failed", set())
    fuzz_summary["examples"] += 1
    try:
        case.call_and_validate(
            headers={"Authorization": f"Token {token}", "Accept-Language": "en"},
            checks=ALL_CHECKS,
        )
    except BaseException:
        fuzz_summary["failed"].add(label)
        raise
