"""Production keeps its caches in Redis (REDIS_URL): the page cache and the rate limits' counters, shared by every
worker and app server. These tests run them on the Redis server of the machine (TEST_REDIS_URL, database 14 by
default), never on a stand-in: a missing Redis fails them."""

import os
import uuid

import pytest
import redis
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse

from participation.core.page_cache import page_cache
from participation.core.services import page_create, page_publish
from participation.core.tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def redis_caches():
    """The three caches in Redis, as base.py sets them when REDIS_URL is set, under a prefix of this test's own."""
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    backend = "django.core.cache.backends.redis.RedisCache"
    with override_settings(
        CACHES={
            "default": {"BACKEND": backend, "LOCATION": REDIS_URL, "KEY_PREFIX": prefix},
            "pages": {"BACKEND": backend, "LOCATION": REDIS_URL, "KEY_PREFIX": f"{prefix}-pages"},
            "ratelimit": {"BACKEND": backend, "LOCATION": REDIS_URL, "KEY_PREFIX": f"{prefix}-ratelimit"},
        },
        PAGE_CACHE_SECONDS=600,
    ):
        yield prefix
        caches["default"].clear()
        page_cache().clear()
        caches["ratelimit"].clear()


def test_a_page_kept_in_redis_is_served_to_another_visitor_and_forgotten_when_it_changes(site_homes, redis_caches):
    about = page_create(parent=site_homes["fr"], page=StandardPageFactory(title="À propos", slug="a-propos"))
    first = Client().get(about.url)
    assert first["X-Page-Cache"] == "miss"
    # Another visitor (another worker or server reads the same Redis) is served the kept page.
    second = Client().get(about.url)
    assert second["X-Page-Cache"] == "hit" and second.content == first.content
    about.title = "À propos de nous"
    page_publish(about)
    changed = Client().get(about.url)
    assert changed["X-Page-Cache"] == "miss" and "À propos de nous" in changed.content.decode()


def test_sign_in_throttling_counts_in_redis_whatever_the_address(site_homes, redis_caches):
    username = f"throttled-{uuid.uuid4().hex[:8]}@example.org"
    get_user_model().objects.create_user(username, username, "a-long-password-1")
    url = reverse("network_sign_in")
    # Each attempt from another client and address, as if it reached another app server: one count in Redis.
    statuses = [
        Client().post(url, {"username": username, "password": "wrong"}, REMOTE_ADDR=f"10.0.1.{n}").status_code
        for n in range(12)
    ]
    assert statuses[0] == 200 and statuses[-1] == 429
    # The counters live in Redis under the rate limits' own prefix: emptying them there lets the account try again.
    with redis.Redis.from_url(REDIS_URL) as counters:
        assert counters.keys(f"{redis_caches}-ratelimit:*")
        caches["ratelimit"].clear()
        assert not counters.keys(f"{redis_caches}-ratelimit:*")
    assert Client().post(url, {"username": username, "password": "wrong"}).status_code == 200
