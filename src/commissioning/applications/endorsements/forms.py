from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.core.forms import YesNoField


class EndorserForm(forms.Form):
    """The applicant names an endorser for one of the kinds of support the fund asks for."""

    kind = forms.ChoiceField(
        label=_("Which support is this?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select which support this endorser gives")},
    )
    endorser_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        error_messages={"required": _("Enter the endorser's full name")},
    )
    endorser_role = forms.CharField(
        label=_("Role and team"),
        max_length=200,
        help_text=_("For example: PCSO, Penrith neighbourhood team"),
        error_messages={"required": _("Enter the endorser's role and team")},
    )
    endorser_email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We will e-mail a link to this address so they can answer."),
        error_messages={
            "required": _("Enter the endorser's e-mail address"),
            "invalid": _("Enter an e-mail address in the correct format, like name@example.com"),
        },
    )

    def __init__(self, *args, kinds: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        field.choices = list(kinds.items())
        if len(kinds) == 1:
            field.widget = forms.HiddenInput()
            field.initial = next(iter(kinds))


class EndorsementResponseForm(forms.Form):
    """The endorser's answer."""

    supports = YesNoField(
        label=_("Do you support this application?"),
        error_messages={"required": _("Select yes if you support this application")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Needed if you do not support it: tell us why. Officers and the applicant "
            "will see what you write."
        ),
        error_messages={"max_length": _("The comment must be 2,000 characters or fewer")},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("supports") is False and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("Say why you do not support this application"))
        return cleaned
