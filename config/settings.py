"""Settings for the CRM.

Every value that differs between a laptop and production comes from the
environment. The defaults run on one machine with nothing else installed:
SQLite in ``var/``, an embedded filesystem broker for Celery, e-mail printed
to the console. Production sets ``DATABASE_URL``, ``REDIS_URL``,
``SECRET_KEY``, ``ALLOWED_HOSTS``, ``DEBUG=False`` and the e-mail settings.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CRM_VAR_DIR", BASE_DIR / "var"))
# The embedded defaults (SQLite, the filesystem broker, beat's schedule file)
# live here; creating it keeps a fresh clone runnable with no set-up step.
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    if value in ("True", "true", "1", "yes"):
        return True
    if value in ("False", "false", "0", "no"):
        return False
    raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is False")
    SECRET_KEY = "dev-only-key-not-for-production-use-0123456789abcdefghijklmnop"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Shared infrastructure, the customer archive and accounts, the workflows,
    # the home page, the demo data: each imports only those before it.
    "core",
    "crm",
    "accounts",
    "visits",
    "complaints",
    "reports",
    "satisfaction",
    "home",
    "demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the others, so the answers they make themselves get it too.
    "core.cache_headers.NoStoreMiddleware",
    # Before anything reads the body, the cookies or queries with what was
    # sent (the session is loaded from its cookie): refuses oversized bodies
    # (413) and NUL characters (400).
    "core.request_guard.RequestGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.sessions.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.audit.AuditRequestMiddleware",
    # Other roles' pages are 403 for the service centre (crm.access.may_open_route).
    "crm.routes.RoleRoutesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last but one, as django-axes asks (it answers locked-out logins): only the
    # idempotency of API writes sits inside it.
    "axes.middleware.AxesMiddleware",
    # Around the API view only: a write with an Idempotency-Key runs once, its
    # answer stored in the same transaction (core.idempotency).
    "core.idempotency.IdempotencyMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses any login attempt from a locked-out user or address.
    "axes.backends.AxesStandaloneBackend",
    "crm.auth.RegionModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "home.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'crm.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file-backed test database lets a real Celery worker process read and
    # write the same data as the test that started it.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # One file per test run, so runs side by side do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-crm-{os.getpid()}.sqlite3")}
    # Every transaction takes the write lock as it begins and waits up to 20 s
    # for it: two identical writes at once (a double tap on "sign") then run one
    # after the other, and the second sees the first's change and gets a clean
    # 409, instead of failing half-way with "database is locked" (a deferred
    # transaction cannot wait to upgrade its read lock). WAL lets readers go on
    # while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
    }
else:
    # Pages run many small queries side by side on few cores: a parallel plan's
    # start-up costs more than it saves and takes cores from other requests.
    # JIT compiling is off: the planner's cost of a query over millions of rows
    # (the daily reminders' due customers, a deep page) passes its threshold
    # and the compiling took 2.3 of the 3.0 s of that query at the province's
    # size (bench/RESULTS.md); the queries run short enough without it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c max_parallel_workers_per_gather={env_int('DATABASE_PARALLEL_WORKERS', 0)} "
        f"-c jit={'on' if env_bool('DATABASE_JIT', False) else 'off'}"
    )

# Read replica (core.db_routing) --------------------------------------------
# Reads that tolerate a short lag (lists, dashboards, reports, exports) go to a
# PostgreSQL streaming replica; writes, transactions, Celery tasks, sessions,
# logins and a client's reads for REPLICA_PIN_SECONDS after its last write go to
# the primary. Without DATABASE_REPLICA_URL there is no router: all on default.
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 10)
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(
            DATABASE_REPLICA_URL,
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=True,
        ),
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        # Tests read it as a second connection to the test database.
        "TEST": {"MIRROR": "default"},
    }
    if {DATABASES["default"]["ENGINE"], DATABASES["replica"]["ENGINE"]} != {
        "django.db.backends.postgresql"
    }:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs PostgreSQL, as DATABASE_URL")
    DATABASE_ROUTERS = ["core.db_routing.ReplicaRouter"]
    # Before the session and the user are read (they stay on the primary), after
    # the request guard (a refused request pins nobody).
    MIDDLEWARE.insert(
        MIDDLEWARE.index("core.request_guard.RequestGuardMiddleware") + 1,
        "core.db_routing.ReplicaMiddleware",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "crm.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Every form draws its fields the Bootstrap way, errors added to the class (core/forms.py).
FORM_RENDERER = "core.forms.FormRenderer"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Thousands separators in Chinese as in English (config/formats/zh_Hans).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Uploaded files on S3-compatible object storage -------------------------------
# Signatures, photos, export files and queued sales imports stay on the local
# disk (MEDIA_ROOT) on one machine. With S3_BUCKET set they go to a bucket (AWS
# S3, MinIO) that every web and worker machine reaches, so no disk is shared.
# The objects are private: users reach a file only through the access-checked
# routes, which stream it from the storage; no bucket address is handed out.


def s3_storage():
    """``STORAGES["default"]`` for the bucket the environment names; None without S3_BUCKET."""
    bucket = env_str("S3_BUCKET")
    if not bucket:
        return None
    options = {
        "bucket_name": bucket,
        "region_name": env_str("S3_REGION", "us-east-1"),
        # A key prefix inside the bucket ("crm/"), for a bucket shared with others.
        "location": env_str("S3_PREFIX").strip("/"),
        # No ACL sent: the objects are as private as the bucket.
        "default_acl": None,
        # Any URL the storage makes is signed and short-lived.
        "querystring_auth": True,
        "querystring_expire": 300,
        # A name taken gets a new one rather than replacing a stored file.
        "file_overwrite": False,
        # A file read back (served, imported, checked) larger than this waits in
        # a temporary file, not in the process's memory.
        "max_memory_size": 2 * 1024 * 1024,
    }
    # Without keys, boto3's own chain (AWS_* variables, an instance role).
    if env_str("S3_ACCESS_KEY_ID"):
        options["access_key"] = env_str("S3_ACCESS_KEY_ID")
    if env_str("S3_SECRET_ACCESS_KEY"):
        options["secret_key"] = env_str("S3_SECRET_ACCESS_KEY")
    if env_str("S3_ENDPOINT_URL"):
        # MinIO and other S3-compatible servers: their address, the bucket in the path.
        options["endpoint_url"] = env_str("S3_ENDPOINT_URL")
        options["addressing_style"] = "path"
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


if bucket_storage := s3_storage():
    STORAGES["default"] = bucket_storage

# Uploads (sales imports) are read in memory up to this size.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The satisfaction index of a manager, region or month is shown from this many
# answers on (satisfaction.selectors.index); below it, only the count is shown.
SATISFACTION_MIN_ANSWERS = env_int("SATISFACTION_MIN_ANSWERS", 5)
SALES_IMPORT_MAX_BYTES = env_int("SALES_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
# Bodies larger than these are refused with 413 before they are read
# (core.request_guard): uploads (multipart: imports, photos) and everything
# else (JSON and form posts; a drawn signature is at most 512 KB).
REQUEST_UPLOAD_MAX_BYTES = env_int("REQUEST_UPLOAD_MAX_BYTES", SALES_IMPORT_MAX_BYTES + 1024 * 1024)
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", 2 * 1024 * 1024)
# A file with more rows is refused; one with more than SALES_IMPORT_SYNC_ROWS
# is stored and imported by the worker, so no web request spends long on it.
SALES_IMPORT_MAX_ROWS = env_int("SALES_IMPORT_MAX_ROWS", 200_000)
SALES_IMPORT_SYNC_ROWS = env_int("SALES_IMPORT_SYNC_ROWS", 2_000)
# A background import with no progress for this long was left by a lost
# worker and is queued again (a batch of rows takes well under a second).
SALES_IMPORT_STALE_MINUTES = env_int("SALES_IMPORT_STALE_MINUTES", 15)

# Exports (core.exports): a list of more rows than this is written by the
# worker, with a progress page and a link in the notifications; its file is
# kept this many days (a daily job deletes older ones).
EXPORT_SYNC_ROWS = env_int("EXPORT_SYNC_ROWS", 5_000)
EXPORT_KEEP_DAYS = env_int("EXPORT_KEEP_DAYS", 7)
# An API write's Idempotency-Key and its answer are kept this long (core.idempotency).
IDEMPOTENCY_DAYS = env_int("IDEMPOTENCY_DAYS", 30)

# E-mail
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "crm@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in e-mails point here.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# Group robots (crm/robots.py): a webhook at a loopback, private or link-local
# address, or at localhost/*.local/*.internal, is refused unless this is set.
ROBOT_WEBHOOK_ALLOW_INTERNAL = env_bool("ROBOT_WEBHOOK_ALLOW_INTERNAL", False)

# Security: strict when DEBUG is off (production), relaxed on a laptop.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Idle timeout: a session ends after this long without a request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 8 * 3600)
# A used session is saved again (its idle time restarts) at most this often,
# not on every request (core.sessions.SessionRefreshMiddleware).
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 300)

# API tokens (django-rest-knox): one per login and device, stored as a hash,
# valid for API_TOKEN_TTL_HOURS. A password change, deactivation or "log out
# everywhere" revokes all of a user's tokens (accounts/signals.py, services).
API_TOKEN_TTL_HOURS = env_int("API_TOKEN_TTL_HOURS", 240)
if API_TOKEN_TTL_HOURS < 1:
    raise ImproperlyConfigured("API_TOKEN_TTL_HOURS must be at least 1")
KNOX_TOKEN_MODEL = "accounts.ApiToken"
# knox's migrations create its own token table even when the model is swapped
# out; unused, it would only block PostgreSQL's TRUNCATE of the user table
# (test flushes). With no migrations for knox, no table is made for it.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(hours=API_TOKEN_TTL_HOURS),
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_MODEL": KNOX_TOKEN_MODEL,
}

# Login protection: after AXES_FAILURE_LIMIT failed logins for one username
# the account is locked for the cool-off period, even with the right password.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
# By username, not address: a branch's managers share one office address,
# and one person's typing must not lock out the whole team.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.lockout.lockout_response"
AXES_VERBOSE = False

# No inline scripts anywhere: every script is a file under static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Health checks come over plain HTTP from inside the deployment.
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    if env_bool("TRUST_X_FORWARDED_PROTO", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# REST API
REST_FRAMEWORK = {
    # Token first: a request without valid credentials gets 401 with
    # "WWW-Authenticate: Token" (a revoked token says so), not a bare 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "crm.routes.RoleRoutes",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    # JSON only: DRF's browsable API (?format=api, or a browser's Accept)
    # renders forms whose related-field choices are not scoped to the user
    # (every manager's name on the customer form). /api/docs/ documents the API.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # DRF's parsers, refusing JSON nested past 32 levels and NUL characters.
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.JSONParser",
        "core.api.parsers.FormParser",
        "core.api.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CRM API",
    "DESCRIPTION": "Customer archive, grading, sales and calendar of the customer-manager CRM.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind", "role" or "status": name each enum.
    "ENUM_NAME_OVERRIDES": {
        "UserRoleEnum": "crm.models.User.Role",
        "RegradingRunStatusEnum": "crm.models.RegradingRun.Status",
        "CalendarDayKindEnum": "core.models.CalendarDay.Kind",
        "ScheduleStatusEnum": "visits.models.WeeklySchedule.Status",
        "VisitKindEnum": "visits.models.Visit.Kind",
        "VisitStatusEnum": "visits.models.Visit.Status",
        "SignatureRoleEnum": "visits.models.Signature.Role",
        "PriceViolationStatusEnum": "visits.models.PriceViolation.Status",
        "UnlicensedReportStatusEnum": "visits.models.UnlicensedReport.Status",
        "SuggestionStatusEnum": "visits.models.Suggestion.Status",
        "WorkLogKindEnum": "visits.models.WorkLog.Kind",
        "ComplaintKindEnum": "complaints.models.Complaint.Kind",
        "ComplaintStatusEnum": "complaints.models.Complaint.Status",
        "ComplaintSignatureRoleEnum": "complaints.models.ComplaintSignature.Role",
        "ReportStatusEnum": "reports.models.MonthlyReport.Status",
    },
}

# Celery: Redis in production; with no REDIS_URL an embedded filesystem
# broker, so scheduled jobs really run on a laptop with no servers.
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_DIR = VAR_DIR / "celery-broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A message a dead worker took is redelivered after this many seconds: keep
    # it above CELERY_TASK_TIME_LIMIT, or a slow task would run twice at once.
    # The crash test sets it to a few seconds.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
    }
else:
    # A host name keeps kombu from warning that none was given (it is not used).
    CELERY_BROKER_URL = "filesystem://localhost/"
    CELERY_BROKER_DIR.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR),
        "data_folder_out": str(CELERY_BROKER_DIR),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 1200
CELERY_TASK_TIME_LIMIT = 1800
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)

# Beat: one scheduler sends the jobs, however many machines start beat.
# With Redis, beat is celery-redbeat: the beat holding a lock in Redis sends,
# any other waits for the lock. The schedule stays in config/celery.py; each
# beat writes it to Redis as it starts and drops the entries no longer there.
# Without Redis (one machine) the schedule file in var/ is enough.
# redbeat reads its REDBEAT_* settings by these bare names: under the CELERY_
# namespace it would take the broker's URL and options instead.
if REDIS_URL:
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
    REDBEAT_REDIS_URL = REDIS_URL
    # Its own options, not the broker's (a visibility timeout means nothing to
    # a Redis client): a Redis that stops answering ends beat, which restarts
    # and waits for the lock again, rather than hanging it.
    REDBEAT_REDIS_OPTIONS = {"socket_timeout": 10, "socket_connect_timeout": 10}
    # Two deployments sharing one Redis each need their own schedule and lock.
    REDBEAT_KEY_PREFIX = env_str("BEAT_KEY_PREFIX", "crm:beat:")
    # redbeat's own keys are the prefix, a colon and a word: no job has that name.
    REDBEAT_LOCK_KEY = REDBEAT_KEY_PREFIX + ":lock"
    # The lock holder wakes at least every 30 s and renews the lock for 150 s
    # each time: four missed wake-ups (a loaded machine, a slow Redis) before a
    # live beat loses it. A waiting beat tries every 30 s, so it takes over
    # within 30 s of a clean stop and within 3 minutes of a crash; the jobs run
    # daily or every 10 minutes, and one missed meanwhile runs on take-over.
    CELERY_BEAT_MAX_LOOP_INTERVAL = 30
    REDBEAT_LOCK_TIMEOUT = 5 * CELERY_BEAT_MAX_LOOP_INTERVAL
else:
    CELERY_BEAT_SCHEDULER = "celery.beat:PersistentScheduler"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
