"""Route handlers of the network page, its events and the members' area, and the members' sign-in views. They read
through selectors and write through services."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from participation.core.selectors import home_page_for_language
from participation.core.views import route_context
from participation.network import ical, selectors, services
from participation.network.forms import (
    CancelForm,
    DirectoryChoiceForm,
    MemberPasswordResetForm,
    MemberSetPasswordForm,
    MembershipRequestForm,
    RegistrationForm,
    SignInForm,
)
from participation.network.models import EventType, NetworkPage
from participation.network.selectors import RegistrationState

SESSION_REGISTRATION = "network_registration"
SESSION_MEMBERSHIP = "network_membership_request"


def site_url(request):
    """The scheme and host the request came to, to build the absolute addresses put in emails."""
    return request.build_absolute_uri("/").rstrip("/")


def calendar(request, *, network, when):
    state, events = selectors.calendar_selection(network=network, params=request.GET, when=when)
    paginator = Paginator(events, selectors.EVENTS_PER_PAGE)
    list_page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "network/calendar.html",
        route_context(
            request,
            network,
            when=when,
            filters=state,
            cards=selectors.event_cards(events=events.filter(pk__in=[event.pk for event in list_page])),
            list_page=list_page,
            query_string=query.urlencode(),
            calendar_url=network.route_url("past" if when == "past" else "calendar"),
            other_url=network.route_url("calendar" if when == "past" else "past")
            + (f"?{query.urlencode()}" if query else ""),
            feed_links=selectors.feed_links(network=network),
        ),
    )


def ical_feed(request, *, network, event_type):
    if event_type and event_type not in EventType.values:
        raise Http404
    name = network.title
    if event_type:
        name = f"{network.title} – {EventType(event_type).label}"
    content = ical.calendar_bytes(
        events=selectors.feed_events(network=network, event_type=event_type),
        name=name,
        url_for=lambda event: request.build_absolute_uri(event.url),
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{event_type or "events"}.ics"'
    return response


def _eventroute_context(request, event, **extra):
    seats = selectors.event_seats(event=event)
    state = selectors.registration_state(event=event, seats=seats)
    network = event.get_parent().specific
    return route_context(
        request,
        event,
        seats=seats,
        registration_state=state,
        accepting=state in RegistrationState.ACCEPTING,
        card=selectors.event_cards(events=type(event).objects.filter(pk=event.pk))[0],
        network=network,
        calendar_url=network.route_url("calendar"),
        feed_links=selectors.feed_links(network=network),
        **extra,
    )


def event_detail(request, *, event):
    return TemplateResponse(
        request,
        "network/event_page.html",
        _eventroute_context(
            request,
            event,
        ),
    )


def event_register(request, *, event):
    error = None
    if request.method == "POST":
        form = RegistrationForm(request.POST)
        if form.is_valid():
            try:
                registration = services.registration_create(
                    event=event, data=form.cleaned_data, language=get_language(), site_url=site_url(request)
                )
            except services.AlreadyRegistered:
                form.add_error(
                    "email",
                    _("This address is already registered for this event. The email we sent you has a link to cancel."),
                )
            except services.RegistrationClosed:
                error = _("Registration has just closed for this event.")
            else:
                request.session[SESSION_REGISTRATION] = registration.status
                return HttpResponseRedirect(event.route_url("registered"))
    else:
        form = RegistrationForm()
    return TemplateResponse(
        request, "network/register.html", _eventroute_context(request, event, form=form, closed_error=error)
    )


def event_registered(request, *, event):
    status = request.session.get(SESSION_REGISTRATION)
    if not status:
        return HttpResponseRedirect(event.route_url("register"))
    return TemplateResponse(request, "network/registered.html", _eventroute_context(request, event, status=status))


@never_cache
def registration_cancel(request, *, event):
    """GET shows what will be cancelled and asks to confirm (link checkers in mail systems must not cancel); POST
    cancels."""
    token = request.POST.get("token") if request.method == "POST" else request.GET.get("token")
    registration = services.registration_by_token(token)
    if registration is None or registration.event_id != selectors.event_canonical(event).pk:
        return TemplateResponse(
            request, "network/cancel.html", _eventroute_context(request, event, invalid=True), status=404
        )
    done = False
    error = None
    if request.method == "POST" and CancelForm(request.POST).is_valid():
        try:
            registration = services.registration_cancel(registration=registration, site_url=site_url(request))
            done = True
        except services.RegistrationClosed:
            error = _("The event has started: the registration can no longer be cancelled online.")
    return TemplateResponse(
        request,
        "network/cancel.html",
        _eventroute_context(request, event, registration=registration, token=token, done=done, cancel_error=error),
    )


def event_ics(request, *, event):
    content = ical.calendar_bytes(
        events=[event], name=event.title, url_for=lambda item: request.build_absolute_uri(item.url)
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def membership_request(request, *, network):
    if request.method == "POST":
        form = MembershipRequestForm(request.POST)
        if form.is_valid():
            membership = services.membership_request_submit(
                form=form, language=get_language(), site_url=site_url(request)
            )
            request.session[SESSION_MEMBERSHIP] = membership.pk
            return HttpResponseRedirect(network.route_url("join_sent"))
    else:
        form = MembershipRequestForm()
    return TemplateResponse(request, "network/join.html", route_context(request, network, form=form))


def membership_request_sent(request, *, network):
    if not request.session.get(SESSION_MEMBERSHIP):
        return HttpResponseRedirect(network.route_url("join"))
    return TemplateResponse(request, "network/join_sent.html", route_context(request, network))


def _member_required(request, area):
    """A second gate behind Wagtail's view restriction: only members (or superusers) go further."""
    if not selectors.is_network_member(request.user):
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    return None


@never_cache
def members_area(request, *, area):
    denied = _member_required(request, area)
    if denied:
        return denied
    return TemplateResponse(
        request,
        "network/members_area_page.html",
        route_context(request, area, documents=selectors.member_documents(), network=area.get_parent().specific),
    )


@never_cache
def members_directory(request, *, area):
    denied = _member_required(request, area)
    if denied:
        return denied
    if request.method == "POST":
        form = DirectoryChoiceForm(request.POST)
        if form.is_valid():
            services.member_directory_choose(user=request.user, in_directory=form.cleaned_data["in_directory"])
            return HttpResponseRedirect(area.route_url("directory"))
    own = getattr(request.user, "network_membership", None)
    return TemplateResponse(
        request,
        "network/directory.html",
        route_context(request, area, members=selectors.member_directory(), own=own, network=area.get_parent().specific),
    )


# Sign-in, sign-out and password reset of members (Django's views, throttled, in the site's look).


def _username_key(group, request):
    return request.POST.get("username", "").strip().lower() or "-"


def _network_page():
    home = home_page_for_language()
    return NetworkPage.objects.child_of(home).live().first() if home else None


class SignInView(auth_views.LoginView):
    template_name = "network/account/sign_in.html"
    authentication_form = SignInForm

    @method_decorator(ratelimit(key="ip", rate=settings.NETWORK_SIGN_IN_RATE_PER_ADDRESS, method="POST", block=True))
    @method_decorator(
        ratelimit(key=_username_key, rate=settings.NETWORK_SIGN_IN_RATE_PER_USERNAME, method="POST", block=True)
    )
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def get_default_redirect_url(self):
        return str(reverse_lazy("network_members_home"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        network = _network_page()
        context["network"] = network
        context["not_member"] = self.request.user.is_authenticated and not selectors.is_network_member(
            self.request.user
        )
        return context


class SignOutView(auth_views.LogoutView):
    template_name = "network/account/signed_out.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "network": _network_page()}


@method_decorator(ratelimit(key="ip", rate=settings.NETWORK_PASSWORD_RESET_RATE, method="POST", block=True), "dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "network/account/password_reset.html"
    form_class = MemberPasswordResetForm
    email_template_name = "network/email/password_reset_body.txt"
    subject_template_name = "network/email/password_reset_subject.txt"
    success_url = reverse_lazy("network_password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "network/account/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "network/account/password_reset_confirm.html"
    form_class = MemberSetPasswordForm
    success_url = reverse_lazy("network_password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "network/account/password_reset_complete.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "login_url": reverse_lazy("network_sign_in")}


def members_home(request):
    """Where a member lands after signing in: the members' area in the current language."""
    network = _network_page()
    area = selectors.members_area(network=network) if network else None
    return HttpResponseRedirect(area.url if area else (network.url if network else "/"))
