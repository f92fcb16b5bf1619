"""Settings shared by every environment. Every value that differs between deployments comes from the environment;
`.env.example` lists and explains each variable."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "participation"


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "participation.core",
    "participation.toolbox",
    "participation.initiatives",
    "participation.providers",
    "participation.articles",
    "participation.newsletter",
    "participation.network",
    "participation.planner",
    "participation.submissions",
    "participation.search",
    "participation.opendata",
    "participation.api",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.forms",
    "whitenoise.runserver_nostatic",
    "participation.core.static_files.StaticFilesWithoutUnusedBuilds",
]

MIDDLEWARE = [
    "participation.core.middleware.RequestLogMiddleware",
    "participation.api.middleware.ApiMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "participation.core.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "participation.api.middleware.SiteLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "participation.core.middleware.SiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "participation.core.middleware.AdminSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "participation.core.context_processors.platform",
                "participation.newsletter.context_processors.newsletter",
            ],
            # Dates in French say "1er juin" (core.templatetags.dates replaces the `date` filter everywhere).
            "builtins": ["participation.core.templatetags.dates"],
        },
    },
]

# Database: SQLite by default (zero set-up), anything dj-database-url understands through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
        # A kept connection is checked before each request: after a database restart the next request reconnects.
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default, Redis when REDIS_URL is set. The page cache (core.page_cache) is shared by every
# worker of the server: files in var/cache/pages by default, Redis when REDIS_URL is set. The rate limits'
# counters (django-ratelimit) have their own alias: they can be reset without emptying the caches, and the other way
# round.
PAGE_CACHE_ALIAS = "pages"
RATELIMIT_USE_CACHE = "ratelimit"
if env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
            "KEY_PREFIX": "participation",
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
            "KEY_PREFIX": "participation-pages",
        },
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
            "KEY_PREFIX": "participation-ratelimit",
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env("PAGE_CACHE_DIR") or BASE_DIR / "var" / "cache" / "pages",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        },
        "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"},
    }
# How long an anonymous page is kept at most (0: no page cache), how long browsers and shared caches (a reverse proxy,
# a CDN) may reuse it without asking again, and the largest answer kept (docs/performance.md).
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "600"))
PAGE_CACHE_BROWSER_SECONDS = int(env("PAGE_CACHE_BROWSER_SECONDS", "0"))
PAGE_CACHE_SHARED_SECONDS = int(env("PAGE_CACHE_SHARED_SECONDS", "0"))
PAGE_CACHE_MAX_BYTES = int(env("PAGE_CACHE_MAX_BYTES", str(2 * 1024 * 1024)))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: French first (the fallback), then Dutch, then English.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("nl", "Nederlands"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = True
# Machine translation only pre-fills drafts that a person reviews (decision 0019): "deepl", "libretranslate", "local"
# (a marker engine for tests and demonstrations) or empty (off).
MACHINE_TRANSLATION_ENGINE = env("MACHINE_TRANSLATION_ENGINE", "")
MACHINE_TRANSLATION_URL = env("MACHINE_TRANSLATION_URL", "")
MACHINE_TRANSLATION_API_KEY = env("MACHINE_TRANSLATION_API_KEY", "")
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

# Static files: compressed and cache-busted by WhiteNoise, served by the application itself.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT") or BASE_DIR / "var" / "static")
# Front-end packages come from npm (package-lock.json), never copied into the repository.
STATICFILES_DIRS = [
    PROJECT_DIR / "static",
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/leaflet.markercluster", BASE_DIR / "node_modules" / "leaflet.markercluster" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT") or BASE_DIR / "var" / "media")

# Media: local disk by default, any S3-compatible storage when S3_BUCKET_NAME is set.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Without object storage the application serves uploaded media itself (fine for one server behind a cache).
SERVE_MEDIA_FILES = not env("S3_BUCKET_NAME")


def s3_storage():
    """Media on any S3-compatible storage, from the S3_* variables. Objects are written without an ACL: the bucket
    decides who reads what. Its policy lets anyone read the images' renditions (`images/`, what pages show) and
    nothing else: documents, members-only ones included, are served by Wagtail's document view, which checks the
    collection's privacy (docs/operations.md)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET_NAME"),
            "endpoint_url": env("S3_ENDPOINT_URL"),
            "region_name": env("S3_REGION_NAME"),
            "access_key": env("S3_ACCESS_KEY_ID"),
            "secret_key": env("S3_SECRET_ACCESS_KEY"),
            "custom_domain": env("S3_CUSTOM_DOMAIN"),
            "default_acl": None,
            "querystring_auth": env_bool("S3_QUERYSTRING_AUTH", False),
            "file_overwrite": False,
        },
    }


if env("S3_BUCKET_NAME"):
    STORAGES["default"] = s3_storage()

# Background jobs (participation.core.tasks): stored in the database, run by `manage.py db_worker` (make run starts
# one beside the web server). A failed attempt is tried again after each of these delays in seconds, then left failed
# for administrators (admin: Background jobs).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TASKS_RETRY_DELAYS = [60, 300, 1800, 7200, 43200]

# Email: console in development, SMTP when EMAIL_URL-style variables are set.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "participation.brussels <noreply@participation.brussels>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Wagtail
WAGTAIL_SITE_NAME = "participation.brussels"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Search. The site search runs on the database's own full-text index (SQLite FTS5, PostgreSQL tsvector:
# participation/search/engine.py); Wagtail's database backend serves the admin's searches. With OPENSEARCH_URL, both
# move to OpenSearch: Wagtail's default backend becomes OpenSearch and the site search indexes and matches through it
# (docs/decisions/0014-site-search.md).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "simple"}}
SEARCH_ENGINE = "database"
if env("OPENSEARCH_URL"):
    SEARCH_ENGINE = "wagtail"
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.opensearch2",
            "URLS": [env("OPENSEARCH_URL")],
            "INDEX": env("OPENSEARCH_INDEX", "participation"),
        }
    }
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odp", "ods", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# The platform's own configuration.
# Where support requests of the purchasing centre are sent.
PURCHASING_CENTRE_EMAIL = env("PURCHASING_CENTRE_EMAIL", "participation@perspective.brussels")
PARTICIPATION_CONTACT_EMAILS = {
    "fr": "participation@perspective.brussels",
    "nl": "participatie@perspective.brussels",
}
# Licence of the open data exports (map of initiatives).
DATA_LICENCE = {
    "name": env("DATA_LICENCE_NAME", "CC BY 4.0"),
    "url": env("DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"),
}
# The public API (participation.api, decision 0020): requests per address (django-ratelimit's notation, counted in
# the shared cache) and how long browsers and shared caches may keep an answer without asking again.
API_RATE_PER_ADDRESS = env("API_RATE_PER_ADDRESS", "600/m")
API_CACHE_SECONDS = int(env("API_CACHE_SECONDS", "300"))
# Shared initiatives (participation.submissions): where moderators are notified, the anti-spam limits and how long a
# confirmation link and an unfinished draft live.
SUBMISSIONS_MODERATORS_EMAIL = env("SUBMISSIONS_MODERATORS_EMAIL", "participation@perspective.brussels")
SUBMISSIONS_MIN_SECONDS = int(env("SUBMISSIONS_MIN_SECONDS", "20"))
SUBMISSIONS_RATE_PER_ADDRESS = env("SUBMISSIONS_RATE_PER_ADDRESS", "10/h")
SUBMISSIONS_RATE_STEPS = env("SUBMISSIONS_RATE_STEPS", "600/h")
SUBMISSIONS_RATE_PER_EMAIL = env("SUBMISSIONS_RATE_PER_EMAIL", "5/h")
SUBMISSIONS_NOTIFY_EVERY_MINUTES = int(env("SUBMISSIONS_NOTIFY_EVERY_MINUTES", "15"))
SUBMISSIONS_LINK_DAYS = 7
SUBMISSIONS_DRAFT_DAYS = 30
RATELIMIT_VIEW = "participation.core.views.too_many_requests"
# The network (participation.network): where membership requests are notified; members sign in on the site (not in
# the admin), throttled per address and per account; members-only documents are always served through Wagtail's
# document view, which checks the collection's privacy (never a direct file address).
NETWORK_EMAIL = env("NETWORK_EMAIL", "participation@perspective.brussels")
NETWORK_SIGN_IN_RATE_PER_ADDRESS = env("NETWORK_SIGN_IN_RATE_PER_ADDRESS", "20/h")
NETWORK_SIGN_IN_RATE_PER_USERNAME = env("NETWORK_SIGN_IN_RATE_PER_USERNAME", "10/h")
NETWORK_PASSWORD_RESET_RATE = env("NETWORK_PASSWORD_RESET_RATE", "5/h")
LOGIN_URL = "network_sign_in"
LOGIN_REDIRECT_URL = "network_members_home"
LOGOUT_REDIRECT_URL = None
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
WAGTAILDOCS_SERVE_METHOD = "serve_view"
MAP_TILE_URL = env("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)

# Security headers that hold everywhere; production.py adds the HTTPS-only ones.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail overrides it for its own preview frame.
SESSION_COOKIE_HTTPONLY = True
# The admin (docs/decisions/0018-reliability.md): a second factor (TOTP, django-otp) for every account that reaches it
# (required in production), a session that ends ADMIN_SESSION_SECONDS after signing in, a throttled sign-in.
ADMIN_2FA_REQUIRED = env_bool("ADMIN_2FA_REQUIRED", False)
OTP_TOTP_ISSUER = "participation.brussels"
ADMIN_SESSION_SECONDS = int(env("ADMIN_SESSION_SECONDS", str(4 * 3600)))
ADMIN_SIGN_IN_RATE_PER_ADDRESS = env("ADMIN_SIGN_IN_RATE_PER_ADDRESS", "20/h")
ADMIN_SIGN_IN_RATE_PER_USERNAME = env("ADMIN_SIGN_IN_RATE_PER_USERNAME", "10/h")
# /.well-known/security.txt
SECURITY_CONTACT = env("SECURITY_CONTACT", "mailto:participation@perspective.brussels")
SECURITY_POLICY_URL = env("SECURITY_POLICY_URL", "")
CSRF_COOKIE_HTTPONLY = True


def _tile_origin(url):
    """The scheme and host of the tile URL, so the CSP allows exactly the configured tile server."""
    parts = url.split("/")
    return "/".join(parts[:3]).replace("{s}.", "*.") if len(parts) > 2 else url


CONTENT_SECURITY_POLICY = {
    # Wagtail's admin relies on inline scripts and styles; it is protected by authentication instead.
    "EXCLUDE_URL_PREFIXES": ("/admin/",),
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", _tile_origin(MAP_TILE_URL)],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # Wagtail's live preview shows the page in a frame of the admin: same origin only.
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
        "report-uri": ["/csp-report/"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "participation.core.logs.JsonFormatter"},
    },
    # LOG_FORMAT=json: one JSON object per line, for a log collector.
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": env("LOG_FORMAT", "plain")}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "wagtail.contrib.redirects": {"level": "WARNING"},
        "participation.requests": {"level": env("REQUEST_LOG_LEVEL", "INFO"), "propagate": True},
    },
}

# Error reporting (docs/operations.md): with SENTRY_DSN, unhandled errors and ERROR logs go to Sentry or any service
# that speaks its protocol (GlitchTip, self-hosted Sentry), without personal data (no addresses, cookies or bodies).
if env("SENTRY_DSN"):
    import sentry_sdk

    sentry_sdk.init(
        dsn=env("SENTRY_DSN"),
        environment=env("SENTRY_ENVIRONMENT", "production"),
        release=env("SENTRY_RELEASE") or None,
        send_default_pii=False,
        traces_sample_rate=float(env("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
