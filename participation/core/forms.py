"""How every public form is rendered: Django's form renderer with the site's field template.

Django (5.2) links each input to its hint and error message (`aria-describedby`), marks invalid inputs
(`aria-invalid`) and groups radios and checkboxes in a fieldset; `components/field.html` lays a field out in the
site's look and `{{ form.field.as_field_group }}` renders it. The error summary above a form links each error to its
field (`error_links`).
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import CheckboxSelectMultiple, RadioSelect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participation.core.models.vocabularies import CANONICAL_TERMS
from participation.core.selectors import privacy_notice_url


class SiteFormRenderer(TemplatesSetting):
    field_template_name = "components/field.html"


# What a personal-data field is for (WCAG 1.3.5), by field name, for every public form: browsers and assistive
# technologies fill it in or show its purpose. A phone field is also a `tel` input.
AUTOCOMPLETE = {
    "name": "name",
    "contact_name": "name",
    "email": "email",
    "contact_email": "email",
    "phone": "tel",
    "organisation": "organization",
    "contact_organisation": "organization",
    "role": "organization-title",
    "username": "username",
    "password": "current-password",
    "new_password1": "new-password",
    "new_password2": "new-password",
}
# Fields no one should fill in from memory (the spam trap, coordinates): browsers must not suggest anything.
NO_AUTOCOMPLETE = {"website", "latitude", "longitude"}


class SiteFormMixin:
    """For every public form: the site's renderer, the purpose of personal-data fields, and the links of the error
    summary. A field that is optional only under a condition says so (`field.required_when`, shown instead of
    "(optional)")."""

    default_renderer = SiteFormRenderer

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            attrs = field.widget.attrs
            if name in AUTOCOMPLETE:
                attrs.setdefault("autocomplete", AUTOCOMPLETE[name])
                if AUTOCOMPLETE[name] == "tel":
                    field.widget.input_type = "tel"
            elif name in NO_AUTOCOMPLETE:
                attrs.setdefault("autocomplete", "off")
            # A required field left empty says what to do, in the words of its label (never "This field is required").
            if (
                field.required
                and field.error_messages.get("required") == forms.Field.default_error_messages["required"]
            ):
                field.error_messages["required"] = _required_message(field)
            if isinstance(field, forms.EmailField) and "invalid" not in field.error_messages:
                field.error_messages["invalid"] = _("Write the email address in full, such as name@example.org.")
        if "consent" in self.fields:
            # Every consent checkbox links to the notice it refers to (components/field.html).
            self.fields["consent"].privacy_url = privacy_notice_url()

    def error_links(self) -> list[tuple[str, str]]:
        """(anchor, message) for the error summary: each error links to its field (the first option of a group)."""
        links = [("", str(error)) for error in self.non_field_errors()]
        for name in self.fields:
            errors = self.errors.get(name)
            if not errors:
                continue
            anchor = self[name].auto_id
            if isinstance(self.fields[name].widget, RadioSelect | CheckboxSelectMultiple):
                anchor = f"{anchor}_0"
            label = self.fields[name].label
            links += [(anchor, _("%(field)s: %(error)s") % {"field": label, "error": error}) for error in errors]
        return links


class TermChoiceMixin:
    """A choice among the terms of a vocabulary: its records in the default language (the ones content links to),
    in the vocabulary's order. The language filter is applied when a form is made (Django copies its fields then),
    not when the form class is defined, so forms can be imported while the models load (pages' routes import them)."""

    def __init__(self, model, **kwargs):
        super().__init__(queryset=model.objects.all(), **kwargs)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.queryset = result.queryset.filter(**CANONICAL_TERMS)
        return result


class TermChoiceField(TermChoiceMixin, forms.ModelChoiceField):
    pass


class TermMultipleChoiceField(TermChoiceMixin, forms.ModelMultipleChoiceField):
    # The largest key a term's record can have (a 64-bit integer, BigAutoField).
    LARGEST_KEY = 2**63 - 1

    def clean(self, value):
        """A number beyond the records' keys is refused as any unknown choice is. Django guards its single-value
        lookups against such numbers, not `__in`: SQLite raised OverflowError on it (a 500)."""
        for choice in value if isinstance(value, list | tuple) else ():
            try:
                number = int(str(choice).strip())
            except ValueError:
                continue  # not a number: Django's own check refuses it
            if abs(number) > self.LARGEST_KEY:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": choice}
                )
        return super().clean(value)


def _required_message(field: forms.Field) -> str:
    label = str(field.label or "").strip().rstrip(":?")
    if isinstance(field.widget, RadioSelect | CheckboxSelectMultiple) or isinstance(field, forms.ChoiceField):
        return _("Choose an answer to “%(label)s”.") % {"label": label}
    return _("Fill in “%(label)s”.") % {"label": label}


BELGIAN_DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y", "%Y-%m-%d"]


class BelgianDateField(forms.DateField):
    """A date as people in Belgium write it, day first (31/03/2025, 31-03-2025, 31.03.2025); the ISO form a browser's
    date picker sends (2025-03-31) is accepted too. Shown back as 31/03/2025."""

    widget = forms.TextInput
    input_formats = BELGIAN_DATE_FORMATS
    default_error_messages = {"invalid": gettext_lazy("Write the date as day/month/year, for example 31/03/2025.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", gettext_lazy("For example 31/03/2025"))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")
        self.widget.attrs.setdefault("autocomplete", "off")
        self.widget.attrs.setdefault("class", "input--date")

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return value.strftime("%d/%m/%Y")
        return value

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"\s*([/.-])\s*", r"\1", value.strip())
        return super().to_python(value)


class DecimalCommaField(forms.DecimalField):
    """A decimal number written with a comma, as in Belgium (50,8625), or with a point (50.8625)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
        try:
            return super().to_python(value)
        except (ValidationError, InvalidOperation):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        return value if not isinstance(value, Decimal) else str(value)
