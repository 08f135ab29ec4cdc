from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.assessment.models import AgreedOutcome, Recommendation, Standing
from commissioning.core.forms import DateField, MoneyField, YesNoField


class PanelForm(forms.Form):
    round = forms.ModelChoiceField(
        label=_("Round"),
        queryset=None,
        empty_label=_("Choose a round"),
        error_messages={
            "required": _("Choose the round the panel assesses"),
            "invalid_choice": _("Choose the round the panel assesses"),
        },
    )
    name = forms.CharField(
        label=_("Panel name"),
        max_length=200,
        help_text=_("For example: Community Fund panel, spring"),
        error_messages={"required": _("Enter the panel's name")},
    )
    meeting_date = DateField(
        label=_("Meeting date"), help_text=_("For example, 27 3 2027"), required=False
    )

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        from commissioning.applications.models import Round

        self.fields["round"].queryset = Round.objects.filter(office=office).order_by("-opens_at")


class MemberForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the member"),
        help_text=_("They must already hold a role in the office, such as panel member."),
        error_messages={
            "required": _("Enter the member's e-mail address"),
            "invalid": _("Enter an e-mail address in the correct format, like name@example.com"),
        },
    )
    standing = forms.ChoiceField(
        label=_("Standing"),
        choices=Standing.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the member's standing"),
            "invalid_choice": _("Choose the member's standing"),
        },
    )


class AddApplicationForm(forms.Form):
    application = forms.ChoiceField(
        label=_("Eligible application"),
        error_messages={
            "required": _("Choose an application"),
            "invalid_choice": _("Choose an application"),
        },
    )

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [("", _("Choose an application"))] + [
            (a.reference, f"{a.reference} – {a.title} ({a.organisation.name})")
            for a in applications
        ]


class ConflictForm(forms.Form):
    has_conflict = YesNoField(
        label=_("Do you have a conflict of interest in this application?"),
        help_text=_(
            "For example, you work for, volunteer with, or are related to someone at the "
            "organisation, or you stand to gain from the decision."
        ),
        error_messages={"required": _("Say whether you have a conflict of interest")},
    )
    interest = forms.CharField(
        label=_("If yes, describe the interest"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("has_conflict") and not (data.get("interest") or "").strip():
            self.add_error("interest", _("Describe the interest you have"))
        return data


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


class MeetingForm(forms.Form):
    held_on = DateField(
        label=_("Date of the meeting"),
        help_text=_("For example, 27 3 2027"),
        error_messages={"required": _("Enter the date of the meeting")},
    )
    attendees = forms.MultipleChoiceField(
        label=_("Who attended"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose the members who attended"),
            "invalid_choice": _("Choose the members who attended"),
        },
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        self.fields["attendees"].choices = [
            (str(m.pk), f"{m.user} ({m.get_standing_display()})") for m in members
        ]

    def chosen(self):
        return [self.members[pk] for pk in self.cleaned_data["attendees"]]


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


class AllocationForm(forms.Form):
    budget = MoneyField(
        label=_("Budget to allocate"),
        min_value=None,
        error_messages={"required": _("Enter the budget to allocate")},
    )
    include = forms.MultipleChoiceField(
        label=_("Always fund"), required=False, widget=forms.CheckboxSelectMultiple
    )
    exclude = forms.MultipleChoiceField(
        label=_("Never fund"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, references, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(r, r) for r in references]
        self.fields["include"].choices = choices
        self.fields["exclude"].choices = choices


class AdjustForm(forms.Form):
    """An amount per application of an allocation run; empty means not funded."""

    def __init__(self, *args, bids, **kwargs):
        super().__init__(*args, **kwargs)
        for bid in bids:
            self.fields[f"amount_{bid['key']}"] = MoneyField(
                label=_("Award to %(ref)s") % {"ref": bid["key"]}, required=False, min_value=None
            )

    def chosen(self) -> dict:
        return {name.removeprefix("amount_"): value for name, value in self.cleaned_data.items()}


class AdoptForm(forms.Form):
    meeting = forms.ChoiceField(
        label=_("Meeting at which the panel adopts it"),
        error_messages={
            "required": _("Choose the meeting at which it was agreed"),
            "invalid_choice": _("Choose the meeting at which it was agreed"),
        },
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.meetings = {str(m.pk): m for m in meetings}
        self.fields["meeting"].choices = [
            (str(m.pk), m.held_on.strftime("%-d %B %Y")) for m in meetings
        ]
