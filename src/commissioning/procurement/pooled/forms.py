"""The form that sets up a pooled budget: the service, who leads it, the office's own share by
fund and financial year, and each partner's contribution by financial year. A row left empty
is ignored; a row half filled in is an error on the field that is missing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.core.forms import MoneyField, YesNoField
from commissioning.core.money import financial_year_label
from commissioning.offices.models import Budget

OFFICE_ROWS = 2
PARTNER_ROWS = 4


class PoolForm(forms.Form):
    title = forms.CharField(
        label=_("Service the pool pays for"),
        max_length=300,
        error_messages={"required": _("Give the service the pool pays for.")},
    )
    purpose = forms.CharField(
        label=_("What the pool pays for (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    lead_is_office = YesNoField(
        label=_("Does the office lead the commissioning?"),
        error_messages={"required": _("Say whether the office leads the commissioning.")},
    )
    lead_commissioner = forms.CharField(
        label=_("If not, which partner leads it?"), required=False, max_length=200
    )

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = office
        years = sorted(
            set(Budget.objects.filter(fund__office=office).values_list("financial_year", flat=True))
        )
        year_choices = [("", _("Choose a year"))] + [
            (str(y), financial_year_label(y)) for y in years
        ]
        funds = list(office.funds.filter(archived_at__isnull=True).order_by("name"))
        self._funds = {str(f.pk): f for f in funds}
        fund_choices = [("", _("None"))] + [(str(f.pk), f.name) for f in funds]
        invalid_year = _("Choose a financial year from the list.")
        for n in range(1, OFFICE_ROWS + 1):
            words = {"n": n}
            self.fields[f"office_{n}_fund"] = forms.ChoiceField(
                label=_("Office's share %(n)s: fund") % words,
                choices=fund_choices,
                required=False,
                error_messages={"invalid_choice": _("Choose one of the office's funds.")},
            )
            self.fields[f"office_{n}_year"] = forms.TypedChoiceField(
                label=_("Office's share %(n)s: financial year") % words,
                choices=year_choices,
                coerce=int,
                required=False,
                empty_value=None,
                error_messages={"invalid_choice": invalid_year},
            )
            self.fields[f"office_{n}_amount"] = MoneyField(
                label=_("Office's share %(n)s: amount") % words, required=False
            )
        for n in range(1, PARTNER_ROWS + 1):
            words = {"n": n}
            self.fields[f"partner_{n}_name"] = forms.CharField(
                label=_("Partner %(n)s: name") % words, required=False, max_length=200
            )
            self.fields[f"partner_{n}_year"] = forms.TypedChoiceField(
                label=_("Partner %(n)s: financial year") % words,
                choices=year_choices,
                coerce=int,
                required=False,
                empty_value=None,
                error_messages={"invalid_choice": invalid_year},
            )
            self.fields[f"partner_{n}_amount"] = MoneyField(
                label=_("Partner %(n)s: amount") % words, required=False
            )

    def office_rows(self):
        return [
            (self[f"office_{n}_fund"], self[f"office_{n}_year"], self[f"office_{n}_amount"])
            for n in range(1, OFFICE_ROWS + 1)
        ]

    def partner_rows(self):
        return [
            (self[f"partner_{n}_name"], self[f"partner_{n}_year"], self[f"partner_{n}_amount"])
            for n in range(1, PARTNER_ROWS + 1)
        ]

    def clean(self):
        data = super().clean()
        if data.get("lead_is_office") is False and not (data.get("lead_commissioner") or ""):
            self.add_error("lead_commissioner", _("Name the partner that leads the commissioning."))
        rows = [("office", n, "fund") for n in range(1, OFFICE_ROWS + 1)]
        rows += [("partner", n, "name") for n in range(1, PARTNER_ROWS + 1)]
        for prefix, n, source in rows:
            names = [f"{prefix}_{n}_{source}", f"{prefix}_{n}_year", f"{prefix}_{n}_amount"]
            if any(name in self.errors for name in names):
                continue
            given = [bool(data.get(name)) for name in names]
            if any(given) and not all(given):
                missing = names[given.index(False)]
                self.add_error(
                    missing,
                    _("Fill in this row's %(what)s too, or clear the row.")
                    % {"what": str(self.fields[missing].label).split(": ")[-1]},
                )
        return data

    def contributions(self) -> list[dict]:
        data = self.cleaned_data
        rows = []
        for n in range(1, OFFICE_ROWS + 1):
            fund = self._funds.get(data.get(f"office_{n}_fund") or "")
            if fund and data.get(f"office_{n}_amount"):
                rows.append(
                    {
                        "fund": fund,
                        "financial_year": data[f"office_{n}_year"],
                        "amount": data[f"office_{n}_amount"],
                        "field": f"office_{n}_amount",
                    }
                )
        for n in range(1, PARTNER_ROWS + 1):
            partner = (data.get(f"partner_{n}_name") or "").strip()
            if partner and data.get(f"partner_{n}_amount"):
                rows.append(
                    {
                        "partner": partner,
                        "financial_year": data[f"partner_{n}_year"],
                        "amount": data[f"partner_{n}_amount"],
                        "field": f"partner_{n}_name",
                    }
                )
        return rows
