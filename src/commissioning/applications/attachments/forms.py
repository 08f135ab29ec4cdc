from django import forms
from django.utils.translation import gettext_lazy as _

from commissioning.core.uploads import UploadField


class AttachmentForm(forms.Form):
    description = forms.CharField(
        label=_("What is the document?"),
        max_length=200,
        help_text=_("For example: quote for the CCTV camera, or letter of support from the school"),
        error_messages={
            "required": _("Enter what the document is"),
            "max_length": _("Use 200 characters or fewer"),
        },
    )
    file = UploadField(label=_("Upload a file"))
