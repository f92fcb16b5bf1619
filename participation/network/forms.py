from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from participation.core.forms import SiteFormMixin
from participation.network.models.records import MEMBERS_GROUP, MemberKind, MembershipRequest

CONSENT_ERROR = _("Agree to the privacy notice to send the form.")


class RegistrationForm(SiteFormMixin, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We send the confirmation, the event for your calendar and a cancellation link to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    role = forms.CharField(
        label=_("Your role"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    needs = forms.CharField(
        label=_("Accessibility or dietary needs"),
        max_length=1000,
        required=False,
        help_text=_("For example a sign-language interpreter, step-free access, a vegetarian meal."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the Participation service uses these data to organise the event (see the privacy notice)."
        ),
        error_messages={"required": CONSENT_ERROR},
    )


class CancelForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class MembershipRequestForm(SiteFormMixin, forms.ModelForm):
    kind = forms.ChoiceField(label=_("You are"), choices=MemberKind.choices, widget=forms.RadioSelect)
    in_directory = forms.BooleanField(
        label=_("Show my name, organisation and role to the other members in the members' directory"),
        required=False,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the Participation service uses these data to handle my request (see the privacy notice)."
        ),
        error_messages={"required": CONSENT_ERROR},
    )

    class Meta:
        model = MembershipRequest
        fields = ["name", "email", "kind", "organisation", "role", "motivation", "in_directory"]
        labels = {
            "name": _("Your name"),
            "email": _("Your professional email address"),
            "organisation": _("Organisation or collective"),
            "role": _("Your role"),
            "motivation": _("What do you expect from the network?"),
        }
        help_texts = {
            "email": _("It becomes your sign-in name once your membership is approved."),
            "organisation": _("For example: Commune of Forest, Brussels Environment, a neighbourhood committee."),
        }
        widgets = {
            "motivation": forms.Textarea(attrs={"rows": 4}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }


class SignInForm(SiteFormMixin, AuthenticationForm):
    """Members sign in with their email address; no field takes the focus before the skip link does."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "This email address and password do not match a member account. Check them (the password is "
            "case-sensitive), or choose a new password."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Email address")
        self.fields["username"].widget.input_type = "email"
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["username"].error_messages["required"] = _("Enter the email address of your member account.")
        self.fields["password"].label = _("Password")
        self.fields["password"].error_messages["required"] = _("Enter your password.")

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class MemberPasswordResetForm(SiteFormMixin, PasswordResetForm):
    """Also reaches approved members who have not chosen a password yet (their approval link expired)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email address")
        self.fields["email"].widget.attrs.pop("autofocus", None)
        self.fields["email"].error_messages["required"] = _("Enter the email address of your member account.")

    def get_users(self, email):
        users = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
        return (user for user in users if user.has_usable_password() or user.groups.filter(name=MEMBERS_GROUP).exists())


class MemberSetPasswordForm(SiteFormMixin, SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)


class DirectoryChoiceForm(forms.Form):
    in_directory = forms.BooleanField(required=False)
