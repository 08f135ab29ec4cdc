"""Office rules for decision records, read from the policy pack: pure functions, no database."""

from decimal import Decimal

from django.utils.text import slugify

from commissioning.core.money import to_money

STANDARD_NUMBER_FORMAT = "{office}/{year}/{number:03d}"


def decision_number(*, sign_off: dict, office_code: str, year: int, number: int) -> str:
    """The record's number from the pack's `decision_number_format`, e.g. ESX/2026/014."""
    pattern = sign_off.get("decision_number_format") or STANDARD_NUMBER_FORMAT
    try:
        return pattern.format(office=office_code, year=year, number=number)
    except (KeyError, IndexError, ValueError):
        return STANDARD_NUMBER_FORMAT.format(office=office_code, year=year, number=number)


def decision_slug(number: str) -> str:
    """A URL-safe form of the number: ESX/2026/014 -> esx-2026-014."""
    return slugify(number.replace("/", "-"))


def signatories_for(total: Decimal, sign_off: dict) -> tuple[str, ...]:
    """Who must sign a decision of this total. A record that only declines (a total of £0) is
    signed by the lowest tier's signatories."""
    return tuple(signing_tier(total, sign_off)["signatories"])


def signing_tier(total: Decimal, sign_off: dict) -> dict:
    """The pack's sign-off tier that covers a decision of this total (a decline-only record of
    £0 is signed at the lowest tier)."""
    tiers = sign_off["tiers"]
    if total <= 0:
        return tiers[0]
    for tier in tiers:
        up_to = tier.get("up_to")
        if to_money(tier["over"]) < total and (up_to is None or total <= to_money(up_to)):
            return tier
    raise ValueError(f"No sign-off tier covers £{total:,}; check the policy pack.")


def tier_in_words(tier: dict, role_label) -> str:
    """'over £2,000: the Commissioner, the Monitoring Officer and the Chief Finance Officer'."""
    from django.utils.text import get_text_list
    from django.utils.translation import gettext as _

    from commissioning.core.money import format_pounds

    over, up_to = to_money(tier["over"]), tier.get("up_to")
    if up_to is None:
        band = _("over %(over)s") % {"over": format_pounds(over)}
    elif over == 0:
        band = _("up to %(up_to)s") % {"up_to": format_pounds(to_money(up_to))}
    else:
        band = _("over %(over)s and up to %(up_to)s") % {
            "over": format_pounds(over),
            "up_to": format_pounds(to_money(up_to)),
        }
    names = [_("the %(role)s") % {"role": role_label(r)} for r in tier["signatories"]]
    return _("%(band)s: %(names)s") % {"band": band, "names": get_text_list(names, _("and"))}


def is_publishable(total: Decimal, publication: dict) -> bool:
    """Whether the pack publishes a decision of this total (`decisions_published_over`;
    without it every decision is published)."""
    over = publication.get("decisions_published_over")
    if over is None:
        return True
    threshold = to_money(over)
    return threshold == 0 or total > threshold


def published_award_fields(publication: dict) -> frozenset[str]:
    """What is shown publicly about each award on a decision record."""
    return frozenset(publication.get("fields", ()))


def reports_to_panel(publication: dict) -> bool:
    return bool(publication.get("report_to_panel", True))
