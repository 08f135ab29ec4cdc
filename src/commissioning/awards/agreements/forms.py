"""Forms for grant agreements: the reason for a new version, the organisation's signature and
the office's countersignature (with a fresh authenticator code)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class IssueForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this version drawn up?"),
        max_length=500,
        error_messages={"required": _("Say why this version of the agreement is drawn up.")},
    )


class ProviderSignForm(forms.Form):
    name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        error_messages={"required": _("Enter your full name.")},
    )
    role = forms.CharField(
        label=_("Your role in the organisation"),
        max_length=200,
        help_text=_("For example, chair of trustees or chief executive."),
        error_messages={"required": _("Enter your role in the organisation.")},
    )
    signature = forms.CharField(
        label=_("Type your full name as your signature"),
        max_length=200,
        error_messages={"required": _("Type your full name as your signature.")},
    )
    confirmed = forms.BooleanField(
        label=_(
            "I confirm that I am authorised to sign this agreement for the organisation, and "
            "that the organisation accepts its terms."
        ),
        error_messages={
            "required": _("Confirm that you are authorised to sign for the organisation.")
        },
    )
    document_sha256 = forms.RegexField(
        regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput, required=True
    )


class CountersignForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\s*[0-9]{6}\s*$",
        help_text=_("Enter the 6-digit code your app shows now."),
        error_messages={
            "required": _("Enter the current 6-digit code from your authenticator app."),
            "invalid": _("The code is the 6 digits your authenticator app shows."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    document_sha256 = forms.RegexField(
        regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput, required=True
    )
