"""Route handlers under the purchasing centre page. They read through selectors and write through services."""

from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language

from participation.core.models import PurchasingLot
from participation.core.views import route_context
from participation.providers import selectors, services
from participation.providers.forms import EligibilityForm, SupportRequestForm
from participation.providers.models import Provider

SESSION_REFERENCE = "purchasing_centre_reference"


def provider_directory(request, *, centre):
    state, providers = selectors.provider_selection(params=request.GET)
    cards = selectors.provider_cards(
        providers=providers, language=get_language(), base_url=centre.route_url("directory")
    )
    return TemplateResponse(
        request,
        "providers/directory.html",
        route_context(request, centre, filters=state, cards=cards, directory_url=centre.route_url("directory")),
    )


def provider_detail(request, *, centre, slug):
    provider = (
        Provider.objects.prefetch_related("texts", "lots", "working_languages", "references__translations")
        .filter(slug=slug)
        .first()
    )
    if provider is None:
        raise Http404
    language = get_language()
    card = selectors.provider_cards(
        providers=Provider.objects.filter(pk=provider.pk), language=language, base_url=centre.route_url("directory")
    )[0]
    references = [
        (initiative.text(language), initiative.get_url(language)) for initiative in provider.references.published()
    ]
    return TemplateResponse(
        request,
        "providers/provider.html",
        route_context(
            request,
            centre,
            provider=provider,
            card=card,
            directory_url=centre.route_url("directory"),
            text=provider.text(language),
            methods=selectors.provider_methods(provider=provider, language=language),
            references=references,
        ),
    )


def lot_detail(request, *, centre, number):
    lot = PurchasingLot.objects.filter(number=number, locale__language_code=get_language()).first()
    if lot is None:
        raise Http404
    providers = Provider.objects.filter(lots__number=number).distinct()
    cards = selectors.provider_cards(
        providers=providers, language=get_language(), base_url=centre.route_url("directory")
    )
    return TemplateResponse(request, "providers/lot.html", route_context(request, centre, lot=lot, cards=cards))


def eligibility(request, *, centre):
    form = EligibilityForm(request.GET) if request.GET else EligibilityForm()
    outcome = None
    if request.GET and form.is_valid():
        outcome = selectors.eligibility_outcome(
            organisation_type=form.cleaned_data["organisation_type"],
            in_region=form.cleaned_data["in_region"] == "yes",
            purpose_participation=form.cleaned_data["purpose"] == "yes",
        )
    return TemplateResponse(
        request,
        "providers/eligibility.html",
        route_context(request, centre, form=form, outcome=outcome, request_url=centre.route_url("request")),
    )


def support_request(request, *, centre):
    if request.method == "POST":
        form = SupportRequestForm(request.POST)
        if form.is_valid():
            support_request = services.support_request_submit(
                form=form, language=get_language(), request_url=request.build_absolute_uri(centre.route_url("request"))
            )
            request.session[SESSION_REFERENCE] = support_request.reference
            return HttpResponseRedirect(centre.route_url("request_sent"))
    else:
        form = SupportRequestForm()
    return TemplateResponse(request, "providers/request.html", route_context(request, centre, form=form))


def support_request_sent(request, *, centre):
    reference = request.session.get(SESSION_REFERENCE)
    if not reference:
        return HttpResponseRedirect(centre.route_url("request"))
    return TemplateResponse(request, "providers/request_sent.html", route_context(request, centre, reference=reference))
