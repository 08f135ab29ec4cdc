"""Fields the cycle's forms share: the office's areas, plan priorities and projects, offered as
choices by id and turned back into the office's own records (anything else is refused)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.cycle.projects.models import CommissioningProject
from commissioning.offices.models import Area
from commissioning.offices.selectors import current_plan_priorities

CHOOSE_FROM_LIST = {
    "areas": _("Choose areas from the list"),
    "priorities": _("Choose plan priorities from the list"),
    "project": _("Choose a project from the list"),
    "projects": _("Choose projects from the list"),
}


class OfficeChoicesMixin:
    """Sets the choices of `areas`, `priorities` and `projects` / `project` fields from the
    office, and gives back the chosen records in `chosen(name)`."""

    def _office_choices(self, office) -> None:
        self._records = {}
        if "areas" in self.fields:
            areas = list(Area.objects.current().filter(office=office).order_by("name"))
            self._set("areas", areas, lambda a: a.name)
        if "priorities" in self.fields:
            priorities = [p for p in current_plan_priorities(office) if p.depth <= 2]
            self._set("priorities", priorities, lambda p: f"{p.code} {p.title}")
        for name in ("projects", "project"):
            if name in self.fields:
                projects = list(
                    CommissioningProject.objects.filter(office=office).order_by("reference")
                )
                self._set(name, projects, lambda p: f"{p.reference} {p.title}")

    def _set(self, name, records, label) -> None:
        self._records[name] = {str(r.pk): r for r in records}
        choices = [(str(r.pk), label(r)) for r in records]
        self.fields[name].error_messages["invalid_choice"] = CHOOSE_FROM_LIST[name]
        if isinstance(self.fields[name], forms.MultipleChoiceField):
            self.fields[name].choices = choices
        else:
            self.fields[name].choices = [("", _("None"))] + choices

    def chosen(self, name):
        value = self.cleaned_data.get(name)
        records = self._records.get(name, {})
        if isinstance(value, list):
            return [records[v] for v in value if v in records]
        return records.get(value) if value else None


def areas_field():
    return forms.MultipleChoiceField(
        label=_("Areas (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked for the whole of the office's area."),
    )


def priorities_field(label=None):
    return forms.MultipleChoiceField(
        label=label or _("Plan priorities"), required=False, widget=forms.CheckboxSelectMultiple
    )


def form_errors(form, exc) -> None:
    """Put a service's DomainError on the form field it names, or on the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)
