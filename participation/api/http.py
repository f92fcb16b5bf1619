"""What every answer of the public API shares (docs/decisions/0020-public-api.md): the reader's language, checked
query parameters, opaque cursors, rate limits, problem documents (RFC 9457), conditional requests, cache and CORS
headers.

An operation is wrapped by `operation(...)`: the wrapper counts the request against the rate limit, refuses unknown
or hostile parameters, activates the language asked for, and turns what the operation returns (a `Result`) into a
JSON answer with its ETag, Last-Modified, Cache-Control, Content-Language and Link headers, or a 304.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from django_ratelimit.core import get_usage
from pydantic import BaseModel

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
PROBLEM_CONTENT_TYPE = "application/problem+json"
# Parameters every list takes, besides its filters.
LIST_PARAMETERS = frozenset({"lang", "cursor", "limit"})
PAGE_SIZE_DEFAULT = 20
PAGE_SIZE_MAX = 100
# The longest value a parameter may have (a keyword search keeps 200 characters: a longer one is not a search).
VALUE_MAX_LENGTH = 200
CURSOR_PREFIX = "v1:"
# Headers a script on another site may read (CORS), and may send in a GET.
EXPOSED_HEADERS = "ETag, Last-Modified, Link, Retry-After, Content-Language"
ALLOWED_REQUEST_HEADERS = "Accept, Accept-Language, If-None-Match, If-Modified-Since"


class Problem(Exception):
    """An answer that says what is wrong (RFC 9457): a status, a short title, a detail for this request, and the
    parameters at fault."""

    def __init__(
        self, *, status: int, title: str, detail: str, errors: list[dict[str, str]] | None = None, retry_after: int = 0
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors or []
        self.retry_after = retry_after


def docs_url(request: HttpRequest, anchor: str = "") -> str:
    """The address of the API's documentation page in the active language (problem types point into it)."""
    return request.build_absolute_uri(reverse("api-docs")) + (f"#{anchor}" if anchor else "")


def problem_response(request: HttpRequest, problem: Problem) -> HttpResponse:
    body: dict[str, Any] = {
        "type": docs_url(request, f"problem-{problem.status}"),
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
        "instance": request.get_full_path(),
    }
    if problem.errors:
        body["errors"] = problem.errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=problem.status, content_type=PROBLEM_CONTENT_TYPE
    )
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = translation.get_language()
    if problem.retry_after:
        response["Retry-After"] = str(problem.retry_after)
    return response


def bad_request(detail: str, *, parameter: str) -> Problem:
    return Problem(
        status=400,
        title=_("The request is not valid"),
        detail=detail,
        errors=[{"parameter": parameter, "message": detail}],
    )


def not_found() -> Problem:
    return Problem(status=404, title=_("Not found"), detail=_("There is no item at this address."))


# The language.


def request_language(request: HttpRequest) -> str:
    """The language asked for: the `lang` parameter (fr, nl or en; anything else is an error), then the first
    language of Accept-Language that the platform speaks, then French."""
    asked = request.GET.get("lang")
    if asked is not None:
        if asked not in LANGUAGE_CODES:
            raise bad_request(
                _("The language “%(value)s” is not one of fr, nl, en.") % {"value": asked[:20]}, parameter="lang"
            )
        return asked
    for code, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        primary = code.split("-")[0].lower()
        if primary in LANGUAGE_CODES:
            return primary
    return settings.LANGUAGE_CODE


# Parameters.


def parameters_check(request: HttpRequest, *, allowed: Iterable[str]) -> None:
    """Refuse parameters the operation does not know (a typing error would otherwise return everything silently),
    repeated single values, control characters and values too long to mean anything."""
    known = set(allowed)
    for name, values in request.GET.lists():
        if name not in known:
            raise bad_request(
                _("Unknown parameter “%(name)s”. This address takes: %(known)s.")
                % {"name": name[:40], "known": ", ".join(sorted(known)) or "-"},
                parameter=name[:40],
            )
        for value in values:
            if len(value) > VALUE_MAX_LENGTH:
                raise bad_request(
                    _("The value of “%(name)s” is longer than %(count)d characters.")
                    % {"name": name, "count": VALUE_MAX_LENGTH},
                    parameter=name,
                )
            if any(ord(character) < 32 or ord(character) == 127 for character in value):
                raise bad_request(
                    _("The value of “%(name)s” holds control characters.") % {"name": name}, parameter=name
                )


def values_check(*, params: Any, choices: dict[str, list[tuple[str, str]]]) -> None:
    """Refuse a filter value that is none of the filter's keys (the lists on the site ignore it; the API says so)."""
    for name, options in choices.items():
        keys = {key for key, _label in options}
        for value in params.getlist(name):
            if value not in keys:
                raise bad_request(
                    _("“%(value)s” is not a value of the filter “%(name)s”. Its values are listed under /api/v1/.")
                    % {"value": value[:40], "name": name},
                    parameter=name,
                )


def cursor_encode(after: int) -> str:
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{after}".encode()).decode().rstrip("=")


def cursor_decode(value: str | None) -> int:
    """The position a cursor stands for (0: the first page)."""
    if value is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    number = text.removeprefix(CURSOR_PREFIX)
    if not text.startswith(CURSOR_PREFIX) or not number.isdigit() or len(number) > 18:
        raise bad_request(
            _("The cursor is not one this API gave. Use the “next” address of the previous page."), parameter="cursor"
        )
    return int(number)


def page_size(value: int | None) -> int:
    size = PAGE_SIZE_DEFAULT if value is None else value
    if not 1 <= size <= PAGE_SIZE_MAX:
        raise bad_request(_("The page size must be between 1 and %(max)d.") % {"max": PAGE_SIZE_MAX}, parameter="limit")
    return size


# Answers.


@dataclass
class Result:
    """What an operation answers: data checked against `schema`, the date of its latest change, the address of the
    next page."""

    data: Any
    schema: type[BaseModel]
    last_modified: datetime | None = None
    next_url: str | None = None
    content_type: str = "application/json"
    extra_headers: dict[str, str] = field(default_factory=dict)


def next_url(request: HttpRequest, *, after: int | None) -> str | None:
    """The address of the next page: this request's with the cursor after the last item, or None at the end."""
    if after is None:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor_encode(after)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def _json_response(request: HttpRequest, result: Result) -> HttpResponseBase:
    payload = result.schema.model_validate(result.data).model_dump(mode="json", exclude_none=False)
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    language = translation.get_language()
    etag = '"' + hashlib.sha256(body + language.encode()).hexdigest()[:32] + '"'
    response = HttpResponse(body, content_type=f"{result.content_type}; charset=utf-8")
    response["Content-Language"] = language
    response["Cache-Control"] = f"public, max-age={settings.API_CACHE_SECONDS}"
    patch_vary_headers(response, ["Accept-Language"])
    response["ETag"] = etag
    last_modified = int(result.last_modified.timestamp()) if result.last_modified else None
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    if result.next_url:
        response["Link"] = f'<{result.next_url}>; rel="next"'
    for name, value in result.extra_headers.items():
        response[name] = value
    conditional = get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)
    return conditional if conditional is not None else response


def rate_limited(request: HttpRequest) -> Problem | None:
    """The rate limit of the API per address (django-ratelimit, counted in the shared cache like the forms'), as a
    problem with the seconds until the window ends."""
    usage = get_usage(request, group="api", key="ip", rate=settings.API_RATE_PER_ADDRESS, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    seconds = max(int(usage["time_left"]), 1)
    return Problem(
        status=429,
        title=_("Too many requests"),
        detail=_("This address asked more than %(rate)s. Try again in %(seconds)d seconds.")
        % {"rate": settings.API_RATE_PER_ADDRESS, "seconds": seconds},
        retry_after=seconds,
    )


def operation(*, parameters: Iterable[str] | Callable[[], Iterable[str]] = ()) -> Callable[..., Any]:
    """Wrap an operation of the API: rate limit, parameters, language, then its Result as a JSON answer."""

    def decorate(view: Callable[..., Result]) -> Callable[..., HttpResponseBase]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            allowed = parameters() if callable(parameters) else parameters
            try:
                language = request_language(request)
            except Problem as problem:
                return problem_response(request, problem)
            with translation.override(language):
                try:
                    limited = rate_limited(request)
                    if limited is not None:
                        raise limited
                    parameters_check(request, allowed={"lang", *allowed})
                    result = view(request, *args, **kwargs)
                except Problem as problem:
                    return problem_response(request, problem)
                return _json_response(request, result)

        return wrapped

    return decorate
