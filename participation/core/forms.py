"""How every public form is rendered: Django's form renderer with the site's field template.

Django (5.2) links each input to its hint and error message (`aria-describedby`), marks invalid inputs
(`aria-invalid`) and groups radios and checkboxes in a fieldset; `components/field.html` lays a field out in the
site's look and `{{ form.field.as_field_group }}` renders it. The error summary above a form links each error to its
field (`error_links`).
"""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import CheckboxSelectMultiple, RadioSelect
from django.utils.translation import gettext as _

from participation.core.models.vocabularies import CANONICAL_TERMS


class SiteFormRenderer(TemplatesSetting):
    field_template_name = "components/field.html"


class SiteFormMixin:
    """For every public form: the site's renderer and the links of the error summary."""

    default_renderer = SiteFormRenderer

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
    pass
