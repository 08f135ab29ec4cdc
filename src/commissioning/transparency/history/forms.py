from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.audit.selectors import LogFilters


class AuditLogFilterForm(forms.Form):
    """The log's filters; a bad value is an error on the page, never a server error."""

    verb = forms.CharField(
        label=_("What happened"),
        required=False,
        max_length=80,
        help_text=_("For example award.active, or award for every award event."),
    )
    target_type = forms.ChoiceField(label=_("Kind of record"), required=False)
    actor = forms.CharField(label=_("Who (name or e-mail)"), required=False, max_length=100)
    text = forms.CharField(label=_("Record"), required=False, max_length=100)
    since = forms.DateField(
        label=_("From"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the start date as a real date, like 2026-04-01.")},
    )
    until = forms.DateField(
        label=_("To"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the end date as a real date, like 2026-06-30.")},
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, record_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_type"].choices = [("", _("Any"))] + [(t, t) for t in record_types]
        self.fields["target_type"].error_messages["invalid_choice"] = _(
            "Choose a kind of record from the list."
        )
        self.fields["page"].error_messages["invalid"] = _("The page must be a whole number.")
        self.fields["page"].error_messages["min_value"] = _("The page must be 1 or more.")

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date must be on or after the start date."))
        return data

    def filters(self) -> LogFilters:
        if not self.is_bound or not self.is_valid():
            return LogFilters()
        data = self.cleaned_data
        return LogFilters(
            verb=data.get("verb", "").strip(),
            target_type=data.get("target_type", ""),
            actor=data.get("actor", "").strip(),
            text=data.get("text", "").strip(),
            since=data.get("since"),
            until=data.get("until"),
        )
