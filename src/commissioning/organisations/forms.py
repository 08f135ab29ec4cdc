import datetime as dt

from django import forms
from django.forms.boundfield import BoundField
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commissioning.core.forms import DateField
from commissioning.core.uploads import UploadField
from commissioning.organisations.identifiers import (
    IdentifierError,
    normalise_charity_number,
    normalise_company_number,
    normalise_postcode,
)
from commissioning.organisations.models import (
    ApplicantType,
    Organisation,
    OrganisationDocument,
    OrganisationMember,
    PolicyDocument,
)


class DateBoundField(BoundField):
    """Exposes the day, month and year boxes to templates/organisations/_date_input.html."""

    @property
    def parts(self) -> list[dict]:
        value = self.value()
        if isinstance(value, dt.date):
            values = [value.day, value.month, value.year]
        elif isinstance(value, list | tuple):
            values = [*value, None, None, None][:3]
        else:
            values = [None, None, None]
        names = [(_("Day"), 2), (_("Month"), 2), (_("Year"), 4)]
        return [
            {
                "id": f"{self.auto_id}_{index}",
                "name": f"{self.html_name}_{index}",
                "label": label,
                "width": width,
                "value": "" if part is None else part,
            }
            for index, ((label, width), part) in enumerate(zip(names, values, strict=True))
        ]


class LabelledDateField(DateField):
    """The shared GOV.UK date input, with messages that name the date ("Date adopted must be a
    real date"), since these forms ask for more than one."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for part in self.fields:
            part.required = False  # compress() names the missing parts itself

    def get_bound_field(self, form, field_name):
        return DateBoundField(form, self, field_name)

    def compress(self, data_list):
        parts = [str(p or "").strip() for p in [*(data_list or []), "", "", ""][:3]]
        if not any(parts):
            return None
        label = str(self.label)
        missing = [
            name
            for name, part in zip((_("day"), _("month"), _("year")), parts, strict=True)
            if not part
        ]
        if missing:
            raise forms.ValidationError(
                _("%(label)s must include a %(parts)s")
                % {"label": label, "parts": _(" and ").join(missing)},
                code="incomplete",
            )
        try:
            day, month, year = (int(p) for p in parts)
            value = dt.date(year, month, day)
        except (ValueError, OverflowError):  # 99999999999999999999 is no day
            raise forms.ValidationError(
                _("%(label)s must be a real date") % {"label": label}, code="invalid"
            ) from None
        if not 1900 <= value.year <= 2100:
            raise forms.ValidationError(
                _("%(label)s must have a year with four digits, like 2025") % {"label": label},
                code="year",
            )
        return value


def _normalised(value: str, normalise) -> str:
    if not value:
        return ""
    try:
        return normalise(value)
    except IdentifierError as error:
        raise forms.ValidationError(str(error)) from None


class OrganisationForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the organisation"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={"required": gettext_lazy("Enter the name of the organisation")},
    )
    legal_form = forms.ChoiceField(
        label=gettext_lazy("Legal form"),
        help_text=gettext_lazy("How the organisation is set up in law."),
        choices=Organisation.LegalForm.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Select the legal form of the organisation")},
    )
    applicant_type = forms.ChoiceField(
        label=gettext_lazy("Type of organisation"),
        help_text=gettext_lazy("Funds say which types of organisation may apply."),
        choices=[("", gettext_lazy("Choose a type")), *ApplicantType.choices],
        error_messages={"required": gettext_lazy("Select the type of organisation")},
    )
    charity_number = forms.CharField(
        label=gettext_lazy("Charity number (if it has one)"),
        help_text=gettext_lazy(
            "From the Charity Commission for England and Wales, for example 1164883."
        ),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    company_number = forms.CharField(
        label=gettext_lazy("Company number (if it has one)"),
        help_text=gettext_lazy(
            "From Companies House, for example 01234567 or SC123456. "
            "Leading zeros are added for you."
        ),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    address = forms.CharField(
        label=gettext_lazy("Address"),
        help_text=gettext_lazy("Do not include the postcode."),
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "street-address"}),
        error_messages={"required": gettext_lazy("Enter the address of the organisation")},
    )
    postcode = forms.CharField(
        label=gettext_lazy("Postcode"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "autocomplete": "postal-code"}
        ),
        error_messages={"required": gettext_lazy("Enter the postcode")},
    )
    website = forms.URLField(
        label=gettext_lazy("Website (optional)"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
        error_messages={
            "invalid": gettext_lazy("Enter a website address, like https://www.example.org")
        },
    )
    email = forms.EmailField(
        label=gettext_lazy("Contact e-mail address"),
        help_text=gettext_lazy("Where the office can write to the organisation."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": gettext_lazy("Enter a contact e-mail address"),
            "invalid": gettext_lazy(
                "Enter an e-mail address in the correct format, like name@example.org"
            ),
        },
    )

    def clean_charity_number(self):
        return _normalised(self.cleaned_data["charity_number"], normalise_charity_number)

    def clean_company_number(self):
        return _normalised(self.cleaned_data["company_number"], normalise_company_number)

    def clean_postcode(self):
        return _normalised(self.cleaned_data["postcode"], normalise_postcode)

    @classmethod
    def initial_for(cls, organisation: Organisation) -> dict:
        return {name: getattr(organisation, name) for name in cls.base_fields}


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        help_text=gettext_lazy(
            "They will get an e-mail with a link to join. The link works once, for 14 days."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": gettext_lazy("Enter the e-mail address of the person to invite"),
            "invalid": gettext_lazy(
                "Enter an e-mail address in the correct format, like name@example.org"
            ),
        },
    )
    role = forms.ChoiceField(
        label=gettext_lazy("What can they do?"),
        choices=[
            (
                OrganisationMember.Role.MEMBER,
                gettext_lazy("Member: apply for funding and add policies and documents"),
            ),
            (
                OrganisationMember.Role.ADMIN,
                gettext_lazy(
                    "Administrator: also change the organisation's details and invite or "
                    "remove members"
                ),
            ),
        ],
        initial=OrganisationMember.Role.MEMBER,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Select what they can do")},
    )


class PolicyForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Which policy is it?"),
        choices=PolicyDocument.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Select which policy this is")},
    )
    title = forms.CharField(
        label=gettext_lazy("Name of the policy (for other policies)"),
        help_text=gettext_lazy("For example, lone working policy."),
        required=False,
        max_length=200,
    )
    adopted_on = LabelledDateField(
        label=gettext_lazy("Date adopted"),
        help_text=gettext_lazy(
            "When the organisation's board or committee adopted this version. "
            "For example, 27 3 2025."
        ),
        error_messages={"required": gettext_lazy("Enter the date the policy was adopted")},
    )
    review_due_on = LabelledDateField(
        label=gettext_lazy("Review date"),
        help_text=gettext_lazy(
            "When the policy is next due to be reviewed. For example, 27 3 2027."
        ),
        error_messages={"required": gettext_lazy("Enter the date the policy is due for review")},
    )
    file = UploadField(label=gettext_lazy("Upload the policy"))


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What is the document?"),
        choices=OrganisationDocument.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Select what kind of document this is")},
    )
    title = forms.CharField(
        label=gettext_lazy("Title (optional, needed for other documents)"),
        required=False,
        max_length=200,
    )
    period_end = LabelledDateField(
        label=gettext_lazy("End of the period covered"),
        help_text=gettext_lazy(
            "For accounts and reports: the last day of the financial year or period. "
            "For example, 31 3 2025."
        ),
        required=False,
    )
    file = UploadField(label=gettext_lazy("Upload the document"))
