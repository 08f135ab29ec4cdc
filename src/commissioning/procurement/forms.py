"""Forms of the procurement pages. Each checks what a person typed and hands it to one service;
a rule the service refuses comes back as a form error in plain English."""

from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.assessment.models import Standing
from commissioning.core.forms import DateField, MoneyField, YesNoField
from commissioning.core.uploads import UploadField
from commissioning.organisations.models import Organisation


def project_field():
    field = forms.ModelChoiceField(
        label=_("Commissioning project (optional)"),
        queryset=None,
        required=False,
        empty_label=_("None"),
        help_text=_("The project the service is bought for; its page then lists the exercise."),
    )
    field.error_messages["invalid_choice"] = _(
        "Choose one of the office's own commissioning projects."
    )
    return field


def office_projects(field, office) -> None:
    """Offer the office's own projects in progress, and nothing of another office's."""
    from commissioning.cycle.projects.models import CommissioningProject

    field.queryset = (
        CommissioningProject.objects.filter(office=office).active().order_by("reference")
    )
    field.label_from_instance = lambda p: f"{p.reference} {p.title}"


class ExerciseProjectForm(forms.Form):
    project = project_field()

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        office_projects(self.fields["project"], office)


class ExerciseStartForm(forms.Form):
    title = forms.CharField(label=_("Service being bought"), max_length=300)
    description = forms.CharField(
        label=_("What is being bought"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=None, empty_label=None)
    estimated_value = MoneyField(
        label=_("Estimated value (the funding envelope)"),
        help_text=_("The route (quotes or a tender) follows from the value."),
    )
    project = project_field()
    contract_starts_on = DateField(label=_("Contract start"), help_text=_("For example, 1 4 2027"))
    contract_ends_on = DateField(label=_("Contract end"), help_text=_("For example, 31 3 2030"))
    single_tender = YesNoField(label=_("Is this a single tender?"), initial=False)
    single_tender_reason = forms.CharField(
        label=_("If so, why is a single tender justified?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = office.funds.filter(archived_at__isnull=True).order_by(
            "name"
        )
        office_projects(self.fields["project"], office)


class OpenForm(forms.Form):
    advertised_on = DateField(label=_("Advertised on"), required=False)
    closes_on = DateField(label=_("Closes on"), required=False)


class EvaluatorForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Evaluator"), queryset=None)
    standing = forms.ChoiceField(label=_("Standing"), choices=Standing.choices)
    service_user = forms.BooleanField(label=_("A service user"), required=False)

    def __init__(self, *args, office, **kwargs):
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(memberships__office=office, memberships__is_active=True)
            .distinct()
            .order_by("email")
        )


class BidForm(forms.Form):
    supplier_ref = forms.CharField(
        label=_("Supplier's reference"),
        help_text=_("The organisation's reference on this service, such as k7m2q9xdwa."),
        max_length=20,
    )
    price = MoneyField(label=_("Price"))
    received_on = DateField(label=_("Received on"))
    local_supplier = forms.BooleanField(label=_("A local supplier"), required=False)
    document = UploadField(label=_("The written quote or bid"))

    def clean_supplier_ref(self):
        ref = self.cleaned_data["supplier_ref"].strip().lower()
        supplier = Organisation.objects.filter(ref=ref).first()
        if supplier is None:
            raise forms.ValidationError(_("No organisation has that reference."))
        return supplier


class DeclareForm(forms.Form):
    has_conflict = YesNoField(label=_("Do you have an interest in this bid?"))
    interest = forms.CharField(
        label=_("If so, describe it"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class ScoreForm(forms.Form):
    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            field = forms.IntegerField(
                label=_("%(title)s (%(weight)s%% of quality)")
                % {"title": criterion["title"], "weight": criterion["weight"]},
                min_value=0,
                max_value=5,
                help_text=_("0 to 5"),
            )
            field.widget.input_type = "text"
            field.widget.attrs.update({"inputmode": "numeric", "class": "govuk-input--width-2"})
            field.error_messages["invalid"] = _("Enter a whole number from 0 to 5.")
            self.fields[f"score_{criterion['code']}"] = field

    def scores(self) -> dict:
        return {
            name.removeprefix("score_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("score_")
        }


class ProposeForm(forms.Form):
    bid = forms.ModelChoiceField(label=_("Award to"), queryset=None, empty_label=None)

    def __init__(self, *args, exercise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bid"].queryset = exercise.bids.select_related("supplier")
        self.fields["bid"].label_from_instance = lambda b: f"{b.supplier.name} (£{b.price:,.2f})"


class ServiceUsersForm(forms.Form):
    how = forms.CharField(
        label=_("How did service users take part?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class ContractTermsForm(forms.Form):
    """The terms the contract will carry: an extension option, up to three KPIs and, for a
    victims' service, how it supports each national standard and Victims' Code right (leave a
    box empty where it does not)."""

    extension_months = forms.IntegerField(
        label=_("Extension option (months)"), required=False, min_value=1, max_value=120
    )
    extension_value = MoneyField(label=_("Value of the extension"), required=False)

    def __init__(self, *args, victims: bool, **kwargs):
        from commissioning.procurement.contracts.standards import (
            VFS_STANDARDS,
            VICTIMS_CODE_RIGHTS,
        )

        super().__init__(*args, **kwargs)
        self.fields["extension_months"].widget.input_type = "text"
        for n in (1, 2, 3):
            self.fields[f"kpi_{n}_title"] = forms.CharField(
                label=_("KPI %(n)s") % {"n": n}, required=False, max_length=300
            )
            self.fields[f"kpi_{n}_target"] = MoneyField(
                label=_("KPI %(n)s: target each quarter") % {"n": n},
                required=False,
                min_value=None,
            )
        if victims:
            for prefix, items in (("standard", VFS_STANDARDS), ("right", VICTIMS_CODE_RIGHTS)):
                for code, name in items.items():
                    self.fields[f"{prefix}_{code}"] = forms.CharField(
                        label=name,
                        required=False,
                        widget=forms.Textarea(attrs={"rows": 2}),
                        max_length=2000,
                    )

    def clean(self):
        data = super().clean()
        if bool(data.get("extension_months")) != bool(data.get("extension_value")):
            raise forms.ValidationError(_("Give both the months and the value of the extension."))
        return data

    def terms(self) -> dict:
        data = self.cleaned_data
        months, value = data.get("extension_months"), data.get("extension_value")
        return {
            "extensions": [(months, value)] if months else [],
            "kpis": [
                {
                    "code": f"kpi-{n}",
                    "title": data[f"kpi_{n}_title"],
                    "target": data.get(f"kpi_{n}_target") or 0,
                }
                for n in (1, 2, 3)
                if data.get(f"kpi_{n}_title")
            ],
            "standards": {
                k.removeprefix("standard_"): v
                for k, v in data.items()
                if k.startswith("standard_") and v
            },
            "code_rights": {
                k.removeprefix("right_"): v for k, v in data.items() if k.startswith("right_") and v
            },
        }
