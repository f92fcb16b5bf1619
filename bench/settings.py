"""Settings of the benchmark server: production-like (no debug), and static files picked up while it runs so the
benchmark can compare each dynamic response with a static file of the same size served by the same server."""

from config.settings.e2e import *  # noqa: F403

WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = False
ALLOWED_HOSTS = ["127.0.0.1"]
