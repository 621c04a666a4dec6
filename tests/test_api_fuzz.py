"""schemathesis against /api/schema/: no 5xx, and the API does what its schema says.

Every operation of the schema is called through the Django WSGI app with a
token, as a manager and as an admin, with generated input - valid and
invalid: NUL bytes, huge numbers, long strings, wrong types - and every check
schemathesis has: status codes, content types, headers and bodies as
declared, invalid input refused, valid input accepted, deleted resources
gone, created ones reachable. Derandomized, so a failure repeats.

``FUZZ_EXAMPLES`` sets the examples per operation and runs every phase of
schemathesis, the coverage phase's boundary values included: CI runs 25 in a
step of its own (.ci/run), ``make fuzz`` 100. 25 as both personas take 2 to
4 minutes (SQLite or PostgreSQL, on the shared 2-core machine), close to the
rest of the suite's 5, so without ``FUZZ_EXAMPLES`` (a plain ``make test``)
the fuzz is light: 5 examples and no coverage phase, 15 to 30 seconds.
"""

import os
import re
import uuid
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.core.parameters import ParameterLocation

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


# Rules of the domain that no JSON Schema states: which ids exist and are the
# user's, a Monday, one of two fields, a real spreadsheet, a region that only
# an admin must name. The API refuses them with 400 and a field message, which
# is the right answer; (operation or None for any, text in the message).
DOMAIN_RULES = [
    (None, "does not exist."),  # an id or code that is not there or not the user's
    (None, "already exists."),  # a code or date taken (unique)
    (None, "The end is before the start."),  # a date range's two ends (visits, exports)
    (None, "is not one of the available choices."),  # a filter's grade, region, manager
    ("POST /api/visits/records/", "Give a planned visit or, for a special visit, a customer."),
    ("POST /api/visits/schedules/propose/", "A schedule week starts on a Monday."),
    ("POST /api/visits/work-logs/", "A weekly summary is dated on the Monday of its week."),
    ("POST /api/sales/import/", ""),  # what the file holds: every message
    # Django's password validators (AUTH_PASSWORD_VALIDATORS).
    (None, "The password is too similar to the"),
    (None, "This password is too short."),
    (None, "This password is too common."),
    (None, "This password is entirely numeric."),
    ("POST /api/customers/", "This field is required."),  # an admin's new customer's region
    (None, "Managers and regional managers need a region."),  # a user's role and region
    # A manager's role while customers are theirs; an admin's own account.
    ("PATCH /api/users/{id}/", "to another manager before changing the role."),
    ("PUT /api/users/{id}/", "to another manager before changing the role."),
    (None, "You cannot deactivate yourself or take away your own admin role."),
    (None, "Only key accounts have a key-account class."),
    (None, "The maximum must be greater than the minimum."),  # a grade's amounts
    (None, "No such planned visit in this schedule."),
    ("PATCH /api/reports/{id}/", "Give at least one section."),
    ("POST /api/reports/{id}/return/", "write at least one comment."),
    ("POST /api/visits/records/{id}/sign/", "Write the name of the customer who signs."),
    ("POST /api/reports/{id}/submit/", "before submitting."),  # a section not yet written
    ("POST /api/visits/work-logs/", "This day has not come yet."),
    (None, "This file is not a photo"),  # what an uploaded file holds
    ("POST /api/satisfaction/answers/", "This customer is not in the round's sample."),
    ("POST /api/satisfaction/answers/", "Keys are question ids."),  # the version's questions
    (None, "At least one score question with a weight above 0 makes the index."),
    (None, "a single choice needs two options or more."),  # a questionnaire's question
    (None, "A questionnaire needs at least one question."),
    ("POST /api/satisfaction/questionnaires/", "This field may not be blank."),  # a question's text
    (None, "Give both coordinates or neither."),  # a position is a pair
    (None, "Enter a date between 1900-01-01 and"),  # a birthday or founding day: not after today
]
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
FORM_MEDIA_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def _texts(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, str):
        yield value


def _refused_by_domain_rules(response, case):
    if response.status_code != 400:
        return False
    try:
        messages = list(_texts(response.json()))
    except ValueError:
        return False
    # A list's export/ takes the list's filters: the list's rules are its rules.
    labels = {None, case.operation.label, case.operation.label.replace("export/", "")}
    rules = [text for label, text in DOMAIN_RULES if label in labels]
    return bool(messages) and all(any(rule in m for rule in rules) for m in messages)


def positive_data_acceptance(ctx, response, case):
    """schemathesis's check, except where a schema cannot say what the API refuses.

    - A NUL byte: the request guard refuses it in any text with 400
      (PostgreSQL cannot store one); a JSON Schema "string" cannot say so short
      of a pattern on every string. Such input is still sent, and must get
      that 400, not a 500.
    - A null in a form body: a form has no null, schemathesis sends "null".
    - Logins with right-looking wrong passwords, and DOMAIN_RULES.
    """
    if case.operation.path in LOGIN_PATHS:
        return None
    if any(_has_nul(part) for part in (case.query, case.body, case.path_parameters)):
        return None
    form = case.media_type in FORM_MEDIA_TYPES and isinstance(case.body, dict)
    if form and any(value is None for value in case.body.values()):
        return None
    if _refused_by_domain_rules(response, case):
        return None
    # The fuzz makes up Idempotency-Keys ("00000000") and sends one with other requests.
    if response.status_code == 422 and "Idempotency-Key" in response.text:
        return None
    return CHECKS_BY_NAME["positive_data_acceptance"](ctx, response, case)


def negative_data_rejection(ctx, response, case):
    """schemathesis's check, except for two leniencies of the API that are meant.

    - An empty query parameter is no filter, the way a browser's form sends
      every field ("?status=&month="); of a repeated one the last counts.
    - DRF reads a number given for a text field as its text ("description": 0),
      and a blank form field as no value, the way browsers send them.
    """
    data = case.meta.phase.data if case.meta else None
    parameter = getattr(data, "parameter", None)
    # An empty object or list goes on the wire as an empty value too; of a
    # parameter given more than once, Django reads the last (a list here).
    if parameter and isinstance(case.query.get(parameter), list):
        return None
    empty = ("", {}, [])
    if getattr(data, "parameter_location", None) == ParameterLocation.QUERY and (
        case.query.get(parameter) in empty
        if parameter
        else any(value in empty for value in (case.query or {}).values())
    ):
        return None
    # The body's field the case made wrong, from "/properties/<name>/type".
    segments = (getattr(data, "location", None) or "").split("/")
    if isinstance(case.body, dict) and "properties" in segments[:-1]:
        value = case.body.get(segments[segments.index("properties") + 1])
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return None
        if value == "" and case.media_type in FORM_MEDIA_TYPES:
            return None  # a blank form field is an empty value (null for a number)
    return CHECKS_BY_NAME["negative_data_rejection"](ctx, response, case)


# Every check schemathesis has, the two above in place of its own.
OWN_CHECKS = {
    "positive_data_acceptance": positive_data_acceptance,
    "negative_data_rejection": negative_data_rejection,
}
ALL_CHECKS = [OWN_CHECKS.get(name, check) for name, check in CHECKS_BY_NAME.items()]


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
    from config.wsgi import application

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
        # FUZZ_PATHS=<regex>: only the operations whose path matches (to retry a failure).
        if os.environ.get("FUZZ_PATHS"):
            schema = schema.include(path_regex=os.environ["FUZZ_PATHS"])
        yield schema
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


# Logging out revokes the token sent (logout) or all of the user's (logoutall):
# the fuzz would go on with a dead token, and every later operation would
# "pass" with 401. These get a token of their own, and the fuzz a new one after.
TOKEN_ENDING_PATHS = {"/api/auth/logout/", "/api/auth/logoutall/"}


@pytest.fixture
def credentials(api_user, token):
    """The fuzz's token, renewed when an operation revoked it."""
    from accounts.services import token_create

    def renew():
        holder["key"] = token_create(user=api_user, device="schemathesis")[1]

    holder = {"key": token, "renew": renew}
    return holder


@pytest.fixture
def fuzz_summary(request, api_user, capsys):
    """Prints, per persona, the operations called, the examples sent, the answers and failures."""
    counts = Counter()
    yield counts
    statuses = ", ".join(f"{code}: {n}" for code, n in sorted(counts["statuses"].items()))
    with capsys.disabled():
        print(
            f"\nfuzz as {request.node.callspec.params['api_user']}: "
            f"{len(counts['operations'])} operations, {counts['examples']} examples "
            f"({MAX_EXAMPLES} generated per operation{'' if FULL else ', light run'}), "
            f"answers {{{statuses}}}, "
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
def test_api(case, credentials, fuzz_summary):
    label = case.operation.label
    fuzz_summary.setdefault("operations", set()).add(label)
    fuzz_summary.setdefault("failed", set())
    fuzz_summary.setdefault("statuses", Counter())
    fuzz_summary["examples"] += 1
    ends_token = case.operation.path in TOKEN_ENDING_PATHS
    if ends_token:
        credentials["renew"]()
    # A well-formed Idempotency-Key the fuzz made up ("00000000") would be the same
    # for most cases: each case gets its own, so the operations really run (a key
    # sent again is tests/core/test_idempotency.py's). Malformed ones stay: 400.
    key = (case.headers or {}).get("Idempotency-Key")
    if isinstance(key, str) and IDEMPOTENCY_KEY.match(key):
        case.headers["Idempotency-Key"] = uuid.uuid4().hex
    try:
        response = case.call_and_validate(
            headers={"Authorization": f"Token {credentials['key']}", "Accept-Language": "en"},
            checks=ALL_CHECKS,
        )
        fuzz_summary["statuses"][response.status_code] += 1
        # A 401 here means the fuzz's own token died: whatever followed would test nothing.
        assert response.status_code != 401 or ends_token, response.text[:300]
    except BaseException:
        fuzz_summary["failed"].add(label)
        raise
    finally:
        if ends_token:
            credentials["renew"]()
