"""Route handlers under the article index: the list (and theme pages), Atom feeds, newsletter subscription."""

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from wagtail.models import Locale

from participation.articles import selectors, services
from participation.articles.forms import SubscriptionForm
from participation.core.models import Theme
from participation.core.views import route_context

SESSION_SUBSCRIBED = "newsletter_subscribed"


def _theme(key):
    theme = Theme.objects.filter(key=key, locale__language_code=get_language()).first()
    if theme is None:
        raise Http404
    return theme


def article_list(request, *, index, theme_key=None):
    theme = _theme(theme_key) if theme_key else None
    state, articles = selectors.article_selection(index=index, params=request.GET, theme_key=theme_key)
    page = selectors.article_page(articles=articles, number=request.GET.get("page", "1"))
    query = request.GET.copy()
    query.pop("page", None)
    base = index.route_url("theme", key=theme_key) if theme else index.url
    feed_url = index.route_url("theme_feed", key=theme_key) if theme else index.route_url("feed")
    return TemplateResponse(
        request,
        "articles/article_index_page.html",
        route_context(
            request,
            index,
            theme=theme,
            filters=state,
            articles=page.object_list,
            list_page=page,
            query_string=query.urlencode(),
            list_url=base,
            feed_url=feed_url,
            themes=[
                (t.label, index.route_url("theme", key=t.key))
                for t in Theme.objects.filter(locale__language_code=get_language())
            ],
            newsletter_url=index.route_url("newsletter"),
        ),
    )


class ArticleFeed(Feed):
    feed_type = Atom1Feed

    def __init__(self, index, theme=None):
        super().__init__()
        self.index, self.theme = index, theme

    def title(self):
        return f"{self.index.title} – {self.theme.label}" if self.theme else self.index.title

    def subtitle(self):
        return self.index.lead

    def link(self):
        return self.index.route_url("theme", key=self.theme.key) if self.theme else self.index.url

    def items(self):
        theme_key = self.theme.key if self.theme else None
        return selectors.article_selection(index=self.index, params=QueryDict(), theme_key=theme_key)[1][:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return item.author

    def item_categories(self, item):
        return [theme.display_label for theme in item.themes.all()]


def article_feed(request, *, index, theme_key=None):
    theme = _theme(theme_key) if theme_key else None
    return ArticleFeed(index, theme)(request)


def newsletter_subscribe(request, *, index):
    if request.method == "POST":
        form = SubscriptionForm(request.POST)
        if form.is_valid():
            language = form.cleaned_data["language"]
            # The confirmation page opens in the language chosen for the newsletter.
            target = index.get_translation_or_none(Locale.objects.get(language_code=language)) or index
            target = target.specific
            services.subscriber_subscribe(
                email=form.cleaned_data["email"],
                language=language,
                themes=form.cleaned_data["themes"],
                confirm_url=lambda token: request.build_absolute_uri(target.token_url("newsletter_confirm", token)),
            )
            request.session[SESSION_SUBSCRIBED] = True
            return HttpResponseRedirect(index.route_url("newsletter") + "?sent=1")
    else:
        form = SubscriptionForm(initial={"language": get_language()})
    sent = request.GET.get("sent") == "1" and request.session.pop(SESSION_SUBSCRIBED, False)
    return TemplateResponse(request, "articles/newsletter.html", route_context(request, index, form=form, sent=sent))


def newsletter_confirm(request, *, index, token):
    subscriber = services.subscriber_confirm(token=token)
    return TemplateResponse(
        request,
        "articles/newsletter_confirmed.html",
        route_context(request, index, subscriber=subscriber),
        status=200 if subscriber else 400,
    )


@csrf_exempt  # RFC 8058 one-click unsubscribe: mail clients POST without a session; the signed token is the proof.
def newsletter_unsubscribe(request, *, index, token):
    done = None
    if request.method == "POST":
        done = services.subscriber_unsubscribe(token=token)
    return TemplateResponse(
        request,
        "articles/newsletter_unsubscribe.html",
        route_context(request, index, done=done, token=token),
        status=400 if done is False else 200,
    )
