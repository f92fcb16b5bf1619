"""The cache of anonymous pages: what an anonymous visitor is shown is kept and served again without running the view,
until something shown on the site changes (docs/decisions/0017-caching-and-scale.md).

- Kept: GET responses with status 200 under a language prefix (/fr/, /nl/, /en/), per address and query string
  (parameters sorted), for visitors without a session or messages cookie.
- Never kept: responses that set a cookie (a CSRF token for a form, a message, a session), that say `private`,
  `no-cache` or `no-store`, streamed ones, bigger than PAGE_CACHE_MAX_BYTES, or answers to an address carrying a
  secret token (confirmation, cancellation and update links).
- Invalidated as a whole by a new *generation*: any change to a page (published, unpublished, moved, translated,
  deleted) or to a record a page shows (each domain names its records with `page_cache_watch`). The generation is
  read before the view runs, so a page rendered while something changes is stored under the old generation and
  never served; it changes again after the commit.
- Headers: kept answers carry an ETag and Last-Modified (a conditional request gets a 304), `Cache-Control: public`
  with `max-age` and `s-maxage` from the settings, and `Vary: Accept-Encoding` only (cookies never change them);
  answers to signed-in people and every answer not kept are `private, no-cache`.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, urlencode

GENERATION_KEY = "page-cache:generation"
# Query parameters that carry a secret (links sent by email): such answers are personal.
SECRET_PARAMETERS = frozenset({"token"})
NOT_KEPT = ("private", "no-cache", "no-store")
_paused = False
# Headers a kept answer does not carry again: this middleware sets them (cookies are never kept).
RESET_HEADERS = frozenset({"vary", "cache-control", "etag", "last-modified", "expires"})


def page_cache() -> BaseCache:
    return caches[settings.PAGE_CACHE_ALIAS]


def page_cache_generation(cache: BaseCache | None = None) -> str:
    """The current generation: it changes whenever something shown on the site changes (`page_cache_clear`), so a
    key that holds it is never read after such a change (kept pages, the site shell's parts)."""
    cache = cache or page_cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return str(generation)


def page_cache_clear() -> None:
    """Forget every kept page: now, and again once the current transaction commits (a page rendered in between,
    from data not yet committed, is then never served)."""
    if _paused:
        return

    def renew() -> None:
        page_cache().set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)

    renew()
    transaction.on_commit(renew)


@contextmanager
def page_cache_paused() -> Iterator[None]:
    """Bulk writes (the demo content) without forgetting the kept pages on every save (the demo content would
    renew the generation thousands of times); they are forgotten once at the end."""
    global _paused
    previous, _paused = _paused, True
    try:
        yield
    finally:
        _paused = previous
        page_cache_clear()


def _changed(sender: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        page_cache_clear()


def page_cache_watch(*models: type[Model]) -> None:
    """The kept pages are forgotten whenever one of these records (or one of its many-to-many links) is saved or
    deleted."""
    for model in models:
        uid = f"page-cache-{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-saved")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-deleted")
        for field in model._meta.local_many_to_many:
            through = getattr(model, field.name).through
            m2m_changed.connect(_changed, sender=through, dispatch_uid=f"{uid}-{field.name}")


def is_public_page_path(path: str) -> bool:
    """An address of the public site in one of its languages (/fr/…, /nl/…, /en/…): not the admin, the API, the
    health check or a file."""
    return path.startswith(tuple(f"/{code}/" for code, _name in settings.LANGUAGES))


def _is_cacheable_request(request: HttpRequest) -> bool:
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method != "GET":
        return False
    if not is_public_page_path(request.path):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies or "HTTP_AUTHORIZATION" in request.META:
        return False
    return not SECRET_PARAMETERS.intersection(request.GET)


def _key(request: HttpRequest, generation: str) -> str:
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    gzip = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
    digest = hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()
    return f"page-cache:{generation}:{int(gzip)}:{digest}"


def _is_storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in NOT_KEPT):
        return False
    return isinstance(response, HttpResponse) and len(response.content) <= settings.PAGE_CACHE_MAX_BYTES


def _public_headers(etag: str, stored_at: float) -> dict[str, str]:
    """The cache headers of a kept answer, formatted once when it is stored."""
    cache_control = f"public, max-age={settings.PAGE_CACHE_BROWSER_SECONDS}"
    return {
        "ETag": etag,
        "Last-Modified": http_date(stored_at),
        "Vary": "Accept-Encoding",
        "Cache-Control": f"{cache_control}, s-maxage={settings.PAGE_CACHE_SHARED_SECONDS}",
    }


def _private_headers(response: HttpResponseBase) -> None:
    if "Cache-Control" not in response:
        patch_cache_control(response, private=True, no_cache=True)


class PageCacheMiddleware:
    """Serves anonymous pages from the page cache (placed before the session, language and CSRF middleware, so a
    kept page costs two cache reads)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not _is_cacheable_request(request):
            response = self.get_response(request)
            if settings.PAGE_CACHE_SECONDS > 0:
                _private_headers(response)
            return response
        cache = page_cache()
        key = _key(request, page_cache_generation(cache))
        entry = cache.get(key)
        if entry is not None:
            return self._served(request, entry)
        response = self.get_response(request)
        if not _is_storable(request, response):
            _private_headers(response)
            return response
        assert isinstance(response, HttpResponse)
        etag = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
        stored_at = time.time()
        headers = {name: value for name, value in response.items() if name.lower() not in RESET_HEADERS}
        headers.update(_public_headers(etag, stored_at))
        cache.set(key, (response.content, headers, etag, stored_at), settings.PAGE_CACHE_SECONDS)
        for header in RESET_HEADERS.intersection(name.lower() for name in response.headers):
            del response[header]
        for name, value in headers.items():
            response[name] = value
        response["X-Page-Cache"] = "miss"
        return response

    def _served(self, request: HttpRequest, entry: tuple[bytes, dict[str, str], str, float]) -> HttpResponseBase:
        content, headers, etag, stored_at = entry
        response = HttpResponse(content, headers={**headers, "X-Page-Cache": "hit"})
        if "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
            conditional = get_conditional_response(request, etag=etag, last_modified=int(stored_at), response=response)
            return conditional if conditional is not None else response
        return response
