from django.forms.widgets import CheckboxSelectMultiple, RadioSelect
from django.utils.translation import gettext as _


class AccessibleFormMixin:
    """Links each field to its hint and error message (aria-describedby) and marks invalid fields (aria-invalid),
    so the shared templates components/field.html and components/error_summary.html can render any form."""

    def full_clean(self):
        super().full_clean()
        for name, field in self.fields.items():
            described = []
            if field.help_text:
                described.append(f"{self.auto_id % name}-hint")
            if name in self.errors:
                described.append(f"{self.auto_id % name}-error")
                if not isinstance(field.widget, RadioSelect | CheckboxSelectMultiple):
                    field.widget.attrs["aria-invalid"] = "true"
            if described and not isinstance(field.widget, RadioSelect | CheckboxSelectMultiple):
                field.widget.attrs["aria-describedby"] = " ".join(described)

    def error_links(self):
        """(anchor, message) for the error summary: each error links to its field (the first option of a group)."""
        links = [("", error) for error in self.non_field_errors()]
        for name in self.fields:
            errors = self.errors.get(name)
            if not errors:
                continue
            widget = self.fields[name].widget
            anchor = self[name].auto_id
            if isinstance(widget, RadioSelect | CheckboxSelectMultiple):
                anchor = f"{anchor}_0"
            label = self.fields[name].label
            links += [(anchor, _("%(field)s: %(error)s") % {"field": label, "error": error}) for error in errors]
        return links
