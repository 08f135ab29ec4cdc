from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.core.money import financial_year_label


class RegisterFilterForm(forms.Form):
    """The public register's filters. A value that is not one of the choices, or a page that
    is not a number, is an error shown on the page in plain English, never a server error."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    fund = forms.ChoiceField(label=_("Fund"), required=False)
    year = forms.TypedChoiceField(
        label=_("Financial year"), required=False, coerce=int, empty_value=None
    )
    area = forms.ChoiceField(label=_("Area"), required=False)
    priority = forms.ChoiceField(label=_("Plan priority"), required=False)
    page = forms.IntegerField(
        required=False, min_value=1, max_value=100000, widget=forms.HiddenInput
    )

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        any_ = [("", _("Any"))]
        self.fields["fund"].choices = any_ + choices["funds"]
        self.fields["year"].choices = any_ + [
            (str(y), financial_year_label(y)) for y in choices["years"]
        ]
        self.fields["area"].choices = any_ + choices["areas"]
        self.fields["priority"].choices = any_ + [
            (code, f"{code} {title}") for code, title in choices["priorities"]
        ]
        messages = {
            "fund": _("Choose a fund from the list."),
            "year": _("Choose a financial year from the list."),
            "area": _("Choose an area from the list."),
            "priority": _("Choose a plan priority from the list."),
        }
        for name, message in messages.items():
            self.fields[name].error_messages["invalid_choice"] = message
        self.fields["q"].error_messages["max_length"] = _("Search for 100 characters or fewer.")
        self.fields["page"].error_messages["invalid"] = _("The page must be a whole number.")
        self.fields["page"].error_messages["min_value"] = _("The page must be 1 or more.")
        self.fields["page"].error_messages["max_value"] = _("There is no page with that number.")

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())
