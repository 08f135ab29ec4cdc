from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.core.forms import MoneyField
from commissioning.decisions.models import TEXT_PARTS, DecisionApplication, DecisionRecord
from commissioning.decisions.services import DecisionLine

NOT_INCLUDED = ""
OUTCOME_CHOICES = [
    (NOT_INCLUDED, _("Not in this decision")),
    (DecisionApplication.Outcome.APPROVE, _("Approve")),
    (DecisionApplication.Outcome.DECLINE, _("Decline")),
]
PART_LABELS = {
    "summary": _("Summary"),
    "rationale": _("Reasons for the decision"),
    "options_considered": _("Options considered"),
    "financial_implications": _("Financial implications"),
    "legal_implications": _("Legal implications"),
    "equality_implications": _("Equality implications"),
}


class DecisionForm(forms.Form):
    """The record's text and, for each application the panel has concluded, its outcome."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Enter a title for the decision")},
    )
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter a summary of the decision")},
    )
    rationale = forms.CharField(
        label=_("Reasons for the decision"),
        widget=forms.Textarea,
        error_messages={"required": _("Enter the reasons for the decision")},
    )
    options_considered = forms.CharField(
        label=_("Options considered"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    financial_implications = forms.CharField(
        label=_("Financial implications"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    legal_implications = forms.CharField(
        label=_("Legal implications"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    equality_implications = forms.CharField(
        label=_("Equality implications"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    exempt_parts = forms.MultipleChoiceField(
        label=_("Parts exempt from publication"),
        help_text=_("These parts are redacted on the published record."),
        choices=[(part, PART_LABELS[part]) for part in TEXT_PARTS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    exemption_reason = forms.CharField(
        label=_("Why those parts are exempt"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, data=None, *, applications, decision: DecisionRecord | None = None):
        initial = {}
        lines = {}
        if decision is not None:
            initial = {name: getattr(decision, name) for name in self.base_fields}
            lines = {link.application_id: link for link in decision.decided_applications.all()}
        super().__init__(data, initial=initial)
        self.decision = decision
        self.applications = list(applications)
        self.rows = []
        for application in self.applications:
            link = lines.get(application.pk)
            key = application.pk
            self.fields[f"outcome_{key}"] = forms.ChoiceField(
                label=_("Decision on %(ref)s") % {"ref": application.reference},
                choices=OUTCOME_CHOICES,
                widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
                required=False,
                initial=link.outcome if link else NOT_INCLUDED,
            )
            self.fields[f"amount_{key}"] = MoneyField(
                label=_("Amount awarded to %(ref)s") % {"ref": application.reference},
                required=False,
                initial=link.amount if link and link.approved else application.amount_requested,
            )
            self.fields[f"reason_{key}"] = forms.CharField(
                label=_("Reason for %(ref)s, told to the applicant")
                % {"ref": application.reference},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=link.reason if link else "",
            )
            self.rows.append(
                {
                    "application": application,
                    "outcome": self[f"outcome_{key}"],
                    "amount": self[f"amount_{key}"],
                    "reason": self[f"reason_{key}"],
                }
            )

    def record_fields(self):
        return self.base_fields

    def clean(self):
        data = super().clean()
        if data.get("exempt_parts") and not (data.get("exemption_reason") or "").strip():
            self.add_error(
                "exemption_reason",
                _("Give the reason the marked parts are exempt from publication"),
            )
        included = 0
        for application in self.applications:
            key = application.pk
            outcome = data.get(f"outcome_{key}")
            if not outcome:
                continue
            included += 1
            amount = data.get(f"amount_{key}")
            if outcome == DecisionApplication.Outcome.APPROVE:
                if amount is None and f"amount_{key}" not in self.errors:
                    self.add_error(
                        f"amount_{key}",
                        _("Enter the amount awarded to %(ref)s") % {"ref": application.reference},
                    )
                elif (
                    amount is not None
                    and application.amount_requested is not None
                    and amount > application.amount_requested
                ):
                    self.add_error(
                        f"amount_{key}",
                        _("The award to %(ref)s cannot be more than it asked for")
                        % {"ref": application.reference},
                    )
        if self.applications and not included:
            first = self.applications[0].pk
            self.add_error(
                f"outcome_{first}", _("Choose approve or decline for at least one application")
            )
        elif not self.applications and (
            self.decision is None or self.decision.decides_applications
        ):
            raise forms.ValidationError(_("There are no applications ready for a decision."))
        return data

    def record_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.base_fields}

    def lines(self) -> list[DecisionLine]:
        lines = []
        for application in self.applications:
            key = application.pk
            outcome = self.cleaned_data.get(f"outcome_{key}")
            if not outcome:
                continue
            approve = outcome == DecisionApplication.Outcome.APPROVE
            lines.append(
                DecisionLine(
                    application=application,
                    outcome=outcome,
                    amount=self.cleaned_data[f"amount_{key}"] if approve else 0,
                    reason=self.cleaned_data.get(f"reason_{key}", ""),
                )
            )
        return lines
