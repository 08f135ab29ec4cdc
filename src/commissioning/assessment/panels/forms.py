from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.assessment.models import Standing
from commissioning.core.forms import DateField, YesNoField


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
