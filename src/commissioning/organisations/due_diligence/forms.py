from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.organisations.due_diligence import rules
from commissioning.organisations.due_diligence.models import DueDiligenceOutcome
from commissioning.organisations.forms import LabelledDateField

SECTION_LABELS = {
    "financial": _("Financial checks"),
    "non_financial": _("Non-financial checks"),
    "effectiveness": _("Effectiveness and efficiency"),
    "partner_views": _("Partners' views"),
}
ITEM_LABELS = {
    "accounts_reviewed": _("Accounts reviewed"),
    "no_irregularities": _("No irregularities found"),
    "positive_cash": _("Positive cash position"),
    "safeguarding": _("Safeguarding arrangements are adequate"),
    "data_protection": _("Data protection arrangements are adequate"),
    "effective": _("The organisation is likely to deliver effectively and efficiently"),
    "partners_supportive": _("Partners' views are supportive"),
}
NOTE_LABELS = {
    "financial": _("Notes on the financial checks (optional)"),
    "non_financial": _("Notes on the non-financial checks (optional)"),
    "effectiveness": _("Notes on effectiveness and efficiency (optional)"),
    "partner_views": _("Notes on partners' views (optional)"),
}


class DueDiligenceForm(forms.Form):
    """The checks the office's pack lists, each a set of "select all that apply" boxes with
    notes, then the outcome."""

    checked_on = LabelledDateField(
        label=_("Date checked"),
        help_text=_("For example, 27 3 2026."),
        error_messages={"required": _("Enter the date the checks were made")},
    )

    def __init__(self, *args, policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.checks = rules.checks_of(policy)
        for check in self.checks:
            self.fields[check] = forms.MultipleChoiceField(
                label=SECTION_LABELS[check],
                help_text=_("Select all that were confirmed."),
                choices=[(f, ITEM_LABELS[f]) for f in rules.CHECK_FIELDS[check]],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
            self.fields[rules.NOTE_FIELDS[check]] = forms.CharField(
                label=NOTE_LABELS[check],
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=5000,
            )
        self.fields["outcome"] = forms.ChoiceField(
            label=_("Outcome"),
            choices=DueDiligenceOutcome.choices,
            widget=forms.RadioSelect,
            error_messages={"required": _("Select the outcome of the checks")},
        )
        self.fields["conditions"] = forms.CharField(
            label=_("Conditions (for a pass with conditions)"),
            widget=forms.Textarea(attrs={"rows": 3}),
            required=False,
            max_length=5000,
        )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        out = {
            "checked_on": data["checked_on"],
            "outcome": data["outcome"],
            "conditions": data.get("conditions", ""),
        }
        for check in self.checks:
            for field in rules.CHECK_FIELDS[check]:
                out[field] = field in data.get(check, [])
            out[rules.NOTE_FIELDS[check]] = data.get(rules.NOTE_FIELDS[check], "")
        return out
