"""Settings of the benchmark server: production-like (no debug), and static files picked up while it runs so the
benchmark can compare each dynamic response with a static file of the same size served by the same server."""

from config.settings.e2e import *  # noqa: F403

WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = False
ALLOWED_HOSTS = ["127.0.0.1"]
# The page cache is off unless a benchmark turns it on (bench/performance.py measures pages with and without it).
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "0"))  # noqa: F405
CACHES["pages"] = {  # noqa: F405
    "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
    "LOCATION": env("PAGE_CACHE_DIR") or BASE_DIR / "var" / "bench" / "page-cache",  # noqa: F405
    "OPTIONS": {"MAX_ENTRIES": 10_000},
}

if env("BENCH_PRODUCTION_LIMITS"):  # noqa: F405
    # The anti-spam limits at their production values (the browser-test settings relax them).
    SUBMISSIONS_MIN_SECONDS = int(env("SUBMISSIONS_MIN_SECONDS", "20"))  # noqa: F405
    SUBMISSIONS_RATE_PER_ADDRESS = env("SUBMISSIONS_RATE_PER_ADDRESS", "10/h")  # noqa: F405
    SUBMISSIONS_RATE_PER_EMAIL = env("SUBMISSIONS_RATE_PER_EMAIL", "5/h")  # noqa: F405
    SUBMISSIONS_RATE_STEPS = env("SUBMISSIONS_RATE_STEPS", "600/h")  # noqa: F405
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}  # noqa: F405

if env("BENCH_DATABASE_JOBS"):  # noqa: F405
    # Background jobs stored in the database, as in production (the test settings run them at once).
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

if env("BENCH_BEHIND_PROXY"):  # noqa: F405
    # bench/lighthouse.py: pages as production serves them behind its proxy (docs/performance.md) — HTML compressed
    # (the proxy's gzip, here Django's middleware in its place) and the static files cache-busted, compressed and
    # cached for a year as the production settings have them (the test settings, under these, do without).
    WHITENOISE_AUTOREFRESH = False
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}  # noqa: F405
    MIDDLEWARE = ["django.middleware.gzip.GZipMiddleware", *MIDDLEWARE]  # noqa: F405

if env("BENCH_REDIS"):  # noqa: F405
    # The cache and the page cache in Redis, shared by every worker and server, as in production.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")},  # noqa: F405
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),  # noqa: F405
            "KEY_PREFIX": "pages",
        },
    }

if env("BENCH_NO_RATE_LIMITS"):  # noqa: F405
    # Every benchmark visitor comes from 127.0.0.1: the rate limits would refuse them (bench/two_servers.py keeps them).
    RATELIMIT_ENABLE = False
    SUBMISSIONS_MIN_SECONDS = 1
