"""The one address of the newsletter outside the pages: RFC 8058 one-click unsubscribe.

Mail clients send `List-Unsubscribe=One-Click` as a POST from outside the site, without a CSRF token: the signed
token is the proof. The pages' routes cannot be exempted from the CSRF check (it runs before Wagtail serves the page),
so this address is a plain Django view. A GET (a person following the header's link, or a link preview) only leads
to the unsubscribe page in the reader's language, which asks for one click."""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.utils.translation import get_language_from_request
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from participation.newsletter import selectors, services


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_one_click(request: HttpRequest) -> HttpResponse:
    token = request.GET.get("token", "")
    if request.method == "POST":
        if services.subscriber_unsubscribe(token=token):
            return HttpResponse("unsubscribed\n", content_type="text/plain")
        return HttpResponseBadRequest("invalid unsubscribe link\n", content_type="text/plain")
    host = selectors.newsletter_host(language=get_language_from_request(request))
    if host is None:
        return HttpResponseBadRequest("no newsletter page\n", content_type="text/plain")
    return HttpResponseRedirect(host.token_url("newsletter_unsubscribe", token))
