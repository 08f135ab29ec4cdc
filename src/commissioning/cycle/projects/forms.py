from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.core.forms import DateField, MoneyField
from commissioning.cycle.forms import OfficeChoicesMixin, areas_field, priorities_field
from commissioning.cycle.projects.models import ReviewOutcome


class ProjectForm(OfficeChoicesMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Enter a title for the project")},
    )
    summary = forms.CharField(
        label=_("What the project is for (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    value = MoneyField(
        label=_("Estimated value"),
        min_value=None,
        help_text=_(
            "The whole value over the life of the service, in pounds. The steps each stage "
            "asks for follow it."
        ),
        error_messages={"required": _("Enter the project's estimated value in pounds")},
    )
    priorities = priorities_field()
    areas = areas_field()

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self._office_choices(office)

    def clean_value(self):
        value = self.cleaned_data["value"]
        if value is not None and value < 0:
            raise forms.ValidationError(_("The value cannot be less than £0"))
        return value

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "summary": data["summary"],
            "value": data["value"],
            "priorities": self.chosen("priorities"),
            "areas": self.chosen("areas"),
        }


class StepForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("What was done, and where is the evidence?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say what was done and where the evidence is")},
    )


class StageForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StopForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the project stopping?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the project is stopping")},
    )


class ReviewForm(forms.Form):
    reviewed_on = DateField(
        label=_("Date of the review"),
        help_text=_("For example, 27 3 2027."),
        error_messages={"required": _("Enter the date of the review")},
    )
    summary = forms.CharField(
        label=_("What did the review find?"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what the review found")},
    )
    outcome = forms.ChoiceField(
        label=_("What happens next?"),
        choices=ReviewOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what happens next")},
    )
