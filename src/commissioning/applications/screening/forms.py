from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.applications.models import ScreeningOutcome


class ScreeningOverrideForm(forms.Form):
    """An officer's result for one screening rule, with the reason for it."""

    outcome = forms.ChoiceField(
        label=_("Officer's result"),
        choices=ScreeningOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the officer's result"),
            "invalid_choice": _("Choose the officer's result"),
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_(
            "This is kept on the record. If the result is a fail, the applicant is told it."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Enter the reason for the officer's result")},
    )
