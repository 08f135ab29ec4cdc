"""Form fields shared across the product, shaped for the GOV.UK Design System."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.core.money import MAX_MONEY, to_money


class MoneyField(forms.Field):
    """Pounds and pence typed as people write them: 2500, 2,500 or £2,500.50 (not 1e5), up to
    the largest amount the database holds."""

    widget = forms.TextInput

    def __init__(self, *, min_value: Decimal | None = Decimal("0.01"), **kwargs):
        self.min_value = min_value
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "data-prefix": "£"})

    def to_python(self, value):
        if value in self.empty_values or not str(value).strip():
            return None
        if len(str(value)) > 20:
            raise forms.ValidationError(_("The amount is too large"), code="max")
        try:
            amount = to_money(value)
        except ValueError:
            raise forms.ValidationError(
                _("Enter an amount in pounds and pence, like 2500 or 2500.50"), code="invalid"
            ) from None
        if self.min_value is not None and amount < self.min_value:
            raise forms.ValidationError(_("The amount must be more than £0"), code="min")
        if amount > MAX_MONEY:
            raise forms.ValidationError(_("The amount is too large"), code="max")
        return amount

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:.2f}"
        return value


class DateInputWidget(forms.MultiWidget):
    """Day, month and year boxes (the GOV.UK date input)."""

    template_name = "includes/date_widget.html"

    def __init__(self, attrs=None):
        widgets = [
            forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
            forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
            forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DateField(forms.MultiValueField):
    widget = DateInputWidget

    def __init__(self, **kwargs):
        fields = [forms.CharField(), forms.CharField(), forms.CharField()]
        kwargs.setdefault("require_all_fields", False)
        super().__init__(fields=fields, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        missing = [
            name for name, part in (("day", day), ("month", month), ("year", year)) if not part
        ]
        if missing:
            raise forms.ValidationError(
                _("The date must include a %(parts)s") % {"parts": " and ".join(missing)}
            )
        try:
            value = dt.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):  # 99999999999999999999 is no day
            raise forms.ValidationError(_("The date must be a real date, like 27 3 2027")) from None
        if not 2000 <= value.year <= 2100:
            raise forms.ValidationError(_("The year must have four digits, like 2027"))
        return value


YES_NO = [(True, _("Yes")), (False, _("No"))]


class YesNoField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("choices", YES_NO)
        kwargs.setdefault("coerce", lambda v: v in (True, "True", "true", "1"))
        kwargs.setdefault("widget", forms.RadioSelect(attrs={"class": "govuk-radios--inline"}))
        kwargs.setdefault("empty_value", None)
        super().__init__(**kwargs)
