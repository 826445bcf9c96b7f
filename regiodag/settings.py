"""Settings for Regiodag, in one module, driven by environment variables.

Every value but the secret key has an embedded default so that a newcomer can run the
project with nothing but Python and ``DEBUG=1`` (as ``make run`` and ``make test`` set it): a
SQLite file and a mail folder under ``var/``, Redis on localhost. Production
sets ``DATABASE_URL``, ``REDIS_URL``, ``EMAIL_URL``, ``SECRET_KEY``, ``DEBUG=0`` and
``ALLOWED_HOSTS``; with those, ``manage.py check --deploy`` reports nothing.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("REGIODAG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_directives(name):
    """'img-src https://a; report-uri /r' -> [["img-src", "https://a"], ["report-uri", "/r"]]."""
    return [words for words in (part.split() for part in os.environ.get(name, "").split(";")) if words]


def local_secret_key(folder):
    """A key of this checkout's own, made once and kept under var/, for DEBUG=1 only: no key
    lives in the code, and the demo's web and worker processes share the one key."""
    path = Path(folder) / "secret-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


# Debugging only when asked for by name: an instance whose environment forgot a variable
# must fail to start rather than show tracebacks to the public.
DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY ontbreekt. Zet SECRET_KEY in productie, of DEBUG=1 op een ontwikkelmachine "
            "(make run en make test doen dat zelf)."
        )
    SECRET_KEY = local_secret_key(VAR_DIR)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Absolute links in mails (personal links, "lees online") need the public address.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "regiodag",
    "regiodag.accounts",
    "csp",
    "events",
    "workshops",
    "registrations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "regiodag.security_headers.ContentSecurityPolicyMiddleware",
    "regiodag.security_headers.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "regiodag.middleware.ChosenLanguageMiddleware",
    # Before anything that looks a request's values up in the database.
    "regiodag.nul_bytes.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "regiodag.accounts.middleware.SessionLimitMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "regiodag.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "regiodag.urls"
WSGI_APPLICATION = "regiodag.wsgi.application"

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
            ],
        },
    },
]

if "DATABASE_URL" not in os.environ:
    # The embedded default lives under var/, which a fresh clone does not have yet.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'regiodag.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Parameters go to the server separately and a statement is prepared on its second use per
# connection, so PostgreSQL plans the statements of registering once instead of on every
# request: a third less database CPU per registration (bench/README.md). Behind a pooler in
# transaction mode, set REGIODAG_PREPARED_STATEMENTS=0.
if (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and os.environ.get("REGIODAG_PREPARED_STATEMENTS", "1") == "1"
):
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "server_side_binding": True,
        "prepare_threshold": 2,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- SQLite (the demo) ---
# One writer at a time: every transaction takes the write lock when it begins (IMMEDIATE),
# which serialises the capacity service where select_for_update does nothing; others wait
# for it (busy timeout) instead of failing with "database is locked". WAL lets readers
# read while one writes.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
    }

# --- SQLite test database ---
# Tests on SQLite (make test's second pass) use a file beside the configured one, not
# Django's in-memory default: live servers, threads and worker processes need connections
# of their own to one database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _sqlite_file = Path(DATABASES["default"]["NAME"])
    DATABASES["default"]["TEST"] = {"NAME": str(_sqlite_file.with_name(f"test_{_sqlite_file.name}"))}

# --- Cache ---
# Shared by every web process (rate limits, used start stamps, the registration page's form):
# Redis where the environment
# names one (tests, production); the demo's one process keeps it in its own memory.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            # A cache that does not answer is passed by (regiodag.outages), quickly.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and env_bool("MANIFEST_STATIC", default=True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Tests and the demo runner serve straight from static/ without collectstatic.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", default=DEBUG)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGIN_URL = "admin:login"
# Django 6 behaviour now: a URL typed without scheme is taken as https.
FORMS_URLFIELD_ASSUME_HTTPS = True


# --- Mail -------------------------------------------------------------------------------
def email_settings(url):
    """Translate ``EMAIL_URL`` (smtp://user:pass@host:port?tls=1, file:///path, console:)."""
    if not url:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(VAR_DIR / "mail"),
        }
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": parts.path,
        }
    if parts.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    query = parse_qs(parts.query)
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": query.get("tls", ["0"])[0] in {"1", "true"},
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_TIMEOUT": int(query.get("timeout", ["10"])[0]),
    }


globals().update(email_settings(os.environ.get("EMAIL_URL", "")))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Regiodag <noreply@regiodag.nl>")
# How long a worker's claim on a mail it is sending lasts; after that a mail whose worker
# died goes out again with the next sweep (registrations/mails/delivery.py).
REGIODAG_MAIL_LEASE_SECONDS = int(os.environ.get("REGIODAG_MAIL_LEASE_SECONDS", "600"))
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -----------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# Tasks acknowledge after they ran, so a worker that dies mid-task leaves the task for
# another one; every task is idempotent for that reason.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Publishing happens in the relay and the sweep, never in a web request; when Redis is down
# they fail fast and the next round tries again.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker keeps reconnecting to a broker that is down however long it takes (Celery's
# default gives up after a hundred tries, under an hour, and the worker exits).
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "visibility_timeout": 3600,
}
CELERY_TASK_ROUTES = {"registrations.tasks.render_*": {"queue": "pdf"}}
# Celery's persistent scheduler, telling a broker outage in one line (regiodag/beat.py).
CELERY_BEAT_SCHEDULER = "regiodag.beat:Scheduler"
CELERY_BEAT_SCHEDULE = {
    "hand-over-mails": {
        "task": "registrations.tasks.hand_over_mails",
        "schedule": 1.0,
        # A round nobody ran in time is superseded by the next one; with the workers down
        # the queue would otherwise fill with rounds.
        "options": {"expires": 5},
    },
    "hand-over-documents": {
        "task": "registrations.tasks.hand_over_documents",
        "schedule": 2.0,
        "options": {"expires": 5},
    },
    "send-due-mails": {
        "task": "registrations.tasks.sweep_due_mails",
        "schedule": crontab(minute="*/5"),
    },
    # Invitation mailings whose moment has come, and reminders before a deadline.
    "send-due-invitations": {
        "task": "registrations.tasks.send_due_invitations",
        "schedule": crontab(minute="*/5"),
    },
    "anonymise-past-registrations": {
        "task": "registrations.tasks.anonymise_expired",
        "schedule": crontab(hour=3, minute=17),
    },
}

# Personal data of past events is erased after this many days (AVG/GDPR).
REGIODAG_RETENTION_DAYS = int(os.environ.get("REGIODAG_RETENTION_DAYS", "365"))
# Badges and attendance lists of more people than this are made by the PDF worker, with
# progress and a download link, instead of in the web request (registrations.services.documents);
# their files are deleted this many days after they were asked for.
REGIODAG_DIRECT_PDF_LIMIT = int(os.environ.get("REGIODAG_DIRECT_PDF_LIMIT", "300"))
REGIODAG_DOCUMENT_DAYS = int(os.environ.get("REGIODAG_DOCUMENT_DAYS", "7"))
# The worker renders them this many A4 sheets at a time: one part's memory grows with its
# sheets, while every part loads fonts and styles anew (bench/badges.py measures both).
REGIODAG_PDF_PART_SHEETS = int(os.environ.get("REGIODAG_PDF_PART_SHEETS", "50"))

# --- Privacy statement (AVG) -------------------------------------------------------------
# The statement at /privacy/ names these; a production site sets its own. The defaults are
# the demo's, at reserved .example addresses.
# The body responsible for the personal data (verwerkingsverantwoordelijke).
REGIODAG_CONTROLLER = {
    "name": os.environ.get("REGIODAG_CONTROLLER_NAME", "Regiodag (demo)"),
    "address": os.environ.get("REGIODAG_CONTROLLER_ADDRESS", ""),
    "email": os.environ.get("REGIODAG_CONTROLLER_EMAIL", "privacy@regiodag.example"),
}
# The accessibility statement at /toegankelijkheid/ names the controller above as the body
# it speaks for; problems go to this address, and the statement says when it was drawn up.
REGIODAG_ACCESSIBILITY = {
    "email": os.environ.get("REGIODAG_ACCESSIBILITY_EMAIL", REGIODAG_CONTROLLER["email"]),
    "drawn_up": os.environ.get("REGIODAG_ACCESSIBILITY_DATE", "2026-12-06"),
}
# Its data-protection officer (functionaris gegevensbescherming).
REGIODAG_DPO = {
    "name": os.environ.get("REGIODAG_DPO_NAME", "het privacyteam van Regiodag (demo)"),
    "email": os.environ.get("REGIODAG_DPO_EMAIL", "fg@regiodag.example"),
}
# Why we may process the data (AVG art. 6(1)): "public_task" (e: a task in the public
# interest, what a public body organising these events rests on) or "consent" (a).
REGIODAG_LEGAL_BASES = ("public_task", "consent")
REGIODAG_LEGAL_BASIS = os.environ.get("REGIODAG_LEGAL_BASIS", "public_task")
if REGIODAG_LEGAL_BASIS not in REGIODAG_LEGAL_BASES:
    raise ImproperlyConfigured(f"REGIODAG_LEGAL_BASIS must be one of {', '.join(REGIODAG_LEGAL_BASES)}.")
# Spam trap: a registration form sent sooner than this after it was shown is a robot's.
REGIODAG_MIN_FILL_SECONDS = float(os.environ.get("REGIODAG_MIN_FILL_SECONDS", "3"))

# --- Abuse resistance of the public forms ---
# Requests per client address and per e-mail address (django-ratelimit's "count/period",
# e.g. "30/10m"), per form; None switches one off. Many civil servants of one municipality
# share an address, so the address limits are the loose ones. REGIODAG_RATE_LIMITS=0 switches
# them all off (the benchmark fires hundreds of registrations from one address).
REGIODAG_RATE_LIMITS = {
    "register-ip": "30/10m",
    "register-email": "5/h",
    "team-ip": "10/10m",
    "team-email": "5/h",
    "host-offer-ip": "10/10m",
    "host-offer-email": "5/h",
    "checkin-user": "300/m",
    "contact-ip": "20/10m",
    "one-click-ip": "600/10m",
    "certificate-ip": "60/10m",
}
RATELIMIT_ENABLE = env_bool("REGIODAG_RATE_LIMITS", default=True)
# A cache that cannot count lets the request through (regiodag.rate_limits logs it).
RATELIMIT_FAIL_OPEN = True
# The limits count the client's address as the sign-in lockout does (REGIODAG_PROXY_COUNT).
RATELIMIT_IP_META_KEY = "regiodag.accounts.addresses.client_address"
# Mails nobody asked for (acknowledgements, "your link again") per recipient per hour;
# more are recorded as skipped, not sent (registrations.mails.outbox).
# The mailto address of an invitation's List-Unsubscribe header, beside the one-click link.
REGIODAG_UNSUBSCRIBE_MAILTO = os.environ.get("REGIODAG_UNSUBSCRIBE_MAILTO", "afmelden@regiodag.nl")
REGIODAG_UNSOLICITED_MAILS_PER_HOUR = int(os.environ.get("REGIODAG_UNSOLICITED_MAILS_PER_HOUR", "5"))

# --- Security ---------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
# Load balancers and monitoring probe the health checks over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Sessions and sign-in (organiser accounts) ------------------------------------------
# django-axes counts failed sign-ins per account and, separately, per client address; either
# reaching the limit refuses every sign-in of that account or from that address, the right
# password included, until the cool-off has passed without new failures (regiodag.accounts).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("REGIODAG_SIGN_IN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("REGIODAG_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "regiodag.accounts.views.locked_out"
# Behind a reverse proxy every request comes from the proxy's address, and one person's typos
# would lock out everyone: REGIODAG_PROXY_COUNT says how many proxies in front of us append
# to X-Forwarded-For, so that the client's own address is counted.
REGIODAG_PROXY_COUNT = int(os.environ.get("REGIODAG_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "regiodag.accounts.addresses.client_address"

# A second factor (TOTP app, with recovery codes) for every staff account: the admin and the
# check-in pages refuse a session that has not passed it. Only the local demo may switch it
# off; `check --deploy` warns when production does.
REGIODAG_REQUIRE_2FA = env_bool("REGIODAG_REQUIRE_2FA", default=True)
OTP_TOTP_ISSUER = "Regiodag"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Idle timeout by Django itself: the session expires this long after its last request,
# because every request saves it anew. The absolute limit since signing in is kept by
# regiodag.accounts.middleware.SessionLimitMiddleware. Only organisers have sessions.
SESSION_COOKIE_AGE = int(os.environ.get("REGIODAG_SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
REGIODAG_SESSION_MAX_SECONDS = int(os.environ.get("REGIODAG_SESSION_MAX_HOURS", "8")) * 3600

# --- Content-Security-Policy (django-csp) ------------------------------------------------
# One policy for every HTML page, the admin (/beheer/) included: our own files only, no inline
# script or style, nothing from another host. REGIODAG_CSP in the environment adds sources or
# directives, e.g. "img-src https://stats.example.nl; report-uri https://csp.example.nl/report".
# A view that needs more says so with django-csp's decorators, for its own responses only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # data: for the SVG icons in Bootstrap's CSS (form controls)
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
for name, *sources in env_directives("REGIODAG_CSP"):
    CONTENT_SECURITY_POLICY["DIRECTIVES"].setdefault(name, []).extend(sources)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        "redact_tokens": {"()": "regiodag.log_redaction.RedactTokens"},
        "database_outage": {"()": "regiodag.unavailable.DatabaseOutageFilter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_tokens"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own default handlers would print its records unredacted while debugging.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # With the database down, one line per outage rather than a traceback per request.
        "django.request": {"filters": ["database_outage"]},
        # Request logs carry personal tokens in their paths; keep them out of the logs.
        "django.server": {"level": "WARNING"},
        # Seven progress lines per PDF and one per decoded font would drown the worker log.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes announces its configuration at every start; lockouts are warnings.
        "axes": {"level": "WARNING"},
    },
}
