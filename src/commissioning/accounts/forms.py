from django import forms
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the system that will use the token"),
        max_length=100,
        help_text=_("For example: finance system export."),
        error_messages={"required": _("Enter a name for the token")},
    )
