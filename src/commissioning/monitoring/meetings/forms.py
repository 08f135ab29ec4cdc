from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.core.forms import DateField
from commissioning.monitoring.meetings.models import Side


class MeetingRecordForm(forms.Form):
    held_on = DateField(
        label=_("Date held"), error_messages={"required": _("Enter the date of the meeting.")}
    )
    attendees = forms.CharField(
        label=_("Who came"),
        help_text=_(
            "One person a line: name, role, and 'office' for the office's staff. "
            "For example: Sam Patel, Project manager"
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": _("Name at least one person who came.")},
    )
    notes = forms.CharField(
        label=_("Notes"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=50000,
        error_messages={"required": _("Write the notes of the meeting.")},
    )

    def attendee_rows(self) -> list[dict]:
        rows = []
        for line in self.cleaned_data["attendees"].splitlines():
            parts = [p.strip() for p in line.split(",")]
            if not parts[0]:
                continue
            side = Side.PROVIDER
            if parts[-1].lower() in ("office", "the office") and len(parts) > 1:
                side, parts = Side.OFFICE, parts[:-1]
            rows.append({"name": parts[0], "role": ", ".join(parts[1:]), "side": side})
        return rows

    @staticmethod
    def attendee_text(attendees) -> str:
        return "\n".join(
            ", ".join(p for p in (a.name, a.role, "office" if a.side == Side.OFFICE else "") if p)
            for a in attendees
        )


class MeetingActionForm(forms.Form):
    description = forms.CharField(
        label=_("Action"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": _("Say what is to be done.")},
    )
    owner_name = forms.CharField(
        label=_("Owner"), max_length=200, error_messages={"required": _("Name who will do it.")}
    )
    due_on = DateField(label=_("Due"), error_messages={"required": _("Enter the due date.")})
