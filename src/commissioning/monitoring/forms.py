"""The organisation's return form, the officer's review and the due-date forms. Fields for the
application's outputs, outcomes and budget lines are made from its rows; a value that is not
a whole number or an amount is a form error, never a server error."""

from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.core.forms import DateField
from commissioning.monitoring.models import Rag, ReturnKind
from commissioning.monitoring.rows import rows_of
from commissioning.monitoring.rules import DEMOGRAPHICS, VICTIMS_MEASURES, demographic_groups

COUNT = {"min_value": 0, "max_value": 10_000_000, "required": False}


def _count_field(label, help_text=""):
    field = forms.IntegerField(label=label, help_text=help_text, **COUNT)
    field.widget.input_type = "text"
    field.widget.attrs["inputmode"] = "numeric"
    field.error_messages["invalid"] = _("Enter a whole number, such as 12.")
    return field


class ReturnForm(forms.Form):
    progress = forms.CharField(
        label=_("What progress did the project make in this period?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=20000,
    )
    case_studies = forms.CharField(
        label=_("Case studies"),
        help_text=_("Leave out names and anything else that could identify a person."),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=20000,
    )
    feedback = forms.CharField(
        label=_("What did people who used the service say?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20000,
    )
    risks = forms.CharField(
        label=_("Risks and issues"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20000,
    )
    rag = forms.ChoiceField(
        label=_("How is the project going overall?"),
        choices=Rag.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, monitoring_return, measures: list[str], demographics: bool, **kwargs):
        ret = monitoring_return
        rows = rows_of(ret)
        initial = {
            f: getattr(ret, f) for f in ("progress", "case_studies", "feedback", "risks", "rag")
        }
        self.figures = rows.figures
        self.output_rows = rows.outputs
        self.outcome_rows = rows.outcomes
        self.budget_rows = rows.budget_lines
        self.item_rows = rows.items
        for i in self.item_rows:
            initial[f"item_{i.pk}"] = ret.items.get(str(i.pk), "")
        for o in self.output_rows:
            initial[f"output_{o.pk}"] = ret.outputs.get(str(o.pk))
        for o in self.outcome_rows:
            initial[f"outcome_{o.pk}"] = ret.outcomes.get(str(o.pk), "")
        for b in self.budget_rows:
            initial[f"spend_{b.pk}"] = ret.spend.get(str(b.pk))
        initial["people_supported"] = ret.people_supported
        for code in measures:
            if code != "people_supported":
                initial[f"measure_{code}"] = ret.measures.get(code)
        for category, counts in ret.demographics.items():
            for group, count in counts.items():
                initial[f"demo_{category}_{group}"] = count
        super().__init__(*args, initial=initial, **kwargs)
        self.measures = [c for c in measures if c != "people_supported"]
        self.asks_demographics = demographics
        for o in self.output_rows:
            if self.figures:
                field = forms.CharField(
                    label=o.description,
                    help_text=_("Target: %(n)s") % {"n": o.quantity},
                    required=False,
                    max_length=20,
                )
                field.widget.attrs["inputmode"] = "decimal"
                self.fields[f"output_{o.pk}"] = field
            else:
                self.fields[f"output_{o.pk}"] = _count_field(
                    o.description, _("Target: %(n)s") % {"n": o.quantity}
                )
        for i in self.item_rows:
            self.fields[f"item_{i.pk}"] = forms.CharField(
                label=i.description,
                help_text=_("What was agreed: %(how)s") % {"how": i.how} if i.how else "",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=5000,
            )
        for o in self.outcome_rows:
            self.fields[f"outcome_{o.pk}"] = forms.CharField(
                label=o.description,
                help_text=_("Measured by %(i)s. Starting point: %(b)s. Target: %(t)s.")
                % {"i": o.indicator, "b": o.baseline, "t": o.target},
                required=False,
                max_length=1000,
            )
        for b in self.budget_rows:
            field = forms.CharField(
                label=b.description,
                help_text=_("Spent to date. Budget: £%(a)s") % {"a": f"{b.amount:,.2f}"},
                required=False,
                max_length=20,
            )
            field.widget.attrs["data-prefix"] = "£"
            field.widget.attrs["inputmode"] = "decimal"
            self.fields[f"spend_{b.pk}"] = field
        self.fields["people_supported"] = _count_field(_("People supported in this period"))
        for code in self.measures:
            self.fields[f"measure_{code}"] = _count_field(VICTIMS_MEASURES[code])
        if demographics:
            for category in DEMOGRAPHICS:
                for group, label in demographic_groups(category):
                    self.fields[f"demo_{category}_{group}"] = _count_field(label)
        self.order_fields(["progress"])

    def bound(self, prefix: str):
        return [self[name] for name in self.fields if name.startswith(prefix)]

    def demographic_sections(self):
        return [
            (DEMOGRAPHICS[c][0], [self[f"demo_{c}_{g}"] for g, _label in demographic_groups(c)])
            for c in DEMOGRAPHICS
        ]

    def service_data(self) -> dict:
        """The cleaned form as `return_save` takes it."""
        d = self.cleaned_data
        demographics = {}
        if self.asks_demographics:
            for category in DEMOGRAPHICS:
                counts = {
                    g: d[f"demo_{category}_{g}"]
                    for g, _label in demographic_groups(category)
                    if d.get(f"demo_{category}_{g}") is not None
                }
                if counts:
                    demographics[category] = counts
        return {
            **{f: d.get(f, "") for f in ("progress", "case_studies", "feedback", "risks", "rag")},
            "outputs": {str(o.pk): d.get(f"output_{o.pk}") for o in self.output_rows},
            "outcomes": {str(o.pk): d.get(f"outcome_{o.pk}") for o in self.outcome_rows},
            "spend": {str(b.pk): d.get(f"spend_{b.pk}") for b in self.budget_rows},
            "items": {str(i.pk): d.get(f"item_{i.pk}") for i in self.item_rows},
            "people_supported": d.get("people_supported"),
            "measures": {c: d.get(f"measure_{c}") for c in self.measures},
            "demographics": demographics,
        }


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[("accept", _("Accept the return")), ("return", _("Return it with comments"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to accept the return or send it back.")},
    )
    comments = forms.CharField(
        label=_("Comments for the organisation"),
        help_text=_("Needed when you send the return back: say what to change."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )


class DueDateForm(forms.Form):
    due_on = DateField(
        label=_("New due date"), error_messages={"required": _("Enter the due date.")}
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Give the reason for the change.")},
    )


class AddReturnForm(DueDateForm):
    kind = forms.ChoiceField(label=_("Kind of return"), choices=ReturnKind.choices)
    field_order = ["kind", "due_on", "reason"]
