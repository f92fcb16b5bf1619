"""The newsletter's pages, routes of the page that hosts them (the article index: `/fr/articles/newsletter/…`, the
addresses of the links already sent). They render through the host page and write through the services."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.routable_page.models import path
from wagtail.models import Locale

from participation.newsletter import services
from participation.newsletter.forms import SubscriptionForm

SESSION_SUBSCRIBED = "newsletter_subscribed"


class NewsletterRoutesMixin:
    """Mixed into a RoutedPageMixin page: subscription, confirmation and unsubscription under its address."""

    @path(_("newsletter/"), name="newsletter")
    def newsletter(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            form = SubscriptionForm(request.POST)
            if form.is_valid():
                language = form.cleaned_data["language"]
                # The confirmation page opens in the language chosen for the newsletter.
                target = self.get_translation_or_none(Locale.objects.get(language_code=language)) or self
                target = target.specific
                services.subscriber_subscribe(
                    email=form.cleaned_data["email"],
                    language=language,
                    themes=form.cleaned_data["themes"],
                    confirm_url=lambda token: request.build_absolute_uri(target.token_url("newsletter_confirm", token)),
                )
                request.session[SESSION_SUBSCRIBED] = True
                return HttpResponseRedirect(self.route_url("newsletter") + "?sent=1")
        else:
            form = SubscriptionForm(initial={"language": get_language()})
        sent = request.GET.get("sent") == "1" and request.session.pop(SESSION_SUBSCRIBED, False)
        return self.render(
            request, template="newsletter/subscribe.html", context_overrides={"form": form, "sent": sent}
        )

    # Signed tokens travel in the query string: page addresses only allow letters, digits and hyphens.
    @path(_("newsletter/confirm/"), name="newsletter_confirm")
    def newsletter_confirm(self, request: HttpRequest) -> HttpResponse:
        subscriber = services.subscriber_confirm(token=request.GET.get("token", ""))
        response = self.render(
            request,
            template="newsletter/confirmed.html",
            context_overrides={"subscriber": subscriber, "newsletter_url": self.route_url("newsletter")},
        )
        response.status_code = 200 if subscriber else 400
        return response

    # RFC 8058 one-click unsubscribe: the signed token is the proof; a GET (a link preview) only shows the button.
    @path(_("newsletter/unsubscribe/"), name="newsletter_unsubscribe")
    def newsletter_unsubscribe(self, request: HttpRequest) -> HttpResponse:
        token = request.GET.get("token", "")
        done = services.subscriber_unsubscribe(token=token) if request.method == "POST" else None
        response = self.render(
            request, template="newsletter/unsubscribe.html", context_overrides={"done": done, "token": token}
        )
        response.status_code = 400 if done is False else 200
        return response

    def token_url(self, name: str, token: str) -> str:
        return f"{self.route_url(name)}?{urlencode({'token': token})}"
