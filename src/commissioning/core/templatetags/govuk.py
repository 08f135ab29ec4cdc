from django import forms, template

from commissioning.core import dates
from commissioning.core.forms import DateInputWidget

register = template.Library()


@register.filter
def widget_kind(bound_field) -> str:
    """Which GOV.UK component renders a form field."""
    widget = bound_field.field.widget
    if isinstance(widget, DateInputWidget):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):  # a subclass of RadioSelect
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


@register.filter
def is_checked(value, selected) -> bool:
    """Whether a choice value is among the field's current value(s)."""
    if selected is None:
        return False
    if isinstance(selected, (list, tuple, set)):
        return str(value) in {str(s) for s in selected}
    return str(value) == str(selected)


@register.filter
def first_id(bound_field) -> str:
    """The id an error summary link should point at."""
    if isinstance(
        bound_field.field.widget, (DateInputWidget, forms.RadioSelect, forms.CheckboxSelectMultiple)
    ):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def get_attr(obj, name):
    return getattr(obj, name, "")


@register.filter
def date_range(starts_on, ends_on) -> str:
    """ "1 April 2027 to 31 March 2028"; empty when neither date is known."""
    from django.utils.dateformat import format as date_format
    from django.utils.translation import gettext

    parts = [date_format(d, "j F Y") if d else gettext("not given") for d in (starts_on, ends_on)]
    if not starts_on and not ends_on:
        return ""
    return gettext("%(start)s to %(end)s") % {"start": parts[0], "end": parts[1]}


@register.filter
def govuk_date(value) -> str:
    """'30 January 2027', as GOV.UK writes dates; a datetime is read in Europe/London."""
    return dates.govuk_date(value)


@register.filter
def govuk_datetime(value) -> str:
    """'30 January 2027 at 2:15pm' in Europe/London; a plain date gives the date alone."""
    return dates.govuk_datetime(value)


@register.filter
def govuk_dates(values) -> str:
    """A list of dates: '30 January 2027, 1 May 2027 and 4 September 2027'."""
    return dates.govuk_dates(values)
