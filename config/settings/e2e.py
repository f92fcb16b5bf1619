"""The server that browser tests drive: production-like (no debug), on a throw-away database, over plain HTTP."""

from .test import *  # noqa: F403

ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = MEDIA_ROOT / "outbox"  # noqa: F405
