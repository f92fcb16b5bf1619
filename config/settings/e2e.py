"""The server that browser tests drive: production-like (no debug), on a throw-away database, over plain HTTP."""

from .test import *  # noqa: F403

ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = MEDIA_ROOT / "outbox"  # noqa: F405
# Every browser test comes from 127.0.0.1 and fills the form faster than a person: the anti-spam limits are tested
# with their real values in the unit tests.
SUBMISSIONS_MIN_SECONDS = 1
SUBMISSIONS_RATE_PER_ADDRESS = "1000/h"
SUBMISSIONS_RATE_PER_EMAIL = "1000/h"
SUBMISSIONS_RATE_STEPS = "10000/h"
