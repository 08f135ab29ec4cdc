from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.applications.clarifications.services import MAX_LENGTH

LENGTH_ERROR = _("Use 5,000 characters or fewer")


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=_("Your question"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "The applicant's members are e-mailed the question. It is kept on the record and "
            "cannot be changed once sent."
        ),
        error_messages={"required": _("Enter your question"), "max_length": LENGTH_ERROR},
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Your answer is kept on the record and cannot be changed once sent."),
        error_messages={"required": _("Enter your answer"), "max_length": LENGTH_ERROR},
    )


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you withdrawing? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("This helps the office improve its funding. Officers will see it."),
        error_messages={"max_length": _("Use 2,000 characters or fewer")},
    )
