"""OutageDesk settings: one module, driven by the environment (see README for every variable).

Embedded default: SQLite in var/, a filesystem Celery broker and a file cache, so one command runs
web, worker and beat with no system service. Production: DATABASE_URL (PostgreSQL) and REDIS_URL.
"""

from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from outagedesk.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("OUTAGEDESK_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)

DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("OUTAGEDESK_TESTING", False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if DEBUG or TESTING:
        return "insecure-development-key-only-for-debug-and-tests-0123456789abcdef"
    if env_bool("OUTAGEDESK_EMBEDDED", False):
        # The one-command embedded mode keeps a generated key in var/, private to this install.
        path = VAR_DIR / "secret_key"
        if not path.exists():
            import secrets

            path.write_text(secrets.token_urlsafe(50))
            path.chmod(0o600)
        return path.read_text().strip()
    raise ImproperlyConfigured(
        "Environment variable SECRET_KEY is required when DEBUG is off "
        "(scripts/run sets OUTAGEDESK_EMBEDDED=1, which keeps a generated key in var/secret_key)."
    )


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
for _origin in CSRF_TRUSTED_ORIGINS:
    if urlparse(_origin).scheme not in ("http", "https"):
        raise ImproperlyConfigured(
            f"Environment variable CSRF_TRUSTED_ORIGINS has {_origin!r}: each origin needs "
            "its scheme, e.g. https://news.example.org."
        )
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env_str("SITE_NAME", "OutageDesk")
# The newsroom's logo in the public pages' header: a static file path ("brand/logo.svg"),
# checked at start-up (outagedesk/branding.py); empty: the site's name alone.
SITE_LOGO = env_str("SITE_LOGO", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "outagedesk",
    "incidents",
    "newsroom",
    "public",
    "comments",
    "notifications",
    # Last: it depends on every app above and none of them imports it.
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "outagedesk.middleware.language.PublicLocaleMiddleware",
    # Before anything reads the body (CSRF reads POST): size cap, then NUL / lone surrogates.
    "outagedesk.middleware.untrusted.UntrustedInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "outagedesk.login_policy.LoginThrottleMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "outagedesk.urls"
WSGI_APPLICATION = "outagedesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "outagedesk.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
_DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'outagedesk.sqlite3'}"
try:
    _db = dj_database_url.parse(env_str("DATABASE_URL", _DEFAULT_SQLITE), conn_max_age=0)
except ValueError as exc:
    raise ImproperlyConfigured(f"Environment variable DATABASE_URL is invalid: {exc}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE transactions + a busy timeout let web, worker and beat write at the same
    # time without "database is locked".
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60, minimum=0)
    _db["CONN_HEALTH_CHECKS"] = True
else:
    raise ImproperlyConfigured(
        "Environment variable DATABASE_URL must point to SQLite or PostgreSQL, "
        f"got engine {_db['ENGINE']}."
    )
DATABASES = {"default": _db}

# --- Cache and broker -----------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL and urlparse(REDIS_URL).scheme not in ("redis", "rediss", "unix"):
    raise ImproperlyConfigured(
        f"Environment variable REDIS_URL must start with redis://, rediss:// or unix://, "
        f"got {REDIS_URL!r}."
    )
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "outagedesk.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "od",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    (BROKER_DIR / "queue").mkdir(parents=True, exist_ok=True)
    (BROKER_DIR / "processed").mkdir(parents=True, exist_ok=True)
    (BROKER_DIR / "control").mkdir(parents=True, exist_ok=True)
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"visibility_timeout": 3600, "socket_connect_timeout": 2}
    if REDIS_URL
    else {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # Broadcast/control messages (celery inspect, remote control) go here, not in the cwd.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True

# --- Auth, i18n, static -----------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/newsroom/"
LOGOUT_REDIRECT_URL = "/"
# The login policy (outagedesk/login_policy.py), for the site's and the admin's login forms.
LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS = env_int(
    "LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS", 5, minimum=1
)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 30, minimum=1)
LOGIN_FIRST_DELAY_SECONDS = env_int("LOGIN_FIRST_DELAY_SECONDS", 60, minimum=1)
LOGIN_MAX_DELAY_SECONDS = env_int("LOGIN_MAX_DELAY_SECONDS", 900, minimum=1)
LOGIN_FORGET_AFTER_SECONDS = env_int("LOGIN_FORGET_AFTER_SECONDS", 3600, minimum=60)

LANGUAGE_CODE = env_choice("LANGUAGE_CODE", ("en", "fr"), "en")
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Email ------------------------------------------------------------------------------------
# Django 6.1's MAILERS (its EMAIL_* settings are deprecated, and may not sit beside MAILERS); the
# environment variables keep their EMAIL_* names. Every one is read, whatever the backend, so a
# bad value stops start-up even while the file backend is in use.
_FILE_MAIL = "django.core.mail.backends.filebased.EmailBackend"
_SMTP_MAIL = "django.core.mail.backends.smtp.EmailBackend"
_smtp_options = {
    "host": env_str("EMAIL_HOST", "localhost"),
    "port": env_int("EMAIL_PORT", 25, minimum=1),
    "username": env_str("EMAIL_HOST_USER"),
    "password": env_str("EMAIL_HOST_PASSWORD"),
    "use_tls": env_bool("EMAIL_USE_TLS", False),
    "timeout": 10,
}
# Files in var/mail/ where nobody reads real mail (embedded mode, DEBUG, tests); SMTP otherwise,
# as `check --deploy` requires of production.
_mail_backend = env_str(
    "EMAIL_BACKEND",
    _FILE_MAIL if DEBUG or TESTING or env_bool("OUTAGEDESK_EMBEDDED", False) else _SMTP_MAIL,
)
MAILERS = {
    "default": {
        "BACKEND": _mail_backend,
        # Each backend refuses options it does not know: only these two get any.
        "OPTIONS": {
            _SMTP_MAIL: _smtp_options,
            _FILE_MAIL: {"file_path": str(VAR_DIR / "mail")},
        }.get(_mail_backend, {}),
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "OutageDesk <alerts@localhost>")
STAFF_ALERT_EMAILS = env_list("STAFF_ALERT_EMAILS")
STAFF_ALERT_WEBHOOK_URL = env_str("STAFF_ALERT_WEBHOOK_URL")

# --- Security ---------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
HTTPS = env_bool("HTTPS", not DEBUG and not TESTING and SITE_URL.startswith("https://"))
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- OutageDesk -------------------------------------------------------------------------------
# The largest request body accepted, files included: the same figure as client_max_body_size
# in deploy/nginx.conf (64k), so a request nginx lets through is never refused here and the
# embedded mode, which has no nginx, refuses what production would.
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 64 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES
# Tests and the local fixture replay need loopback; production refuses it (SSRF).
FETCH_ALLOW_PRIVATE = env_bool("FETCH_ALLOW_PRIVATE", False)
FETCH_ALLOWED_HOSTS = env_list("FETCH_ALLOWED_HOSTS")
FIXTURE_REPLAY_URL = env_str("FIXTURE_REPLAY_URL")
# The embedded runner's fixture replay; 0 takes a free port, so two copies never collide.
FIXTURE_REPLAY_PORT = env_int("FIXTURE_REPLAY_PORT", 0, minimum=0)
# Items one source may add in one run; the rest are counted in its health (a flooded community
# feed must not bury the inbox).
GATHER_MAX_ITEMS_PER_RUN = env_int("GATHER_MAX_ITEMS_PER_RUN", 200, minimum=1)
CONFIRMATION_MIN_SOURCES = env_int("CONFIRMATION_MIN_SOURCES", 2, minimum=1)
X_BEARER_TOKEN = env_str("X_BEARER_TOKEN")
AKISMET_API_KEY = env_str("AKISMET_API_KEY")
VAPID_PUBLIC_KEY = env_str("VAPID_PUBLIC_KEY")
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY")
VAPID_CLAIMS_EMAIL = env_str("VAPID_CLAIMS_EMAIL", "mailto:alerts@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)
# Recorded source responses the demo replays (and tests serve from a local server).
_SHARED_FIXTURES = BASE_DIR.parent / "shared" / "fixtures" / "sources"
FIXTURE_SOURCES_DIR = Path(
    env_str(
        "FIXTURE_SOURCES_DIR",
        str(_SHARED_FIXTURES if _SHARED_FIXTURES.is_dir() else BASE_DIR / "demo" / "sources"),
    )
)
