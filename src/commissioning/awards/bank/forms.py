from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.awards.bank import rules
from commissioning.awards.bank.models import BankVerification
from commissioning.core.errors import DomainError


def _checked(rule, value):
    try:
        return rule(value)
    except DomainError as exc:
        raise forms.ValidationError(exc.message) from None


class BankDetailsForm(forms.Form):
    """What an organisation administrator enters, checked by the same rules the service
    applies (bank/rules.py), so every field's plain message shows at once."""

    account_name = forms.CharField(
        label=_("Name on the account"),
        max_length=140,
        error_messages={"required": _("Enter the name on the account.")},
    )
    sort_code = forms.CharField(
        label=_("Sort code"),
        help_text=_("Must be 6 digits long"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Enter the sort code.")},
    )
    account_number = forms.CharField(
        label=_("Account number"),
        help_text=_("Must be 8 digits long"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Enter the account number.")},
    )
    roll_number = forms.CharField(
        label=_("Building society roll number (if you have one)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Telephone number for questions about this change"),
        help_text=_(
            "The office will check the change by calling a number it already holds for your "
            "organisation, not this one."
        ),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": _("Enter a telephone number.")},
    )

    def clean_sort_code(self):
        return _checked(rules.clean_sort_code, self.cleaned_data["sort_code"])

    def clean_account_number(self):
        return _checked(rules.clean_account_number, self.cleaned_data["account_number"])

    def clean_roll_number(self):
        return _checked(rules.clean_roll_number, self.cleaned_data["roll_number"])

    def clean_phone(self):
        return _checked(rules.clean_phone, self.cleaned_data["phone"])


class CallbackNumberForm(forms.Form):
    phone = forms.CharField(
        label=_("Telephone number on file"),
        max_length=30,
        error_messages={"required": _("Enter a telephone number.")},
    )
    source = forms.CharField(
        label=_("Where the number comes from"),
        help_text=_("For example: the charity register, or the organisation's letterhead."),
        max_length=200,
        error_messages={"required": _("Say where the number comes from.")},
    )


class VerificationForm(forms.Form):
    number = forms.TypedChoiceField(
        label=_("Number you called"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the number on file you called."),
            "invalid_choice": _("Choose a number on file for the organisation."),
        },
    )
    spoke_to = forms.CharField(
        label=_("Name of the person you spoke to"),
        max_length=200,
        error_messages={"required": _("Enter the name of the person you spoke to.")},
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=BankVerification.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the organisation confirmed the details.")},
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, numbers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].choices = [(n.pk, f"{n.phone} ({n.source})") for n in numbers]


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejecting"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for rejecting the details.")},
    )
