"""The steps of the "share an initiative" form. Each step is a form of its own; what a person types is stored as
typed (see services.step_save), so every step can be shown again exactly as they left it, errors included."""

import re
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from participation.core.forms import (
    BelgianDateField,
    DecimalCommaField,
    SiteFormMixin,
    TermChoiceField,
    TermMultipleChoiceField,
)
from participation.core.models import (
    Audience,
    BudgetBand,
    Commune,
    Format,
    OrganiserType,
    ParticipationLevel,
    RecruitmentMethod,
    Theme,
)
from participation.initiatives.models import REGION_BOUNDS, OrganiserScope, Status
from participation.initiatives.selectors import method_choices

MAX_IMAGES = 5
MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_LINKS_IN_TEXT = 2
MAX_LINKS = 5
URL_PATTERN = re.compile(r"(https?://|www\.)", re.IGNORECASE)


def _date_field(label, **kwargs):
    return BelgianDateField(label=label, required=False, **kwargs)


class StepForm(SiteFormMixin, forms.Form):
    """A step: refuses texts full of web addresses (a classic of spam), except in fields meant for links."""

    link_fields = ()

    def clean(self):
        cleaned = super().clean()
        for name in self.fields:
            value = cleaned.get(name)
            too_many_links = isinstance(value, str) and len(URL_PATTERN.findall(value)) > MAX_LINKS_IN_TEXT
            if too_many_links and name not in self.link_fields:
                self.add_error(
                    name,
                    ngettext_lazy(
                        "Write at most %(count)d web address here; add links in the “Links” field.",
                        "Write at most %(count)d web addresses here; add links in the “Links” field.",
                        MAX_LINKS_IN_TEXT,
                    )
                    % {"count": MAX_LINKS_IN_TEXT},
                )
        return cleaned


class AboutForm(StepForm):
    title = forms.CharField(
        label=_("Title of the initiative"),
        max_length=200,
        error_messages={"required": _("Give the title of the initiative.")},
    )
    summary = forms.CharField(
        label=_("Short summary"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Two or three sentences: what, for whom, with what result. At most 600 characters."),
        error_messages={"required": _("Summarise the initiative in two or three sentences.")},
    )
    organisers = forms.CharField(
        label=_("Organiser(s)"),
        max_length=255,
        help_text=_("The commune, body or collective that ran it."),
        error_messages={"required": _("Name who organised the initiative.")},
    )
    organiser_type = TermChoiceField(OrganiserType, label=_("Type of organiser"))
    organiser_scope = forms.ChoiceField(
        label=_("Level of the organiser"), choices=OrganiserScope.choices, widget=forms.RadioSelect
    )
    partners = forms.CharField(label=_("Partners"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    start_date = _date_field(_("Start date"))
    end_date = _date_field(_("End date"))
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices, widget=forms.RadioSelect)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return cleaned


class PlaceForm(StepForm):
    communes = TermMultipleChoiceField(
        Commune,
        label=_("Commune(s)"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the commune, or the communes, where it took place.")},
    )
    address = forms.CharField(
        label=_("Address or place"),
        max_length=255,
        required=False,
        help_text=_("A street and number, a square or a park. Give an address or coordinates (or use the map)."),
    )
    latitude = DecimalCommaField(
        label=_("Latitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        help_text=_("For example 50,846700 (a comma or a point)"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    longitude = DecimalCommaField(
        label=_("Longitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        help_text=_("For example 4,352500 (a comma or a point)"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["address"].required_when = _("needed without coordinates")
        self.fields["latitude"].required_when = _("needed without an address")
        self.fields["longitude"].required_when = _("needed without an address")

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if "latitude" in self.errors or "longitude" in self.errors:
            return cleaned
        if (latitude is None) != (longitude is None):
            missing = "longitude" if longitude is None else "latitude"
            self.add_error(missing, _("Give both the latitude and the longitude, or neither."))
        elif latitude is not None and not point_in_region(latitude, longitude):
            self.add_error(
                "latitude",
                _(
                    "This point is outside the Brussels-Capital Region. "
                    "Move the pin or check the coordinates (latitude first, then longitude)."
                ),
            )
        elif latitude is None and not cleaned.get("address"):
            self.add_error("address", _("Give an address or place, or coordinates, so that we can map it."))
        return cleaned


def point_in_region(latitude, longitude):
    lat_min, lat_max = REGION_BOUNDS["lat"]
    lon_min, lon_max = REGION_BOUNDS["lon"]
    return Decimal(str(lat_min)) <= latitude <= Decimal(str(lat_max)) and Decimal(str(lon_min)) <= longitude <= Decimal(
        str(lon_max)
    )


class HowForm(StepForm):
    themes = TermMultipleChoiceField(
        Theme,
        label=_("Themes"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one theme.")},
    )
    participation_level = TermChoiceField(
        ParticipationLevel,
        label=_("Participation level"),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_("The highest level reached: information, consultation, concertation, co-construction…"),
    )
    methods = forms.MultipleChoiceField(
        label=_("Methods used"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    audiences = TermMultipleChoiceField(
        Audience, label=_("Audiences"), widget=forms.CheckboxSelectMultiple, required=False
    )
    format = TermChoiceField(Format, label=_("Format"), widget=forms.RadioSelect, required=False, empty_label=None)
    recruitment = TermChoiceField(RecruitmentMethod, label=_("How participants were recruited"), required=False)
    participants_count = forms.IntegerField(
        label=_("Number of participants"), required=False, min_value=1, max_value=1_000_000
    )
    budget_band = TermChoiceField(BudgetBand, label=_("Budget"), required=False)
    process_languages = forms.MultipleChoiceField(
        label=_("Languages of the process"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["methods"].choices = method_choices()


class StoryForm(StepForm):
    link_fields = ("links",)

    problems_objectives = forms.CharField(
        label=_("Problems and objectives"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why was the process started, and what did it want to achieve?"),
        error_messages={"required": _("Say why the process was started and what it wanted to achieve.")},
    )
    how_it_went = forms.CharField(label=_("How it went"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    outcomes_effects = forms.CharField(
        label=_("Outcomes and effects"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    lessons_learned = forms.CharField(
        label=_("Lessons learned"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Up to 5 web addresses, one per line (a project page, a report…)."),
    )

    def clean_links(self):
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        if len(lines) > MAX_LINKS:
            raise forms.ValidationError(
                ngettext_lazy("Give at most %(count)d link.", "Give at most %(count)d links.", MAX_LINKS)
                % {"count": MAX_LINKS}
            )
        validate = forms.URLField(assume_scheme="https").clean
        try:
            return "\n".join(validate(line) for line in lines)
        except forms.ValidationError as error:
            raise forms.ValidationError(_("Write one complete web address per line, such as https://…")) from error


class ImagesForm(StepForm):
    """New images (as many slots as are left) and the alternative text of those already uploaded."""

    def __init__(self, *args, images=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.images = list(images)
        self.saved_now: list[str] = []  # files stored by the last sending, named in a message
        for image in self.images:
            self.fields[f"alt_{image.pk}"] = forms.CharField(
                label=_("Alternative text of this image"),
                max_length=250,
                initial=image.alt_text,
                required=not self.data.get(f"remove_{image.pk}"),
                error_messages={"required": _("Describe the image, or tick “Remove this image”.")},
                help_text=_("What the image shows, for people who cannot see it."),
            )
            self.fields[f"remove_{image.pk}"] = forms.BooleanField(label=_("Remove this image"), required=False)
        for number in range(1, MAX_IMAGES - len(self.images) + 1):
            # The file's content decides (services.image_reencode), not its name: any name is accepted here.
            self.fields[f"image_{number}"] = forms.FileField(
                label=_("Image %(number)d") % {"number": number},
                required=False,
                help_text=_("JPEG, PNG or WebP, at most 8 MB. We remove the photo's hidden data (such as GPS)."),
                widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
            )
            self.fields[f"alt_new_{number}"] = forms.CharField(
                label=_("Alternative text of image %(number)d") % {"number": number},
                max_length=250,
                required=False,
                help_text=_("What the image shows, for people who cannot see it."),
            )
            self.fields[f"alt_new_{number}"].required_when = _("needed with an image")

    def new_slots(self):
        return [(self[f"image_{n}"], self[f"alt_new_{n}"]) for n in range(1, MAX_IMAGES - len(self.images) + 1)]

    def kept(self):
        return [(image, self[f"alt_{image.pk}"], self[f"remove_{image.pk}"]) for image in self.images]

    def clean(self):
        cleaned = super().clean()
        for number in range(1, MAX_IMAGES - len(self.images) + 1):
            upload = cleaned.get(f"image_{number}")
            if upload and upload.size > MAX_IMAGE_BYTES:
                self.add_error(f"image_{number}", _("This image is larger than 8 MB."))
            elif upload and not cleaned.get(f"alt_new_{number}", "").strip():
                self.add_error(f"alt_new_{number}", _("Describe what the image shows."))
        return cleaned


class ContactForm(StepForm):
    contact_name = forms.CharField(
        label=_("Your name"), max_length=120, error_messages={"required": _("Give your name.")}
    )
    contact_email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We send you a link to confirm it, then the moderation decision. It is never published."),
        error_messages={
            "required": _("Give your email address: we send you a link to confirm it."),
            "invalid": _("Write your email address in full, such as name@example.org."),
        },
    )
    contact_organisation = forms.CharField(label=_("Your organisation"), max_length=200, required=False)
    consent = forms.BooleanField(
        label=_(
            "I agree that the Participation service keeps my contact details to moderate this initiative and to ask "
            "me later whether it is still up to date, as the privacy notice explains."
        ),
        error_messages={"required": _("Agree to the privacy notice to share your initiative.")},
    )
    link_fields = ("contact_email",)
    # A field people never see: software that fills in every field gives itself away.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(_("We could not accept this form. Please write to us instead."))
        return cleaned


class SaveForLaterForm(SiteFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Your email address"), help_text=_("We send you a link to continue where you left off.")
    )


class FormGroup:
    """Several forms shown as one page: one error summary for all of them."""

    def __init__(self, forms):
        self.forms = forms

    def is_valid(self):
        results = [form.is_valid() for form in self.forms]  # every form validated, so every error is shown
        return all(results)

    @property
    def errors(self):
        return any(form.errors for form in self.forms)

    def error_links(self):
        return [link for form in self.forms for link in form.error_links()]


STEPS = [
    ("about", _("The initiative"), AboutForm),
    ("place", _("Where"), PlaceForm),
    ("how", _("How"), HowForm),
    ("story", _("The story"), StoryForm),
    ("images", _("Images"), ImagesForm),
    ("contact", _("You"), ContactForm),
]
STEP_KEYS = [key for key, _label, _form in STEPS]
UPDATE_STEPS = ["about", "place", "how", "story"]
