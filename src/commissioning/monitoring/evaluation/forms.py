from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.cycle.evidence.models import EvidenceRating
from commissioning.monitoring.evaluation.models import Recommendation
from commissioning.monitoring.evaluation.services import questions_for

LABELS = {
    "achievements": _("What did the project achieve against its outcomes?"),
    "what_worked": _("What worked well?"),
    "challenges": _("What did not work, and why?"),
    "lessons": _("What would you do differently, and what should others learn from it?"),
    "sustainability": _("What happens to the service after the funding ends?"),
}


class EvaluationForm(forms.Form):
    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        for name in questions_for(kind):
            self.fields[name] = forms.CharField(
                label=LABELS[name],
                help_text=_("Leave out names and anything else that could identify a person.")
                if name == "achievements"
                else "",
                widget=forms.Textarea(attrs={"rows": 5}),
                required=False,
                max_length=20000,
            )


class AssessmentForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("How well did it work?"),
        choices=EvidenceRating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how well it worked.")},
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a recommendation.")},
    )
    officer_summary = forms.CharField(
        label=_("Summary of what the evaluation shows"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        error_messages={"required": _("Summarise what the evaluation shows.")},
    )


class FindingForm(forms.Form):
    intervention = forms.CharField(
        label=_("Intervention"),
        max_length=200,
        error_messages={"required": _("Name the intervention.")},
    )
    evidence = forms.CharField(
        label=_("What the evidence shows"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
        error_messages={"required": _("Say what the evidence shows.")},
    )
