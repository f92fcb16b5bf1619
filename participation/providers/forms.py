from typing import Any

from django import forms
from django.conf import settings
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from participation.core.forms import BelgianDateField, SiteFormMixin, TermChoiceField, TermMultipleChoiceField
from participation.core.models import BudgetBand, PurchasingLot
from participation.providers import selectors
from participation.providers.models.records import OrganisationType, Provider, SupportRequest

PLAN_UNREADABLE = _(
    "The address of your plan could not be read (it may have been cut or changed): open your plan in the planner "
    "again and follow its “request support” link, or describe your project without it."
)
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class EligibilityForm(SiteFormMixin, forms.Form):
    organisation_type = forms.ChoiceField(
        label=_("What kind of organisation are you?"), choices=OrganisationType.choices, widget=forms.RadioSelect
    )
    in_region = forms.ChoiceField(
        label=_("Does your organisation work in the Brussels-Capital Region?"), choices=YES_NO, widget=forms.RadioSelect
    )
    purpose = forms.ChoiceField(
        label=_("Is it for a participatory process (involving residents, users or other stakeholders)?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )


class SupportRequestForm(SiteFormMixin, forms.ModelForm):
    organisation_type = forms.ChoiceField(
        label=_("Type of organisation"), choices=OrganisationType.choices, widget=forms.RadioSelect
    )
    lots = TermMultipleChoiceField(
        PurchasingLot,
        label=_("Lots needed"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave empty if you do not know yet: the service will help you choose."),
    )
    provider = forms.ModelChoiceField(
        Provider.objects.order_by("name"),
        label=_("Provider you would like to work with"),
        required=False,
        empty_label=_("No preference yet"),
        help_text=_("The service checks with you that the provider fits the lots of your project."),
    )
    budget_band = TermChoiceField(
        BudgetBand,
        label=_("Budget range"),
        required=False,
        empty_label=_("I do not know yet"),
    )
    process_languages = forms.MultipleChoiceField(
        label=_("Languages of the process"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    start = BelgianDateField(label=_("Desired start"), required=False)
    end = BelgianDateField(label=_("Desired end"), required=False)
    # The plan's address on this site; the form shows the plan it stands for (`plan_summary`), and the request stores
    # that text, so the service gets what the person saw.
    plan = forms.CharField(widget=forms.HiddenInput, required=False)
    plan_unreadable = PLAN_UNREADABLE
    consent = forms.BooleanField(
        label=_(
            "I agree that the Participation service processes these data to handle my request, "
            "as the privacy notice explains."
        ),
        required=True,
        error_messages={"required": _("Agree to the privacy notice to send your request.")},
    )

    class Meta:
        model = SupportRequest
        fields = [
            "organisation",
            "organisation_type",
            "contact_name",
            "email",
            "phone",
            "project_summary",
            "lots",
            "provider",
            "start",
            "end",
            "budget_band",
            "process_languages",
        ]
        labels = {
            "organisation": _("Organisation"),
            "contact_name": _("Your name"),
            "email": _("Your email address"),
            "phone": _("Telephone number"),
            "project_summary": _("Your project in a few lines"),
        }
        help_texts = {
            "project_summary": _("What do you want to involve people in, who, and what decision will follow?"),
            "email": _("We send the confirmation and your reference number to this address."),
        }
        widgets = {"project_summary": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, site_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.site_url = site_url

    @cached_property
    def plan_address(self) -> str:
        return (self.data.get("plan") if self.is_bound else self.initial.get("plan")) or ""

    @cached_property
    def plan_summary(self) -> str:
        """The plan sent with the request, as text (empty without one, or when its address is not a valid plan)."""
        if not self.plan_address:
            return ""
        return selectors.support_request_plan(path=self.plan_address, language=get_language(), site_url=self.site_url)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end cannot be before the start."))
        if self.plan_address and not self.plan_summary:
            self.add_error(None, PLAN_UNREADABLE)
        return cleaned

    def save(self, commit: bool = True) -> SupportRequest:
        self.instance.plan_summary = self.plan_summary
        return super().save(commit=commit)
