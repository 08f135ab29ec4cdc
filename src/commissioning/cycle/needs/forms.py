from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.core.forms import DateField, MoneyField
from commissioning.cycle.forms import OfficeChoicesMixin, areas_field, priorities_field
from commissioning.cycle.needs.models import NeedLevel


class NeedsAssessmentForm(OfficeChoicesMixin, forms.Form):
    title = forms.CharField(
        label=_("The need"),
        max_length=200,
        help_text=_("In a few words, for example 'Support for young victims of knife crime'."),
        error_messages={"required": _("Enter the need")},
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the data, research or consultation shows."),
        error_messages={"required": _("Enter the evidence of the need")},
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        help_text=_("For example, the police's recorded crime data or a partner's survey."),
        error_messages={"required": _("Enter where the evidence comes from")},
    )
    assessed_on = DateField(
        label=_("Date of the evidence"),
        help_text=_("For example, 27 3 2026."),
        error_messages={"required": _("Enter the date of the evidence")},
    )
    level = forms.ChoiceField(
        label=_("Level of need"),
        choices=NeedLevel.choices,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        error_messages={"required": _("Choose the level of need")},
    )
    priorities = priorities_field()
    areas = areas_field()
    project = forms.ChoiceField(label=_("Commissioning project (optional)"), required=False)

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self._office_choices(office)

    def clean_priorities(self):
        value = self.cleaned_data["priorities"]
        if not value:
            raise forms.ValidationError(_("Choose at least one plan priority the need is for"))
        return value

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "values": {
                **{k: data[k] for k in ("title", "evidence", "source", "assessed_on", "level")},
                "project": self.chosen("project"),
            },
            "areas": self.chosen("areas"),
            "priorities": self.chosen("priorities"),
        }


class ProvisionForm(OfficeChoicesMixin, forms.Form):
    name = forms.CharField(
        label=_("Service"),
        max_length=200,
        error_messages={"required": _("Enter the name of the service")},
    )
    provider = forms.CharField(
        label=_("Provider"),
        max_length=200,
        error_messages={"required": _("Enter who provides the service")},
    )
    description = forms.CharField(
        label=_("What it does"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The duplication check compares new applications with this text."),
        error_messages={"required": _("Say what the service does")},
    )
    funder = forms.CharField(label=_("Funded by (optional)"), max_length=200, required=False)
    annual_funding = MoneyField(
        label=_("Funding a year (optional)"), required=False, min_value=None
    )
    starts_on = DateField(label=_("Funded from (optional)"), required=False)
    ends_on = DateField(label=_("Funded until (optional)"), required=False)
    priorities = priorities_field(_("Plan priorities it serves"))
    areas = areas_field()

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self._office_choices(office)

    def clean(self):
        data = super().clean()
        funding = data.get("annual_funding")
        if funding is not None and funding < 0:
            self.add_error("annual_funding", _("The funding cannot be less than £0"))
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The funding must end after it starts"))
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        names = (
            "name",
            "provider",
            "description",
            "funder",
            "annual_funding",
            "starts_on",
            "ends_on",
        )
        return {
            "values": {k: data[k] for k in names},
            "areas": self.chosen("areas"),
            "priorities": self.chosen("priorities"),
        }
