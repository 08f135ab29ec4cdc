from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.awards.models import AwardStatus
from commissioning.core.money import financial_year_label


class AwardFilterForm(forms.Form):
    """The awards list's filters. A value that is not one of the choices is an error shown on
    the page, never a server error."""

    q = forms.CharField(label=_("Reference or organisation"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False)
    fund = forms.ChoiceField(label=_("Fund"), required=False)
    year = forms.TypedChoiceField(
        label=_("Financial year"), required=False, coerce=int, empty_value=None
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, funds, years, **kwargs):
        super().__init__(*args, **kwargs)
        any_ = [("", _("Any"))]
        self.fields["status"].choices = any_ + list(AwardStatus.choices)
        self.fields["fund"].choices = any_ + [(f.code, f.name) for f in funds]
        self.fields["year"].choices = any_ + [(str(y), financial_year_label(y)) for y in years]
        self.fields["status"].error_messages["invalid_choice"] = _("Choose a status from the list.")
        self.fields["fund"].error_messages["invalid_choice"] = _("Choose a fund from the list.")
        self.fields["year"].error_messages["invalid_choice"] = _(
            "Choose a financial year from the list."
        )
        self.fields["page"].error_messages["invalid"] = _("The page must be a whole number.")
        self.fields["page"].error_messages["min_value"] = _("The page must be 1 or more.")
