from django import template
from django.utils.translation import gettext as _

from commissioning.core.money import format_pounds

register = template.Library()


@register.filter
def pounds(amount) -> str:
    return "" if amount is None else format_pounds(amount)


@register.filter
def intcomma_plain(value) -> str:
    return f"{int(value):,}"


@register.simple_tag
def award_range(fund_or_round) -> str:
    """'£250 to £2,500' for a fund, or for a round (which may narrow its fund's range)."""
    if hasattr(fund_or_round, "award_min"):
        low, high = fund_or_round.award_min, fund_or_round.award_max
    else:
        low, high = fund_or_round.min_award, fund_or_round.max_award
    if low and high:
        return _("%(low)s to %(high)s") % {"low": format_pounds(low), "high": format_pounds(high)}
    if high:
        return _("Up to %(high)s") % {"high": format_pounds(high)}
    if low:
        return _("From %(low)s") % {"low": format_pounds(low)}
    return _("By agreement")
