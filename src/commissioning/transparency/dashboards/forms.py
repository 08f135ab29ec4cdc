from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.core.money import financial_year_label


class DashboardFilterForm(forms.Form):
    """The dashboard's filters. A value that is not one of the choices is an error shown on
    the page, never a server error."""

    fund = forms.ChoiceField(label=_("Fund"), required=False)
    year = forms.TypedChoiceField(
        label=_("Financial year"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, funds, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.funds = {f.code: f for f in funds}
        any_ = [("", _("All"))]
        self.fields["fund"].choices = any_ + [(f.code, f.name) for f in funds]
        self.fields["year"].choices = any_ + [(str(y), financial_year_label(y)) for y in years]
        self.fields["fund"].error_messages["invalid_choice"] = _("Choose a fund from the list.")
        self.fields["year"].error_messages["invalid_choice"] = _(
            "Choose a financial year from the list."
        )

    def filters(self):
        from commissioning.transparency.dashboards.selectors import Filters

        if not self.is_bound or not self.is_valid():
            return Filters()
        return Filters(
            fund=self.funds.get(self.cleaned_data.get("fund") or ""),
            year=self.cleaned_data.get("year"),
        )
