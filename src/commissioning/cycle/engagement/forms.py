from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.core.forms import DateField
from commissioning.cycle.engagement.models import EventKind, Respondent
from commissioning.cycle.forms import OfficeChoicesMixin


class EventForm(OfficeChoicesMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of event"),
        choices=EventKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of event")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Enter a title for the event")},
    )
    held_on = DateField(
        label=_("Date"),
        help_text=_("For example, 27 3 2026."),
        error_messages={"required": _("Enter the date of the event")},
    )
    attendees = forms.CharField(
        label=_("Who attended"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Organisations and roles; no need to name members of the public."),
        error_messages={"required": _("Say who attended")},
    )
    attendee_count = forms.IntegerField(
        label=_("Number attending (optional)"),
        required=False,
        min_value=0,
        max_value=100000,
        error_messages={
            "invalid": _("Enter the number attending as a whole number, like 12"),
            "min_value": _("The number attending cannot be less than 0"),
            "max_value": _("The number attending must be 100,000 or fewer"),
        },
    )
    learnt = forms.CharField(
        label=_("What was learnt"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Say what was learnt")},
    )
    projects = forms.MultipleChoiceField(
        label=_("Commissioning projects it informs (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self._office_choices(office)

    def values(self) -> dict:
        names = ("kind", "title", "held_on", "attendees", "attendee_count", "learnt")
        return {
            "values": {k: self.cleaned_data[k] for k in names},
            "projects": self.chosen("projects"),
        }


class SurveyForm(OfficeChoicesMixin, forms.Form):
    title = forms.CharField(
        label=_("Which round or tender is the survey about?"),
        max_length=200,
        help_text=_("For example, 'Community Safety Fund 2026 round' or 'Victim care tender'."),
        error_messages={"required": _("Say which round or tender the survey is about")},
    )
    closes_on = DateField(
        label=_("Closing date"),
        help_text=_("For example, 30 4 2026. People can answer until the end of this day."),
        error_messages={"required": _("Enter the closing date")},
    )
    project = forms.ChoiceField(label=_("Commissioning project (optional)"), required=False)

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self._office_choices(office)


SCALE = [(n, str(n)) for n in range(1, 6)]


def _rating(label):
    return forms.TypedChoiceField(
        label=label,
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        help_text=_("1 is poor, 5 is very good."),
        error_messages={"required": _("Choose an answer from 1 to 5")},
    )


class ResponseForm(forms.Form):
    respondent = forms.ChoiceField(
        label=_("Who are you answering as?"),
        choices=Respondent.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say who you are answering as")},
    )
    clarity = _rating(_("How clear was the information about what was being funded?"))
    fairness = _rating(_("How fair and open did the process feel?"))
    ease = _rating(_("How easy was it to take part?"))
    went_well = forms.CharField(
        label=_("What went well? (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    could_improve = forms.CharField(
        label=_("What could be better? (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
