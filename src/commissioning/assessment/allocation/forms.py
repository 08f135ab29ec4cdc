from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.core.forms import MoneyField


class AllocationForm(forms.Form):
    budget = MoneyField(
        label=_("Budget to allocate"),
        min_value=None,
        error_messages={"required": _("Enter the budget to allocate")},
    )
    include = forms.MultipleChoiceField(
        label=_("Always fund"), required=False, widget=forms.CheckboxSelectMultiple
    )
    exclude = forms.MultipleChoiceField(
        label=_("Never fund"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, references, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(r, r) for r in references]
        self.fields["include"].choices = choices
        self.fields["exclude"].choices = choices


class AdjustForm(forms.Form):
    """An amount per application of an allocation run; empty means not funded."""

    def __init__(self, *args, bids, **kwargs):
        super().__init__(*args, **kwargs)
        for bid in bids:
            self.fields[f"amount_{bid['key']}"] = MoneyField(
                label=_("Award to %(ref)s") % {"ref": bid["key"]}, required=False, min_value=None
            )

    def chosen(self) -> dict:
        return {name.removeprefix("amount_"): value for name, value in self.cleaned_data.items()}


class AdoptForm(forms.Form):
    meeting = forms.ChoiceField(
        label=_("Meeting at which the panel adopts it"),
        error_messages={
            "required": _("Choose the meeting at which it was agreed"),
            "invalid_choice": _("Choose the meeting at which it was agreed"),
        },
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.meetings = {str(m.pk): m for m in meetings}
        self.fields["meeting"].choices = [
            (str(m.pk), m.held_on.strftime("%-d %B %Y")) for m in meetings
        ]
