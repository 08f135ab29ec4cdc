"""The application form, one Django form per step (AP3). Every field is optional while the
application is a draft, so partial answers are saved; completeness is checked on submission."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.applications.models import CostCategory, ScreeningOutcome, Status
from commissioning.applications.screening.rules import months_spanned
from commissioning.applications.selectors import ListFilters
from commissioning.core.forms import DateField, MoneyField, YesNoField
from commissioning.core.validation import LARGEST_ID


def _text(label, help_text="", rows=5, max_length=None):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class AboutForm(forms.Form):
    title = forms.CharField(label=_("Project title"), max_length=150, required=False)
    short_description = forms.CharField(
        label=_("Short description"),
        help_text=_("One or two sentences. If you are funded, this is published."),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    amount_requested = MoneyField(label=_("How much are you asking for?"), required=False)
    starts_on = DateField(
        label=_("When will the project start?"),
        help_text=_("For example, 1 4 2027"),
        required=False,
    )
    ends_on = DateField(
        label=_("When will the project end?"),
        help_text=_("For example, 31 3 2028"),
        required=False,
    )
    is_pilot = YesNoField(
        label=_("Is this a pilot?"),
        help_text=_("A new approach tried for a limited time, then evaluated."),
        required=False,
    )
    is_continuation = YesNoField(
        label=_("Does this continue a project we funded before?"), required=False
    )
    senior_officer_name = forms.CharField(
        label=_("Name of the senior officer responsible for the project"),
        help_text=_("If the project is funded, the award letter is addressed to them."),
        max_length=200,
        required=False,
    )
    senior_officer_role = forms.CharField(
        label=_("Their role in the organisation"),
        help_text=_("For example, Chief Executive or Head of Service."),
        max_length=200,
        required=False,
    )
    senior_officer_email = forms.EmailField(
        label=_("Their e-mail address"),
        max_length=254,
        required=False,
        error_messages={
            "invalid": _("Enter an e-mail address in the right format, like name@example.org")
        },
    )

    SENIOR_OFFICER_FIELDS = ("senior_officer_name", "senior_officer_role", "senior_officer_email")

    def __init__(self, *args, round=None, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        if "senior_officer" not in sections:
            for name in self.SENIOR_OFFICER_FIELDS:
                del self.fields[name]
        self.pilot_max_months = round.fund.pilot_max_months if round is not None else None
        if round is not None and (round.award_min or round.award_max):
            from commissioning.core.templatetags.money import award_range

            self.fields["amount_requested"].help_text = _("This call awards %(range)s.") % {
                "range": award_range(round)
            }
        if self.pilot_max_months:
            help_text = _("A new approach tried for a limited time, then evaluated.")
            limit = _("Pilots of this fund last at most %(months)s months.") % {
                "months": self.pilot_max_months
            }
            self.fields["is_pilot"].help_text = f"{help_text} {limit}"

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends <= starts:
            self.add_error("ends_on", _("The end date must be after the start date"))
        elif (
            starts
            and ends
            and data.get("is_pilot")
            and self.pilot_max_months
            and months_spanned(starts, ends) > self.pilot_max_months
        ):
            self.add_error(
                "ends_on",
                _("Pilots of this fund last at most %(months)s months")
                % {"months": self.pilot_max_months},
            )
            # Keep the dates and the answer as they were, so no over-long pilot is saved.
            for name in ("starts_on", "is_pilot"):
                data.pop(name, None)
        return data


class NeedForm(forms.Form):
    need_and_evidence = _text(
        _("What is the need, and what is the evidence for it?"),
        _("For example local crime figures, surveys, or what people have told you."),
        rows=8,
    )
    activities = _text(_("What will you do?"), _("Who will do what, where and when."), rows=8)


class PrioritiesForm(forms.Form):
    priorities = forms.MultipleChoiceField(
        label=_("Which priorities of the Police and Crime Plan does the project address?"),
        help_text=_("Choose at least one."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    areas = forms.MultipleChoiceField(
        label=_("Which areas will the project serve?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    purposes = forms.MultipleChoiceField(
        label=_("Which of the fund's purposes does the project address?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, priorities, areas, purposes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priorities"].choices = [(p.pk, p.title) for p in priorities]
        self.fields["areas"].choices = [(a.pk, a.name) for a in areas]
        if purposes:
            self.fields["purposes"].choices = [(p["code"], p["title"]) for p in purposes]
        else:
            del self.fields["purposes"]


class BeneficiariesForm(forms.Form):
    beneficiaries_count = forms.IntegerField(
        label=_("How many people will benefit?"),
        min_value=1,
        max_value=10_000_000,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Enter a whole number, like 120")},
    )
    beneficiaries_description = _text(_("Who will benefit?"), rows=4)
    involves_children_or_vulnerable_adults = YesNoField(
        label=_("Will the project work with children or vulnerable adults?"),
        help_text=_("If so, you need a safeguarding policy on file."),
        required=False,
    )


class MoreForm(forms.Form):
    sustainability = _text(
        _("How will the project, or what it achieves, continue after the funding?")
    )
    previous_funding = _text(
        _("What did our earlier funding deliver?"),
        _("Only if this continues a project we funded before."),
    )
    risks = _text(_("What are the risks, and how will you manage them?"))
    evaluation = _text(_("How will you measure and evaluate the project?"))
    partnership = _text(_("Who are your partners, and how do they support the project?"))

    def __init__(self, *args, sections, is_continuation, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("sustainability", "risks", "evaluation", "partnership"):
            if name not in sections:
                del self.fields[name]
        if not is_continuation:
            del self.fields["previous_funding"]


class OutcomeRowForm(forms.Form):
    description = forms.CharField(label=_("Outcome"), max_length=300)
    indicator = forms.CharField(label=_("How you will measure it"), max_length=300)
    baseline = forms.CharField(label=_("Starting point"), max_length=100)
    target = forms.CharField(label=_("Target"), max_length=100)
    target_date = DateField(label=_("By when"))


class OutputRowForm(forms.Form):
    description = forms.CharField(label=_("Output"), max_length=300)
    quantity = forms.IntegerField(
        label=_("Number"),
        min_value=1,
        max_value=10_000_000,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Enter a whole number, like 40")},
    )


class BudgetLineRowForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=CostCategory.choices)
    description = forms.CharField(label=_("What it is for"), max_length=300)
    amount = MoneyField(label=_("Amount"))


class MatchFundingRowForm(forms.Form):
    source = forms.CharField(label=_("Source"), max_length=200)
    amount = MoneyField(label=_("Amount"))
    secured = YesNoField(label=_("Secured?"))


class DeclarationsForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I confirm that the information is true, that the organisation will use the money "
            "only for this project, keep records for six years, and let the office publish the "
            "organisation's name, the short description and the amount if funded."
        ),
        error_messages={"required": _("Confirm the declarations to continue")},
    )


@dataclass(frozen=True)
class RowSet:
    """A repeating part of the form: outcomes, outputs, budget lines or match funding."""

    kind: str
    title: str
    form: type
    fields: tuple[str, ...]


ROW_SETS = {
    "outcomes": RowSet(
        "outcomes",
        _("Outcomes"),
        OutcomeRowForm,
        ("description", "indicator", "baseline", "target", "target_date"),
    ),
    "outputs": RowSet("outputs", _("Outputs"), OutputRowForm, ("description", "quantity")),
    "budget_lines": RowSet(
        "budget_lines", _("Costs"), BudgetLineRowForm, ("category", "description", "amount")
    ),
    "match_funding": RowSet(
        "match_funding", _("Match funding"), MatchFundingRowForm, ("source", "amount", "secured")
    ),
}


# Staff list filters --------------------------------------------------------------------------

STAFF_STATUSES = [(s.value, s.label) for s in Status if s != Status.DRAFT]


class ApplicationFilterForm(forms.Form):
    """The staff list's filters, read from the query string. A filter that is not valid is
    shown in the error summary and left out; the others still apply."""

    round = forms.CharField(
        required=False,
        max_length=100,
        error_messages={
            "max_length": _("Choose a call from the list"),
            "null_characters_not_allowed": _("Choose a call from the list"),
        },
    )
    fund = forms.CharField(
        required=False,
        max_length=20,
        error_messages={
            "max_length": _("Choose a fund from the list"),
            "null_characters_not_allowed": _("Choose a fund from the list"),
        },
    )
    status = forms.ChoiceField(
        required=False,
        choices=[("", "")] + STAFF_STATUSES,
        error_messages={"invalid_choice": _("Choose a status from the list")},
    )
    screening = forms.ChoiceField(
        required=False,
        choices=[("", "")] + ScreeningOutcome.choices,
        error_messages={"invalid_choice": _("Choose a screening outcome from the list")},
    )
    area = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=LARGEST_ID,
        error_messages={
            "invalid": _("Choose an area from the list"),
            "min_value": _("Choose an area from the list"),
            "max_value": _("Choose an area from the list"),
        },
    )
    priority = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=LARGEST_ID,
        error_messages={
            "invalid": _("Choose a plan priority from the list"),
            "min_value": _("Choose a plan priority from the list"),
            "max_value": _("Choose a plan priority from the list"),
        },
    )

    def __init__(self, data, **kwargs):
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(data, **kwargs)

    def filters(self) -> ListFilters:
        """The valid filters (call after is_valid)."""
        data = getattr(self, "cleaned_data", {})
        return ListFilters(
            **{name: str(data.get(name) or "").strip() for name in ListFilters.__dataclass_fields__}
        )
