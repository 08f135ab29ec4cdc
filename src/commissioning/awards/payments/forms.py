from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.core.forms import DateField


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason.")},
    )


class ResolveForm(forms.Form):
    note = forms.CharField(
        label=_("How was it resolved?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say how the reason for withholding was resolved.")},
    )


class ConfirmPaidForm(forms.Form):
    paid_on = DateField(
        label=_("Date the finance system paid the run"),
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date the finance system paid the run.")},
    )
