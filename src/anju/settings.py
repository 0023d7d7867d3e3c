"""Anju settings, configured only from the environment (see README, "Configuration")."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("ANJU_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
# Prometheus counters of every process (web workers, job workers) as files here, summed by /metrics
# (anju.core.metrics). prometheus-client reads it when it is first imported, so it is set this early.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(DATA_DIR / "metrics"))
Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once into the data directory."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("DEBUG", False)
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "ninja",  # serves its own Swagger UI files, so /api/v1/docs needs no CDN
    "django_htmx",
    "template_partials",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "huey.contrib.djhuey",
    "anju.core",
    "anju.org",
    "anju.geo",
    "anju.clients",
    "anju.listings",
    "anju.needs",
    "anju.matching",
    "anju.finance",
    "anju.deals",
    "anju.processing",
    "anju.archive",
    "anju.care",
    "anju.complaints",
    "anju.referrals",
    "anju.market",
    "anju.messaging",
    "anju.showings",
    "anju.reports",
    "anju.imports",
    "anju.outreach",
    "anju.demo",
    "anju.web",
]

MIDDLEWARE = [
    "anju.core.metrics.RequestLatencyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "anju.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the outcome of the authentication backends.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "anju.urls"
WSGI_APPLICATION = "anju.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "anju.web.context_processors.navigation",
            ],
        },
    }
]

# --- database ------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'anju.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
SQLITE_CACHE_KIB = 32 * 1024
SQLITE_MMAP_BYTES = 1024**3
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the worker writes; IMMEDIATE avoids lock upgrades.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # A connection kept between requests (CONN_MAX_AGE, as on PostgreSQL) keeps its parsed schema
        # and its page cache, here 32 MB, not SQLite's 2 MB; the first GiB of the file is read through
        # the operating system's page cache in place (mmap), not copied a page at a time. At the 1M
        # demo the mixed day went from 17 to 25 requests/s with the three (decision 0030).
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}; PRAGMA mmap_size={SQLITE_MMAP_BYTES};"
        ),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Every query here is short: JIT compiling one (from a planner cost of 100,000, which a match
    # query over tens of thousands of rows reaches) costs more than it saves.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth ----------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2id at OWASP's recommended parameters (decision 0031); PBKDF2 reads hashes made before Argon2.
PASSWORD_HASHERS = [
    "anju.org.passwords.StaffPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:workbench"
LOGOUT_REDIRECT_URL = "web:login"

# django-axes: after 5 failures for one username from one address, that pair waits an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("ANJU_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Behind reverse proxies, how many of them add to X-Forwarded-For (docs/operations.md). 0: no proxy,
# the header is ignored. Lockouts and sign-in records key on the address this yields.
ANJU_TRUSTED_PROXIES = int(os.environ.get("ANJU_TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "anju.core.addresses.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # successful logins are kept by org.LoginRecord

# --- language, time ------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and uploaded files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# Deal documents (资料归档): outside MEDIA_ROOT, so no URL serves them; downloads go through a view
# that checks access and logs who. The size limit per file, in bytes (default 20 MB).
ARCHIVE_ROOT = DATA_DIR / "archive"
ARCHIVE_MAX_BYTES = int(os.environ.get("ANJU_ARCHIVE_MAX_BYTES", str(20 * 1024 * 1024)))
STATIC_ROOT.mkdir(exist_ok=True)
# Hashed, compressed file names once `collectstatic` has run (``anju serve`` runs it); plain names
# straight from the apps' folders before that (tests, development).
_COLLECTED = not DEBUG and ((STATIC_ROOT / "staticfiles.json").exists() or "collectstatic" in sys.argv)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if _COLLECTED
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not _COLLECTED
WHITENOISE_AUTOREFRESH = DEBUG

# --- background jobs -----------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
HUEY_IMMEDIATE = _env_bool("ANJU_JOBS_IMMEDIATE", False)


def _redis_url_with_timeouts(url: str) -> str:
    """Bounded waits on Redis unless the URL sets its own: a request that enqueues a job while Redis
    is unreachable gives up within seconds (the job waits in the pending-jobs table, decision 0025)
    instead of hanging. The socket timeout stays above Huey's one-second blocking read."""
    query = "&".join(
        f"{name}={seconds}"
        for name, seconds in (("socket_connect_timeout", 2), ("socket_timeout", 5))
        if f"{name}=" not in url
    )
    return f"{url}{'&' if '?' in url else '?'}{query}" if query else url


if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": os.environ.get("ANJU_QUEUE_NAME", "anju"),
        "url": _redis_url_with_timeouts(REDIS_URL),
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": int(os.environ.get("ANJU_WORKERS", "2")), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": os.environ.get("ANJU_QUEUE_NAME", "anju"),
        "filename": str(DATA_DIR / "jobs.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": int(os.environ.get("ANJU_WORKERS", "2")), "worker_type": "thread"},
    }

# --- the shared cache ------------------------------------------------------------------------
# What every process must see alike (the public forms' rate limits): Redis when the queue is there,
# otherwise a table of the database (``anju migrate`` makes it). Never the per-process memory cache:
# with several web workers each would count only its own share of the requests.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("ANJU_QUEUE_NAME", "anju"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "anju_cache"}}
# The public contact forms (a shared listing, an agent's card): at most this many submissions per
# address, and per agent (a flood spread over many addresses), within the window.
ANJU_CONTACT_LIMIT_PER_ADDRESS = int(os.environ.get("ANJU_CONTACT_LIMIT_PER_ADDRESS", "5"))
ANJU_CONTACT_LIMIT_PER_AGENT = int(os.environ.get("ANJU_CONTACT_LIMIT_PER_AGENT", "30"))
ANJU_CONTACT_LIMIT_MINUTES = int(os.environ.get("ANJU_CONTACT_LIMIT_MINUTES", "10"))
# A job enqueued with ``enqueue_on_commit`` keeps a row in the pending-jobs table until a worker has
# run it (decision 0025); a row still there this long after it was sent is sent again (the worker
# that took it died, or Redis lost it). Longer than any job runs; every job is idempotent.
JOB_RESEND_AFTER_SECONDS = int(os.environ.get("ANJU_JOB_RESEND_AFTER_SECONDS", "600"))

# --- outgoing messages (decision 0020) -------------------------------------------------------
# Where links in messages point (the opt-out page): the address clients reach this site at.
ANJU_SITE_URL = os.environ.get("ANJU_SITE_URL", "http://127.0.0.1:8000")
# E-mail leaves through Django's SMTP backend; the server and sender come from the environment.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "anju@localhost")

# --- security (decision 0022) ----------------------------------------------------------------
# ANJU_SECURE_COOKIES=true: served over HTTPS through a TLS proxy that sets X-Forwarded-Proto.
HTTPS = _env_bool("ANJU_SECURE_COOKIES", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# A client's progress link carries its token in the URL: never sent to another site.
SECURE_REFERRER_POLICY = "same-origin"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # Probes and Prometheus may ask on the plain port, from the machine itself.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("ANJU_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("ANJU_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading HSTS into browsers is the domain owner's decision (hstspreload.org), not a default.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Content-Security-Policy (django-csp): no inline script and no eval on any page. A page's script is
# a file in web/static/anju/, and the data it needs is in the page as {{ value|json_script:"id" }}.
# Inline styles stay allowed: the templates' style="" attributes, ECharts and htmx set them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# /metrics: with a token, only ``Authorization: Bearer <token>``; without one, only from this machine.
ANJU_METRICS_TOKEN = os.environ.get("ANJU_METRICS_TOKEN", "")

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"jobs": {"format": "[%(asctime)s] %(levelname)s %(threadName)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "jobs": {"class": "logging.StreamHandler", "formatter": "jobs"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # The job worker's own lines, once: ``run_huey`` adds a handler of its own to a "huey" logger
    # that has none, and that one propagated to the root's as well, printing every line twice.
    "loggers": {"huey": {"handlers": ["jobs"], "level": "INFO", "propagate": False}},
}

# Matching: a company whose layout has at least this many rows (listing rows + need rows) is
# answered from a copy each process holds in memory (anju.matching.search.resident, decision 0009);
# smaller ones, and every company until its copy is loaded, are answered by the database.
MATCH_RESIDENT_MIN_ROWS = int(os.environ.get("ANJU_MATCH_RESIDENT_MIN_ROWS", "200000"))
# The processes of a machine share that copy: the first to read it writes its columns here and
# maps them, the others map the same files (the page cache holds them once). Empty: each process
# keeps a private copy, as it also does when the directory is not writable.
MATCH_SHARED_DIR = os.environ.get("ANJU_MATCH_SHARED_DIR", str(DATA_DIR / "match-layout"))

ANJU_BRAND = _("安居")
FORM_RENDERER = "anju.web.forms.base.FormRenderer"
CSRF_FAILURE_VIEW = "anju.web.views.errors.csrf_failure"

# A failing workbench contributor is logged and shown as unavailable; in development and tests it raises.
WORKBENCH_RAISE_ERRORS = DEBUG or _env_bool("ANJU_WORKBENCH_RAISE_ERRORS", False)
# The longest a web process keeps a computed workbench while the database has not changed (decision
# 0027); 0 computes it on every request.
ANJU_KEPT_SECONDS = int(os.environ.get("ANJU_KEPT_SECONDS", "300"))
