"""Settings for the Forkom KPM portal.

Every value that differs between a laptop and production comes from an
environment variable (see README, "Configuration"); the code path is the same.
"""

import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from forkom.env import (
    env_bool,
    env_database,
    env_int,
    env_list,
    env_origins,
    env_positive_number,
    env_redis_url,
    env_replica_database,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

# Only a development machine may fall back to a known key; production must set one.
_DEVELOPMENT_SECRET_KEY = "django-insecure-forkom-development-only-never-in-production"
SECRET_KEY = env_str("SECRET_KEY", _DEVELOPMENT_SECRET_KEY if DEBUG else None)
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY (a long random string) when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_origins("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "forkom.accounts",
    "forkom.territory",
    "forkom.outbox",
    "forkom.notifications",
    "forkom.apps.ForkomConfig",
    "cadres",
    "trainings",
    "programs",
    "dashboard",
    "devdata",
    "forkom.apps.ForkomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "forkom.apps.SecondFactorConfig",  # allauth.mfa
    "django_filters",
    "forkom.apps.BackgroundTasksConfig",  # django_tasks_db
    "django.forms",
]

# Background work (emails, reminders, large exports) runs on Django's task framework with
# the database backend of django-tasks-db: a task is a row written in the transaction that
# causes it, run by `manage.py db_worker` (a service of its own beside gunicorn).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Form widgets render with the site's templates, so that templates/django/forms/ can replace
# a widget's template (input, label, paragraphs: written out for speed), and the option lists
# (select, checkbox, radio) in Python, with the same markup (forkom/renderers.py).
FORM_RENDERER = "forkom.renderers.Renderer"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "forkom.middleware.ChosenLanguageMiddleware",
    "forkom.middleware.UnreadableRequestMiddleware",
    "forkom.middleware.MethodNotAllowedPageMiddleware",
    "forkom.middleware.SiteOriginMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, so that it sees the views' exceptions first.
    "forkom.unavailable.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "forkom.urls"
WSGI_APPLICATION = "forkom.wsgi.application"

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
                "forkom.context_processors.navigation",
            ],
            # The `date` filter written faster with the same text (forkom/dates.py).
            "builtins": ["forkom.templatetags.dates"],
        },
    },
]

# Database: an SQLite file by default, PostgreSQL in production and CI.
# Requests give up on a statement after DATABASE_STATEMENT_TIMEOUT ms (15 s: a page that
# takes longer has a bug; the visitor gets "try again" instead of a stuck worker); the task
# worker and management commands (imports, exports, migrations) after
# DATABASE_COMMAND_STATEMENT_TIMEOUT (10 minutes). Empty: no limit.
SERVING = "gunicorn" in Path(sys.argv[0]).name or sys.argv[1:2] == ["runserver"]
_statement_timeout = (
    env_positive_number("DATABASE_STATEMENT_TIMEOUT", 15_000)
    if SERVING
    else env_positive_number("DATABASE_COMMAND_STATEMENT_TIMEOUT", 600_000)
)
DATABASES = {
    "default": env_database(
        "DATABASE_URL",
        f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        statement_timeout=_statement_timeout,
    )
}
# A read replica of it for the dashboards' figures (forkom.replica); unset, all on the primary.
REPLICA_DATABASE = env_replica_database("DATABASE_REPLICA_URL", DATABASES["default"])
if REPLICA_DATABASE:
    DATABASES["replica"] = REPLICA_DATABASE
DATABASE_ROUTERS = ["forkom.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache (allauth's rate limits live here, so it must be shared by every worker):
# Redis when REDIS_URL is set, otherwise a database table.
REDIS_URL = env_redis_url("REDIS_URL")
if REDIS_URL:
    # A Redis that stops or hangs costs a request at most REDIS_TIMEOUT once every few
    # seconds (forkom/cache.py); sessions live in the database and Redis only caches them,
    # so that a Redis restart logs nobody out.
    _redis_timeout = env_positive_number("REDIS_TIMEOUT", 0.25)
    CACHES = {
        "default": {
            "BACKEND": "forkom.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": _redis_timeout,
                "socket_timeout": _redis_timeout,
                "retry_on_timeout": False,
            },
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "forkom_cache",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email is the login; the address must be confirmed before signing in.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# A person by name, also a cadre whose account holds none (registered by an officer, imported).
ACCOUNT_USER_DISPLAY = "cadres.selectors.account_display"
ACCOUNT_ADAPTER = "forkom.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Forkom KPM] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Forkom KPM"

# Email (Django 6.1 mailers): printed on the console unless an SMTP host is configured.
_email_host = env_str("EMAIL_HOST", "")
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": _email_host,
            "port": env_int("EMAIL_PORT", 587, minimum=1),
            "username": env_str("EMAIL_HOST_USER", ""),
            "password": env_str("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
            # A mail server that does not answer holds a worker, never a request: still,
            # give up on it soon and let the retry come later.
            "timeout": env_int("EMAIL_TIMEOUT", 10, minimum=1),
        },
    }
    if _email_host
    else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
}
# The first pause before an email the mail server refused is tried again; each later pause
# doubles (forkom/outbox/services.py).
EMAIL_FIRST_RETRY_SECONDS = env_int("EMAIL_FIRST_RETRY_SECONDS", 30, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Forkom KPM <noreply@forkom.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Language, time and numbers: Indonesian first, WITA (UTC+8).
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
# The portal's catalogue, then the glossary's overrides of third-party wording
# (scripts/glossary.py, docs/glossary.md); both before the packages' own catalogues.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
FORMAT_MODULE_PATH = ["forkom.formats"]
TIME_ZONE = "Asia/Makassar"
USE_I18N = True
USE_TZ = True

# Static files: compressed and content-hashed, served by the app itself (whitenoise).
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "forkom.staticfiles.StaticFilesStorage"},
}
# Uploads are private: no MEDIA_URL, never served as static files; the apps' views stream
# them after checking who may see them.
MEDIA_ROOT = env_str("MEDIA_ROOT", str(BASE_DIR / "media"))
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# Content Security Policy: nothing from another host, no inline code without a nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Transport security: on unless DEBUG; behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
BEHIND_PROXY = env_bool("SECURE_PROXY_SSL_HEADER", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Whose address allauth's rate limits count (failed sign-ins, reset emails): behind the
# documented proxy, the client's as the proxy appends it to X-Forwarded-For (else every
# visitor shares the proxy's address and one abuser locks everyone out); without a proxy,
# the connection's own, and the header, which anyone can write, is ignored.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_PROXY else 0, minimum=0)
SESSION_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The site's address as users reach it, for links in emails sent outside a request.
FORKOM_SITE_URL = env_str("FORKOM_SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")

# Each forgotten person is also appended here, apart from the database and its backups, so
# that a restore can forget them again (forkom/deletion_log.py, docs/operations.md).
FORKOM_DELETION_LOG = env_str(
    "FORKOM_DELETION_LOG", str(BASE_DIR / "var" / "deletion-log.jsonl") if DEBUG else ""
)

# An XLSX cadre list longer than this is built by the task worker, not in the request.
FORKOM_EXPORT_IN_BACKGROUND_ROWS = env_int("FORKOM_EXPORT_IN_BACKGROUND_ROWS", 5_000, minimum=0)

# How long an activation code an officer hands to a cadre without email stays usable.
FORKOM_ACTIVATION_CODE_HOURS = env_int("FORKOM_ACTIVATION_CODE_HOURS", 72, minimum=1)

# The kota whose territory the home page shows (the pilot: Kota Bontang).
FORKOM_HOME_REGION = env_str("FORKOM_HOME_REGION", "64.74")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "filters": {"expected_refusals": {"()": "forkom.errors.ExpectedRefusalsWithoutTraceback"}},
    "loggers": {
        # Django's default gives its "django" logger a console handler of its own (with
        # DEBUG on), and the record went on to the root's: every refused request printed
        # twice. The root's alone prints them.
        "django": {"handlers": [], "propagate": True},
        "django.request": {"filters": ["expected_refusals"]},
    },
}
