from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from participation.core.forms import SiteFormMixin, TermMultipleChoiceField
from participation.core.models import Theme


class SubscriptionForm(SiteFormMixin, forms.Form):
    email = forms.EmailField(label=_("Your email address"), help_text=_("We send a confirmation link to this address."))
    language = forms.ChoiceField(
        label=_("Language of the newsletter"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )
    themes = TermMultipleChoiceField(
        Theme,
        label=_("Topics"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave empty to receive all the news."),
    )
