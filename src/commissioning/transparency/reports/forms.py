from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.core.money import financial_year_label
from commissioning.transparency.reports.models import ReportFormat, ReportKind


class ReportRequestForm(forms.Form):
    """Which report to make: its kind, the financial year and the format."""

    kind = forms.ChoiceField(
        label=_("Report"),
        choices=ReportKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose which report to make.")},
    )
    year = forms.TypedChoiceField(
        label=_("Financial year"),
        coerce=int,
        error_messages={"required": _("Choose a financial year.")},
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=ReportFormat.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose PDF or spreadsheet.")},
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(str(y), financial_year_label(y)) for y in years]
        messages = {
            "kind": _("Choose the Police and Crime Panel report or the annual data pack."),
            "year": _("Choose a financial year from the list."),
            "format": _("Choose PDF or spreadsheet (XLSX)."),
        }
        for name, message in messages.items():
            self.fields[name].error_messages["invalid_choice"] = message
