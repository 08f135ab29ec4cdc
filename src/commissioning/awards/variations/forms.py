from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.core.forms import DateField, MoneyField


class VariationProposeForm(forms.Form):
    """A change to the award: any of the amount, the dates and the outcomes; what is left
    blank stays as it is."""

    amount = MoneyField(
        label=_("New amount"),
        required=False,
        help_text=_("Leave blank to keep the amount."),
    )
    starts_on = DateField(
        label=_("New start date"),
        required=False,
        help_text=_("Leave blank to keep the start date. For example, 1 4 2026"),
    )
    ends_on = DateField(
        label=_("New end date"),
        required=False,
        help_text=_("A later end date extends the award. Leave blank to keep it."),
    )
    outcomes = forms.CharField(
        label=_("New outcomes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One a line. Leave blank to keep the outcomes."),
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give the reason for the change")},
    )


class VariationDecideForm(forms.Form):
    """Approve or refuse; a refusal needs its reason, and a variation over a sign-off threshold
    the number of the signed decision record that approves it."""

    decision = forms.CharField(
        label=_("Decision record number"),
        required=False,
        max_length=40,
        help_text=_("The signed decision record that approves this change, like ESX/2026/014."),
    )
    note = forms.CharField(
        label=_("Note or reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when you refuse."),
    )


class TerminateForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the award ending early?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give the reason for ending the award early")},
    )
    unspent = MoneyField(
        label=_("Money paid but not spent"),
        required=False,
        min_value=None,
        help_text=_(
            "What the organisation was paid and has not spent; it is clawed back. Leave blank "
            "if none."
        ),
    )
    confirm = forms.BooleanField(
        label=_("I understand the award ends now and its future payments are withheld"),
        error_messages={"required": _("Confirm that the award ends now")},
    )
