from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.assessment.models import AgreedOutcome, Recommendation
from commissioning.core.forms import MoneyField


class ScoreSheetForm(forms.Form):
    """One radio group (0 to 5) and a comment per criterion, then a recommendation."""

    recommendation = forms.ChoiceField(
        label=_("Your recommendation"),
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Choose your recommendation")},
    )
    amount = MoneyField(
        label=_("If funding in part, the amount to fund"),
        required=False,
    )
    comment = forms.CharField(
        label=_("Comments for the panel"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, rubric, **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        scored = {}
        for criterion in rubric:
            scored[f"score_{criterion.code}"] = forms.TypedChoiceField(
                label=_("%(title)s (weight %(weight)s%%)")
                % {"title": criterion.title, "weight": criterion.weight},
                choices=[
                    (str(value), f"{value} – {text}" if text else str(value))
                    for value, text in _descriptors(criterion)
                ],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                help_text=criterion.guidance,
                error_messages={
                    "invalid_choice": _("Choose a score from 0 to 5 for %(title)s")
                    % {"title": criterion.title}
                },
            )
            scored[f"comment_{criterion.code}"] = forms.CharField(
                label=_("Comment on %(title)s") % {"title": criterion.title},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields = {**scored, **self.fields}

    def scores(self) -> dict:
        return {
            c.code: (
                self.cleaned_data.get(f"score_{c.code}"),
                self.cleaned_data.get(f"comment_{c.code}", ""),
            )
            for c in self.rubric
        }


def _descriptors(criterion):
    texts = list(criterion.descriptors) or [""] * 6
    return list(enumerate(texts))


class AgreeForm(forms.Form):
    meeting = forms.ChoiceField(
        label=_("Meeting"),
        error_messages={
            "required": _("Choose the meeting at which it was agreed"),
            "invalid_choice": _("Choose the meeting at which it was agreed"),
        },
    )
    outcome = forms.ChoiceField(
        label=_("The panel's recommendation"),
        choices=AgreedOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the panel's recommendation"),
            "invalid_choice": _("Choose the panel's recommendation"),
        },
    )
    amount = MoneyField(
        label=_("Amount recommended"),
        help_text=_("Leave empty to recommend the amount requested."),
        required=False,
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rationale = forms.CharField(
        label=_("Reasons"),
        help_text=_(
            "These may be shared with the applicant as the panel's feedback. Do not name "
            "panel members or give individual scores."
        ),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter the reasons for the recommendation")},
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.meetings = {str(m.pk): m for m in meetings}
        self.fields["meeting"].choices = [
            (str(m.pk), m.held_on.strftime("%-d %B %Y")) for m in meetings
        ]
        if len(meetings) == 1:
            self.fields["meeting"].initial = str(meetings[0].pk)
