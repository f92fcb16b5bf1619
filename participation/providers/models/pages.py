"""The purchasing centre's page. Its routes — the directory, a provider, a lot, the eligibility check and the support
request — render through the page; they read through selectors and write through services."""

from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import path
from wagtail.fields import StreamField
from wagtail.models import Page

from participation.core.blocks import RICH_TEXT_FEATURES
from participation.core.models import PurchasingLot, RoutedPageMixin, TranslatedPageMixin
from participation.providers import selectors, services
from participation.providers.forms import EligibilityForm, SupportRequestForm

SESSION_REFERENCE = "purchasing_centre_reference"


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    text = blocks.TextBlock(label=_("text"))

    class Meta:
        icon = "list-ol"


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"))
    answer = blocks.RichTextBlock(label=_("answer"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"


class SectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"))
    body = blocks.RichTextBlock(label=_("text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "doc-full"


class PurchasingCentrePage(RoutedPageMixin, TranslatedPageMixin, Page):
    """The purchasing centre explained; the directory, lot pages, eligibility check and request form are routes."""

    lead = models.CharField(_("lead"), max_length=300)
    menu_title = models.CharField(_("menu title"), max_length=60, blank=True)
    sections = StreamField([("section", SectionBlock())], verbose_name=_("sections"))
    steps_heading = models.CharField(_("heading of the steps"), max_length=120)
    steps = StreamField([("step", StepBlock())], verbose_name=_("how to order"))
    faq_heading = models.CharField(_("heading of the questions"), max_length=120)
    faq = StreamField([("question", QuestionBlock())], verbose_name=_("frequent questions"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("lead"),
        FieldPanel("sections"),
        FieldPanel("steps_heading"),
        FieldPanel("steps"),
        FieldPanel("faq_heading"),
        FieldPanel("faq"),
    ]
    promote_panels = Page.promote_panels + [FieldPanel("menu_title")]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("purchasing centre")

    @path("")
    def explainer(self, request):
        return self.render(request, context_overrides={"lots": selectors.lots_with_provider_counts()})

    @path(_("providers/"), name="directory")
    def directory(self, request):
        state, providers = selectors.provider_selection(params=request.GET)
        return self.render(
            request,
            template="providers/directory.html",
            context_overrides={
                "filters": state,
                "cards": selectors.provider_cards(providers=providers, language=get_language(), centre=self),
                "directory_url": self.route_url("directory"),
            },
        )

    @path(_("providers/<slug:slug>/"), name="provider")
    def provider(self, request, slug):
        provider = selectors.provider_for_detail(slug=slug)
        if provider is None:
            raise Http404
        language = get_language()
        card = selectors.provider_cards(providers=[provider], language=language, centre=self)[0]
        text = provider.text(language)
        methods = selectors.provider_methods(provider=provider, language=language)
        return self.render(
            request,
            template="providers/provider.html",
            context_overrides={
                "provider": provider,
                "provenance": selectors.provider_provenance(provider=provider, language=text.language)
                if text is not None
                else None,
                "card": card,
                "directory_url": self.route_url("directory"),
                "text": text,
                "methods": methods,
                "references": selectors.provider_references(provider=provider, language=language),
                "structured_data": selectors.provider_structured_data(
                    provider=provider, card=card, text=text, methods=methods, centre=self, request=request
                ),
            },
        )

    @path(_("lots/<int:number>/"), name="lot")
    def lot(self, request, number):
        lot = PurchasingLot.objects.filter(number=number, locale__language_code=get_language()).first()
        if lot is None:
            raise Http404
        cards = selectors.provider_cards(
            providers=selectors.lot_providers(number=number), language=get_language(), centre=self
        )
        return self.render(
            request,
            template="providers/lot.html",
            context_overrides={
                "lot": lot,
                "cards": cards,
                "initiatives": selectors.lot_initiatives(number=number, language=get_language()),
                "structured_data": selectors.lot_structured_data(lot=lot, cards=cards, request=request, centre=self),
            },
        )

    @path(_("eligibility/"), name="eligibility")
    def eligibility(self, request):
        # The form says when it was sent (`check`), so that an empty answer gets its errors, never a silent reload.
        form = EligibilityForm(request.GET) if request.GET else EligibilityForm()
        outcome = None
        if request.GET and form.is_valid():
            outcome = selectors.eligibility_outcome(
                organisation_type=form.cleaned_data["organisation_type"],
                in_region=form.cleaned_data["in_region"] == "yes",
                purpose_participation=form.cleaned_data["purpose"] == "yes",
            )
        return self.render(
            request,
            template="providers/eligibility.html",
            context_overrides={"form": form, "outcome": outcome, "request_url": self.route_url("request")},
        )

    @path(_("request/"), name="request")
    def support_request(self, request):
        if request.method == "POST":
            form = SupportRequestForm(request.POST, site_url=request.build_absolute_uri("/"))
            if form.is_valid():
                support_request = services.support_request_submit(
                    form=form,
                    language=get_language(),
                    request_url=request.build_absolute_uri(self.route_url("request")),
                )
                request.session[SESSION_REFERENCE] = support_request.reference
                return HttpResponseRedirect(self.route_url("request_sent"))
        else:
            form = SupportRequestForm(
                initial=selectors.support_request_initial(params=request.GET), site_url=request.build_absolute_uri("/")
            )
        return self.render(request, template="providers/request.html", context_overrides={"form": form})

    @path(_("request/sent/"), name="request_sent")
    def support_request_sent(self, request):
        reference = request.session.get(SESSION_REFERENCE)
        if not reference:
            return HttpResponseRedirect(self.route_url("request"))
        return self.render(request, template="providers/request_sent.html", context_overrides={"reference": reference})
