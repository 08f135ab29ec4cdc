from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.core.forms import DateField
from commissioning.monitoring.performance.models import Level

RISK_ROWS = 3


def _text(label, message, rows=3, required=True, max_length=5000):
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=max_length,
        required=required,
        error_messages={"required": message},
    )


class PlanForm(forms.Form):
    reason = _text(_("Why is a plan needed?"), _("Say why the award needs an improvement plan."))


class ActionForm(forms.Form):
    description = _text(_("Action"), _("Say what is to be done."))
    owner_name = forms.CharField(
        label=_("Owner"), max_length=200, error_messages={"required": _("Name who will do it.")}
    )
    due_on = DateField(label=_("Due"), error_messages={"required": _("Enter the due date.")})


class CloseForm(forms.Form):
    closing_note = _text(_("How did the plan end?"), _("Say how the plan ended."))


class ProposeForm(forms.Form):
    reason = _text(
        _("Why should the service end?"), _("Say why the service should end."), 5, max_length=20000
    )
    proposed_end_on = DateField(
        label=_("Proposed end date"), error_messages={"required": _("Enter the proposed end date.")}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        levels = [("", _("Choose")), *Level.choices]
        for n in range(1, RISK_ROWS + 1):
            self.fields[f"risk_{n}"] = _text(
                _("Risk %(n)s to the people who use the service") % {"n": n}, "", 2, n == 1
            )
            self.fields[f"risk_{n}"].error_messages["required"] = _("Describe at least one risk.")
            self.fields[f"likelihood_{n}"] = forms.ChoiceField(
                label=_("Likelihood of risk %(n)s") % {"n": n}, choices=levels, required=False
            )
            self.fields[f"impact_{n}"] = forms.ChoiceField(
                label=_("Impact of risk %(n)s") % {"n": n}, choices=levels, required=False
            )
            self.fields[f"mitigation_{n}"] = _text(
                _("How risk %(n)s will be managed") % {"n": n}, "", 2, False
            )

    def risk_rows(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "risk": data.get(f"risk_{n}", ""),
                "likelihood": data.get(f"likelihood_{n}", ""),
                "impact": data.get(f"impact_{n}", ""),
                "mitigation": data.get(f"mitigation_{n}", ""),
            }
            for n in range(1, RISK_ROWS + 1)
        ]


class CommentForm(forms.Form):
    text = _text(_("Your comment"), _("Write your comment."), 5, max_length=20000)


class WithdrawForm(forms.Form):
    reason = _text(_("Why is it withdrawn?"), _("Say why it is withdrawn."))
