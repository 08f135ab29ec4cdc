from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.accounts.models import Role


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the system that will use the token"),
        max_length=100,
        help_text=_("For example: finance system export."),
        error_messages={"required": _("Enter a name for the token")},
    )


class StaffInvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_(
            "They will get an e-mail with a link to join. The link works once, for 14 days."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": _("Enter the e-mail address of the person to invite"),
            "invalid": _("Enter an e-mail address in the correct format, like name@example.org"),
        },
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the role they will hold")},
    )


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(
        label=_("New role"),
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the role they will hold")},
    )
