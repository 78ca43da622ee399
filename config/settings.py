"""Settings, read from the environment (README, "Deploying", lists every variable).

DATABASE_URL  any dj-database-url URL; without it an SQLite file `db.sqlite3` in the project folder.
DATABASE_REPLICA_URL  comma-separated URLs of PostgreSQL streaming replicas that serve reads.
SECRET_KEY    required by the web process unless DEBUG is on (manage.py commands run without it).
DEBUG         "1"/"true" to turn on debugging; off by default.
HTTPS         on unless DEBUG: redirect to HTTPS, HSTS, secure `__Host-` cookies; "off" only for a
              plain-HTTP local trial of the production settings.
TRUSTED_PROXY_COUNT  how many reverse proxies stand in front of the web processes (default 0).
ALLOWED_HOSTS comma-separated host names; defaults to localhost when DEBUG is on.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_HASHES
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("ALLOW_INSECURE_SECRET_KEY"):
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before the admin: its admin classes show a field per language (barriers/translation.py).
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "taggit",
    "simple_history",
    "import_export",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "django_tasks",
    "django_tasks_db",
    "sources",
    "projects",
    "barriers",
    "practices",
    "search",
    "web",
    "opendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before CommonMiddleware, as django-cors-headers asks; it only answers under /api/.
    "corsheaders.middleware.CorsMiddleware",
    "config.middleware.PrimaryAfterWriteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "config.middleware.RejectNullCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "config.middleware.StaffIdleTimeoutMiddleware",
    # Last, as django-axes asks: it turns a lockout into the "too many attempts" response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # SITE_TEMPLATES_DIR first: an operator's own versions of the site's pages (the legal
        # notice, privacy, contact, ...) replace the built-in ones there, without a code change.
        "DIRS": [*env_list("SITE_TEMPLATES_DIR"), BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.shortlist_context",
                "web.context_processors.canonical_url",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# A web process keeps its connection between requests (the development server starts a thread
# per request, which would only leave connections behind: there, one per request), and checks it
# before reusing it, so that a database restart costs the requests during the restart, not the
# ones after it.
CONN_MAX_AGE = int(os.environ.get("CONN_MAX_AGE", "0" if DEBUG else "60"))


def _database(url):
    database = dj_database_url.parse(
        url,
        conn_max_age=CONN_MAX_AGE,
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", True),
    )
    if database["ENGINE"] == "django.db.backends.postgresql":
        # JIT compilation pays off for long analytical queries, not for the short queries of a
        # web page, where it adds tens of milliseconds once tables grow past its cost threshold.
        # The facet counts hash the practice-barrier and practice-tag links: give them room to
        # stay in memory.
        database.setdefault("OPTIONS", {})["options"] = os.environ.get(
            "POSTGRES_OPTIONS", "-c jit=off -c work_mem=16MB"
        )
    return database


DATABASES = {
    "default": _database(os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}

# Read replicas (PostgreSQL streaming replicas of the primary, DATABASE_URL): the visitors'
# reads go to them, writes and whatever a visitor reads for a few seconds after a write of theirs
# go to the primary (config.routers, config.middleware.PrimaryAfterWriteMiddleware). Their test
# databases mirror the primary's, so the suite runs whether replicas are configured or not.
DATABASE_REPLICAS = []
for number, url in enumerate(env_list("DATABASE_REPLICA_URL"), start=1):
    alias = f"replica_{number}"
    DATABASES[alias] = {**_database(url), "TEST": {"MIRROR": "default"}}
    DATABASE_REPLICAS.append(alias)
DATABASE_ROUTERS = ["config.routers.PrimaryReplicaRouter"]
# How long a visitor's reads stay on the primary after they wrote: longer than the replicas'
# usual lag (streaming replication on one network: well under a second).
PRIMARY_AFTER_WRITE_SECONDS = int(os.environ.get("PRIMARY_AFTER_WRITE_SECONDS", "5"))

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The runserver and the browser tests' live server answer each request in a thread of its own,
    # and every request by a staff member saves the session (config.middleware). In SQLite's default
    # DEFERRED mode a transaction that has read and then writes while another connection writes
    # fails at once with "database is locked" (a 500 in the admin): IMMEDIATE takes the write
    # lock at BEGIN, so the other connection waits its turn instead. WAL lets pages read while
    # one writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    )

# The search's counts and pages (search.cache), under keys that hold the data version: local memory
# by default, Redis (shared by every web process) when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
SEARCH_CACHE = "default"
SEARCH_CACHE_TIMEOUT = int(os.environ.get("SEARCH_CACHE_TIMEOUT", str(60 * 60)))
# Background jobs (django-tasks, the backport of Django 6's django.tasks): an import, a search
# index rebuild and the refresh of a renamed record's practices run in the worker
# (`manage.py db_worker`), which takes them from a table of the database. TASKS_BACKEND=immediate
# runs each job at once in the process that starts it (no worker needed; a request then waits).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND]
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out user before the password is even checked. The model
# backend then refuses the local demo accounts' password unless DEBUG is on, whoever created them.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "practices.auth.NoDemoPasswordInProductionBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The taxonomy's names and texts in each language (django-modeltranslation,
# barriers/translation.py): a text not yet translated is shown in English.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

# Where visitors report an accessibility problem (shown in the accessibility statement).
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get("ACCESSIBILITY_CONTACT_EMAIL", "")
# Who runs the site, for the legal notice and the contact page; left unsaid when not set.
SITE_OPERATOR = os.environ.get("SITE_OPERATOR", "")
SITE_OPERATOR_ADDRESS = os.environ.get("SITE_OPERATOR_ADDRESS", "")
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

TAGGIT_CASE_INSENSITIVE = True

# --- HTTPS and the browser's protections ------------------------------------------------------
# On by default in production; HTTPS=off is the one switch for a plain-HTTP local trial.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = HTTPS
# `__Host-` cookies are only ever accepted from HTTPS, for this host alone (no Domain, Path=/):
# no other host of the domain, not even one taken over, can set or shadow them.
if HTTPS:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-django_language"
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True

# TRUSTED_PROXY_COUNT reverse proxies (a load balancer, nginx) stand between the clients and the
# web processes, each appending the address it received the request from to X-Forwarded-For,
# the first one setting X-Forwarded-Proto. Only then are those headers believed: the scheme for
# the HTTPS redirect and secure cookies, the client's address for the sign-in lockout
# (config.proxy). Without it a client could claim any address or scheme.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy (django-csp): only this site's own files; no inline script but the
# one line that tells the style sheet JavaScript runs (base.html), allowed by its hash.
NO_JS_SWITCH_SCRIPT_HASH = "'sha256-tlTtfpdsMQSdcfX3DLM1fgx/y++BLw+48vFj+5cTJa0='"
_content_security_policy = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NO_JS_SWITCH_SCRIPT_HASH],
        # Two third-party admin templates (django-import-export's export form, django-simple-
        # history's list) have a style attribute or two: allowed by their hashes alone.
        "style-src": [
            SELF,
            UNSAFE_HASHES,
            "'sha256-mHgUAqxc8GPXM/QhzkHrHujcrQTU9fd6ZjWz+icxKcA='",  # padding: 0;
            "'sha256-+YWRMZ88jMyO7jVlBA52tZADiPobPIUA8LAWee68Fvs='",  # font-weight: bold;
            "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",  # border-top: 0
        ],
        # The favicon is an empty data: URL (base.html), so that browsers ask for none.
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# With DEBUG the policy only reports (in the browser's console): Django's own debug pages are
# made of inline styles and scripts.
if DEBUG:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _content_security_policy
else:
    CONTENT_SECURITY_POLICY = _content_security_policy
# Features no page uses, refused to the page and to anything it might embed.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
# No other site may embed this one's pages, images or files.
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"

# Curation (see README, "Curation workflow").
# A signed-in staff member's session ends after this many seconds without a request; every
# request restarts the count (config.middleware.StaffIdleTimeoutMiddleware). Visitors have no
# session: their shortlist is a signed cookie of its own (web/shortlist.py).
STAFF_SESSION_IDLE_TIMEOUT = int(os.environ.get("STAFF_SESSION_IDLE_TIMEOUT", str(30 * 60)))
# django-axes: after 5 failed sign-ins for one user name from one address, that pair is locked
# out for 15 minutes; a successful sign-in resets the count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_VERBOSE = False
# The client's address as the proxies in front saw it (TRUSTED_PROXY_COUNT); REMOTE_ADDR without.
AXES_CLIENT_IP_CALLABLE = "config.proxy.client_ip"
# django-import-export: an import runs in one transaction; any broken row rolls all of it back.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Published at /.well-known/security.txt (RFC 9116); a field the operator has not set is left out.
SECURITY_CONTACT = os.environ.get("SECURITY_CONTACT", "")
SECURITY_TXT_EXPIRES = os.environ.get("SECURITY_TXT_EXPIRES", "")
SECURITY_POLICY_URL = os.environ.get("SECURITY_POLICY_URL", "")

# --- Open data: the API, the downloads, the feeds (README, "Open data") -------------------------
# The data's licence and how to cite it: on the Open data page, in the XLSX and JSON downloads'
# metadata, in every download's Link header and in the API's schema. The operator's choice.
OPEN_DATA_LICENCE_NAME = os.environ.get("OPEN_DATA_LICENCE_NAME", "CC BY 4.0")
OPEN_DATA_LICENCE_URL = os.environ.get(
    "OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"
)
SITE_NAME = os.environ.get("SITE_NAME", "Good Practice Knowledge Base")
# Anonymous clients' limits, per client address (config.proxy), in DRF's "number/period" form;
# "" switches a limit off. Downloads cost more than an API page, hence their own, lower limit.
API_ANON_RATE = os.environ.get("API_ANON_RATE", "600/minute")
DOWNLOAD_ANON_RATE = os.environ.get("DOWNLOAD_ANON_RATE", "30/minute")

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    # Read only, for everyone: no session, no token, so no CSRF and nothing personal in a reply.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["opendata.throttling.ApiThrottle"],
    "DEFAULT_SCHEMA_CLASS": "opendata.api.schema.ApiSchema",
    "EXCEPTION_HANDLER": "opendata.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{SITE_NAME}: open data API",
    "DESCRIPTION": (
        "Read-only access to the published good practices on the internationalisation of SMEs, "
        "the barriers they address and the policy topics they inform. The list of practices "
        "takes the search page's parameters and gives the same practices and counts."
    ),
    "VERSION": "1",
    "LICENSE": {"name": OPEN_DATA_LICENCE_NAME, "url": OPEN_DATA_LICENCE_URL},
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "LinkBasisEnum": "practices.models.PracticeLink.Basis",
    },
}
# Other sites may read the API from their pages (GET only, no credentials); nothing else.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Link"]
