"""Forms for the officers' round pages: dates entered with the GOV.UK date input and a time,
both read as UK time (Europe/London)."""

import datetime as dt
import re
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from commissioning.core.forms import DateField, MoneyField, YesNoField
from commissioning.core.money import format_pounds
from commissioning.cycle.models import CommissioningProject
from commissioning.organisations.models import ApplicantType

LONDON = zoneinfo.ZoneInfo("Europe/London")
TIME = re.compile(r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>am|pm)?$")


class ClockTimeField(forms.CharField):
    """A time of day typed as people write it: 17:00, 5pm, 5:30pm, 9.15am, noon, midnight."""

    def to_python(self, value):
        text = (super().to_python(value) or "").strip().lower().replace(" ", "")
        if not text:
            return None
        if text in {"noon", "midday", "12noon"}:
            return dt.time(12)
        if text == "midnight":
            return dt.time(0)
        match = TIME.match(text)
        if match is None:
            raise forms.ValidationError(
                _("Enter a time like 17:00 or 5pm"), code="invalid"
            ) from None
        hour, minute = int(match["hour"]), int(match["minute"] or 0)
        half = match["half"]
        if half and not 1 <= hour <= 12:
            raise forms.ValidationError(_("Enter a time like 17:00 or 5pm"), code="invalid")
        if half == "pm" and hour != 12:
            hour += 12
        elif half == "am" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59:
            raise forms.ValidationError(_("Enter a real time, like 17:00"), code="invalid")
        return dt.time(hour, minute)

    def prepare_value(self, value):
        if isinstance(value, dt.time):
            return value.strftime("%H:%M")
        return value


def at_london(day: dt.date | None, time: dt.time | None) -> dt.datetime | None:
    if day is None:
        return None
    return dt.datetime.combine(day, time or dt.time(12), tzinfo=LONDON)


def _split(moment: dt.datetime | None) -> tuple[dt.date | None, dt.time | None]:
    if moment is None:
        return None, None
    local = timezone.localtime(moment, LONDON)
    return local.date(), local.time().replace(second=0, microsecond=0)


def default_criteria(fund) -> str:
    """What the pack says about who and what the fund is for, as the criteria of a new round."""
    lines = []
    if fund.eligible_applicant_types:
        kinds = [str(ApplicantType(t).label).lower() for t in fund.eligible_applicant_types]
        lines.append(_g("Who can apply: %(kinds)s.") % {"kinds": get_text_list(kinds, _g("and"))})
    if fund.permitted_purposes:
        purposes = [p["title"] for p in fund.permitted_purposes]
        lines.append(
            _g("Projects must address: %(purposes)s.")
            % {"purposes": get_text_list(purposes, _g("or"))}
        )
    if fund.required_endorsements:
        lines.append(
            _g("Support needed: %(what)s.")
            % {
                "what": get_text_list(
                    [e["description"].rstrip(".") for e in fund.required_endorsements], _g("and")
                )
            }
        )
    if fund.min_award is not None and fund.max_award is not None:
        lines.append(
            _g("Awards from %(low)s to %(high)s.")
            % {"low": format_pounds(fund.min_award), "high": format_pounds(fund.max_award)}
        )
    if fund.pilot_max_months:
        lines.append(
            _g("Pilots last at most %(months)s months.") % {"months": fund.pilot_max_months}
        )
    return "\n".join(lines)


def initial_for(fund, *, today: dt.date) -> dict:
    """A new round's form, filled in from the fund and its pack."""
    return {
        "title": f"{fund.name} {today.year}",
        "summary": fund.summary,
        "guidance": fund.guidance,
        "criteria": default_criteria(fund),
        "opens_time": dt.time(9),
        "has_deadline": not fund.is_rolling,
        "closes_time": dt.time(12),
    }


def initial_of(round_) -> dict:
    opens_on, opens_time = _split(round_.opens_at)
    closes_on, closes_time = _split(round_.closes_at)
    return {
        "title": round_.title,
        "theme": round_.theme,
        "summary": round_.summary,
        "criteria": round_.criteria,
        "guidance": round_.guidance,
        "opens_on": opens_on,
        "opens_time": opens_time or dt.time(9),
        "has_deadline": round_.closes_at is not None,
        "closes_on": closes_on,
        "closes_time": closes_time or dt.time(12),
        "min_award": round_.min_award,
        "max_award": round_.max_award,
        "project": round_.project.reference if round_.project_id else "",
    }


TIME_HINT = _("UK time, for example 09:00, 17:00 or 5pm. Leave empty for 12 noon.")


class RoundForm(forms.Form):
    """A round's title, texts, dates and award range. `dates` False leaves out the dates and
    the award range (an open or closed round keeps them)."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Enter a title for the round")},
    )
    theme = forms.CharField(
        label=_("Theme (optional)"),
        max_length=120,
        required=False,
        help_text=_("For a targeted call, such as road safety. Leave empty for a general call."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the public funding page. Needed before you publish the round."),
    )
    criteria = forms.CharField(
        label=_("Criteria"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What a project must do or be to be funded. Needed before you publish."),
    )
    guidance = forms.CharField(
        label=_("Guidance for applicants (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    opens_on = DateField(
        label=_("Opening date (optional)"),
        required=False,
        help_text=_("For example, 27 3 2027. Leave empty to open the round when you publish it."),
    )
    opens_time = ClockTimeField(label=_("Opening time"), required=False, help_text=TIME_HINT)
    has_deadline = YesNoField(
        label=_("Does the round have a deadline?"),
        help_text=_("Choose no for a rolling round: applications at any time, to the next panel."),
        error_messages={"required": _("Say whether the round has a deadline")},
    )
    closes_on = DateField(
        label=_("Deadline"),
        required=False,
        help_text=_("For example, 30 1 2027. Needed if the round has a deadline."),
    )
    closes_time = ClockTimeField(label=_("Deadline time"), required=False, help_text=TIME_HINT)
    min_award = MoneyField(label=_("Smallest award (optional)"), required=False)
    max_award = MoneyField(label=_("Largest award (optional)"), required=False)

    project = forms.ChoiceField(
        label=_("Commissioning project (optional)"),
        required=False,
        help_text=_("The project in the commissioning cycle that this round's funding is for."),
        error_messages={"invalid_choice": _("Choose a project from the list")},
    )

    DATE_FIELDS = ("opens_on", "opens_time", "has_deadline", "closes_on", "closes_time")
    AWARD_FIELDS = ("min_award", "max_award")

    def __init__(self, *args, fund, dates: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self._projects = {
            p.reference: p
            for p in CommissioningProject.objects.active()
            .filter(office_id=fund.office_id)
            .order_by("reference")
        }
        self.fields["project"].choices = [("", _("None"))] + [
            (ref, f"{ref} {p.title}") for ref, p in self._projects.items()
        ]
        if not dates:
            for name in (*self.DATE_FIELDS, *self.AWARD_FIELDS):
                del self.fields[name]
            return
        if fund.min_award is not None or fund.max_award is not None:
            hint = _g("Leave empty to use the fund's range: %(low)s to %(high)s.") % {
                "low": format_pounds(fund.min_award) if fund.min_award is not None else "£0",
                "high": format_pounds(fund.max_award) if fund.max_award is not None else "-",
            }
            self.fields["min_award"].help_text = hint
            self.fields["max_award"].help_text = hint

    def clean(self):
        cleaned = super().clean()
        if "has_deadline" in self.fields and cleaned.get("has_deadline"):
            if not cleaned.get("closes_on") and "closes_on" not in self.errors:
                self.add_error(
                    "closes_on", _("Enter the deadline, or choose no for a rolling round")
                )
        return cleaned

    def chosen_project(self):
        """The chosen commissioning project, or None."""
        return self._projects.get(self.cleaned_data.get("project") or "")

    def values(self) -> dict:
        """What the round services take."""
        data = self.cleaned_data
        values = {name: data[name] for name in ("title", "theme", "summary", "criteria")}
        values["guidance"] = data["guidance"]
        if "opens_on" in self.fields:
            values["opens_at"] = at_london(data["opens_on"], data["opens_time"])
            values["closes_at"] = (
                at_london(data["closes_on"], data["closes_time"]) if data["has_deadline"] else None
            )
            values["min_award"] = data["min_award"]
            values["max_award"] = data["max_award"]
        return values


class FundChoiceForm(forms.Form):
    fund = forms.ChoiceField(
        label=_("Which fund is the round for?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the fund the round is for")},
    )

    def __init__(self, *args, funds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].choices = [(f.code, f.name) for f in funds]


class ExtendForm(forms.Form):
    closes_on = DateField(
        label=_("New deadline"),
        help_text=_("For example, 30 1 2027."),
        error_messages={"required": _("Enter the new deadline")},
    )
    closes_time = ClockTimeField(label=_("Deadline time"), required=False, help_text=TIME_HINT)
    reason = forms.CharField(
        label=_("Why is the deadline being extended?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept on the round's record. Applicants with a draft are told the new date."),
        error_messages={"required": _("Enter the reason for the extension")},
    )

    def closes_at(self) -> dt.datetime | None:
        return at_london(self.cleaned_data["closes_on"], self.cleaned_data["closes_time"])


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the round closing early?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept on the round's record and sent to applicants with a draft."),
        error_messages={"required": _("Enter the reason for closing the round early")},
    )
