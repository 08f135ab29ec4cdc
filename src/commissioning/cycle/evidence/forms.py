from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.cycle.evidence.models import EvidenceRating


class EvidenceItemForm(forms.Form):
    intervention = forms.CharField(
        label=_("Intervention"),
        help_text=_("What was done, such as 'mentoring for young people at risk of exclusion'."),
        max_length=200,
        error_messages={"required": _("Name the intervention.")},
    )
    evidence = forms.CharField(
        label=_("What the evidence shows"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        error_messages={"required": _("Say what the evidence shows.")},
    )
    rating = forms.ChoiceField(
        label=_("Rating"),
        choices=EvidenceRating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating.")},
    )
    source = forms.CharField(
        label=_("Source"),
        help_text=_("Where it comes from: an evaluation, a report, a study."),
        max_length=300,
        error_messages={"required": _("Say where the evidence comes from.")},
    )
