"""`{% history_link record %}`: a "History" link on a record's staff page, to the page that
lists who changed it, what and when. The page belongs to a higher app, which registers the
link in `registry.record_history_links`; a user who may not read the history sees nothing."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from commissioning.core import registry

register = template.Library()


def history_url(user, record, office=None) -> str | None:
    """The first address a registered link gives for the record, or None."""
    if record is None or not getattr(user, "is_authenticated", False):
        return None
    for link in registry.record_history_links:
        url = link(user, record, office)
        if url:
            return url
    return None


@register.simple_tag(takes_context=True)
def history_link(context, record, office=None):
    """The link as a paragraph, or nothing. `office` defaults to the page's `office`."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    url = history_url(user, record, office or context.get("office"))
    if url is None:
        return ""
    return format_html(
        '<p class="govuk-body"><a class="govuk-link" href="{}">{}'
        '<span class="govuk-visually-hidden"> {}</span></a></p>',
        url,
        _("History"),
        _("of this %(kind)s") % {"kind": record._meta.verbose_name},
    )
