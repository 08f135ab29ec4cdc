"""Forms for claims: the claim with one amount a budget line, evidence, and finance's checks."""

from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.awards.claims.models import ClaimEvidence
from commissioning.awards.claims.services import ClaimLineInput
from commissioning.core.forms import DateField, MoneyField
from commissioning.core.money import format_pounds
from commissioning.core.uploads import UploadField

# Rows for lines when the application has no budget lines to claim against.
FREE_LINES = 5
EVIDENCE_TYPES = ["pdf", "png", "jpeg", "docx", "xlsx", "odt"]


class ClaimForm(forms.Form):
    """Period, amount and lines. With budget lines, one amount field per line (`line_<id>`);
    without, description and amount pairs (`free_<n>_description`, `free_<n>_amount`)."""

    period_start = DateField(
        label=_("Start of the period"),
        help_text=_("The first day of the spending this claim covers, for example 1 4 2026"),
        error_messages={"required": _("Enter the start of the period")},
    )
    period_end = DateField(
        label=_("End of the period"),
        help_text=_("The last day of the spending this claim covers, for example 30 6 2026"),
        error_messages={"required": _("Enter the end of the period")},
    )
    amount = MoneyField(
        label=_("Amount claimed"),
        help_text=_("In pounds and pence. The lines below must add up to it."),
        error_messages={"required": _("Enter the amount claimed")},
    )

    def __init__(self, *args, budget_lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.budget_lines = list(budget_lines)
        if self.budget_lines:
            for line in self.budget_lines:
                self.fields[f"line_{line.pk}"] = MoneyField(
                    label=line.description,
                    required=False,
                    help_text=_(
                        "Budgeted: %(amount)s. Leave blank if none of the claim was for this."
                    )
                    % {"amount": format_pounds(line.amount)},
                )
        else:
            for n in range(1, FREE_LINES + 1):
                self.fields[f"free_{n}_description"] = forms.CharField(
                    label=_("What it was spent on (line %(n)s)") % {"n": n},
                    max_length=300,
                    required=False,
                    error_messages={"max_length": _("Use 300 characters or fewer")},
                )
                self.fields[f"free_{n}_amount"] = MoneyField(
                    label=_("Amount (line %(n)s)") % {"n": n}, required=False
                )

    @property
    def line_fields(self):
        if self.budget_lines:
            return [(line, self[f"line_{line.pk}"]) for line in self.budget_lines]
        return []

    @property
    def free_fields(self):
        if self.budget_lines:
            return []
        return [
            (self[f"free_{n}_description"], self[f"free_{n}_amount"])
            for n in range(1, FREE_LINES + 1)
        ]

    def clean(self):
        data = super().clean()
        if self.budget_lines:
            if not self.errors and not any(
                data.get(f"line_{line.pk}") for line in self.budget_lines
            ):
                self.add_error(
                    f"line_{self.budget_lines[0].pk}",
                    _("Enter an amount against at least one cost"),
                )
        else:
            for n in range(1, FREE_LINES + 1):
                text, amount = data.get(f"free_{n}_description"), data.get(f"free_{n}_amount")
                if text and amount is None:
                    self.add_error(f"free_{n}_amount", _("Enter the amount for this line"))
                elif amount is not None and not text:
                    self.add_error(f"free_{n}_description", _("Say what this line was spent on"))
            if not self.errors and not any(
                data.get(f"free_{n}_amount") for n in range(1, FREE_LINES + 1)
            ):
                self.add_error("free_1_description", _("Say what the money was spent on"))
        return data

    def lines(self) -> list[ClaimLineInput]:
        data = self.cleaned_data
        if self.budget_lines:
            return [
                ClaimLineInput(amount=data[f"line_{line.pk}"], budget_line=line)
                for line in self.budget_lines
                if data.get(f"line_{line.pk}")
            ]
        return [
            ClaimLineInput(
                amount=data[f"free_{n}_amount"], description=data[f"free_{n}_description"]
            )
            for n in range(1, FREE_LINES + 1)
            if data.get(f"free_{n}_amount")
        ]

    def service_field(self, field: str | None) -> str | None:
        """The form field to show a service's refusal against."""
        if field == "lines":
            if self.budget_lines:
                return f"line_{self.budget_lines[0].pk}"
            return "free_1_description"
        return field if field in self.fields else None


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of evidence is it?"),
        choices=ClaimEvidence.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of evidence it is")},
    )
    description = forms.CharField(
        label=_("What does it show?"),
        max_length=200,
        help_text=_("For example: invoice 1042 from Bright Locks for door chains"),
        error_messages={
            "required": _("Enter what the document shows"),
            "max_length": _("Use 200 characters or fewer"),
        },
    )
    file = UploadField(label=_("Upload a file"), allowed=EVIDENCE_TYPES)


class SubmitForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I confirm that the organisation spent this money on the project as set out, and "
            "that the evidence is genuine."
        ),
        error_messages={"required": _("Confirm the declaration to submit the claim")},
    )


class ApproveForm(forms.Form):
    amount = MoneyField(
        label=_("Amount to approve"),
        help_text=_("The amount claimed, or less with a reason."),
        error_messages={"required": _("Enter the amount to approve")},
    )
    reason = forms.CharField(
        label=_("Reason (needed if you approve less than was claimed)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Use 2,000 characters or fewer")},
    )


class ReturnForm(forms.Form):
    comments = forms.CharField(
        label=_("What must the organisation correct?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Say what the organisation must correct"),
            "max_length": _("Use 4,000 characters or fewer"),
        },
    )


class ClaimFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("submitted", _("Waiting to be checked")),
            ("returned", _("Returned")),
            ("approved", _("Approved")),
            ("", _("All but drafts")),
        ],
        error_messages={"invalid_choice": _("Choose a status from the list.")},
    )
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=1_000_000,
        error_messages={
            "invalid": _("The page must be a whole number."),
            "min_value": _("The page must be 1 or more."),
            "max_value": _("The page must be 1 or more."),
        },
    )
