"""The eligibility rules of AP7, one pure function a rule.

Each rule takes the values it needs (or rows the caller has already fetched), the fund and the
office's application policy, and returns a ScreeningCheck whose reason names the rule and the
figure. Figures come from the fund, the round or the office's policy pack, never from this file.
Nothing here touches the database.
"""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commissioning.applications.models import CostCategory, Endorsement, ScreeningOutcome
from commissioning.core.money import format_pounds
from commissioning.organisations.models import ApplicantType

PASS, FAIL, REFER = ScreeningOutcome.PASS, ScreeningOutcome.FAIL, ScreeningOutcome.REFER


class Rule:
    """The codes stored on ScreeningResult.rule, in the order the rules run."""

    AMOUNT = "amount"
    APPLICANT_TYPE = "applicant_type"
    ENDORSEMENTS = "endorsements"
    SAFEGUARDING = "safeguarding"
    PURPOSE = "purpose"
    INELIGIBLE_COSTS = "ineligible_costs"
    CONTINUATION = "continuation"
    PILOT_LENGTH = "pilot_length"
    DUPLICATION = "duplication"


RULE_TITLES = {
    Rule.AMOUNT: gettext_lazy("Amount within the fund's range"),
    Rule.APPLICANT_TYPE: gettext_lazy("Type of applicant"),
    Rule.ENDORSEMENTS: gettext_lazy("Endorsements confirmed"),
    Rule.SAFEGUARDING: gettext_lazy("Safeguarding policy"),
    Rule.PURPOSE: gettext_lazy("Purpose permitted by the fund"),
    Rule.INELIGIBLE_COSTS: gettext_lazy("No ineligible costs"),
    Rule.CONTINUATION: gettext_lazy("Continuation shows what earlier funding delivered"),
    Rule.PILOT_LENGTH: gettext_lazy("Length of a pilot"),
    Rule.DUPLICATION: gettext_lazy("No duplication of existing provision"),
}


@dataclass(frozen=True)
class ScreeningCheck:
    rule: str
    outcome: str
    reason: str
    details: dict = field(default_factory=dict)


def _label(choices, value: str) -> str:
    """The readable name of a code, to sit inside a sentence: 'police officer or PCSO'."""
    try:
        label = str(choices(value).label)
    except ValueError:
        label = value.replace("_", " ")
    if len(label) > 1 and label[1].islower():
        label = label[0].lower() + label[1:]
    return label


# Amount ------------------------------------------------------------------------------------


def _limits(fund, round) -> tuple[tuple[Decimal | None, str], tuple[Decimal | None, str]]:
    """The narrower of the fund's and the round's ranges, each limit with whose it is."""
    low, high = (fund.min_award, fund.name), (fund.max_award, fund.name)
    if round is not None:
        if round.min_award is not None and (low[0] is None or round.min_award > low[0]):
            low = (round.min_award, round.title)
        if round.max_award is not None and (high[0] is None or round.max_award < high[0]):
            high = (round.max_award, round.title)
    return low, high


def amount_within_range(amount: Decimal | None, *, fund, round=None) -> ScreeningCheck:
    """The amount asked for lies within the fund's range, narrowed by the round's if it sets
    one (ESX CSDF: up to £20,000; CUM Community Fund: up to £2,500)."""
    (low, low_of), (high, high_of) = _limits(fund, round)
    details = {
        "amount": str(amount) if amount is not None else None,
        "min": str(low) if low is not None else None,
        "max": str(high) if high is not None else None,
    }
    if amount is None:
        return ScreeningCheck(
            Rule.AMOUNT, FAIL, _("The application does not say how much it asks for."), details
        )
    figures = {"amount": format_pounds(amount)}
    if high is not None and amount > high:
        reason = _("%(amount)s is over the %(max)s maximum of the %(name)s.") % {
            **figures,
            "max": format_pounds(high),
            "name": high_of,
        }
        return ScreeningCheck(Rule.AMOUNT, FAIL, reason, details)
    if low is not None and amount < low:
        reason = _("%(amount)s is under the %(min)s minimum of the %(name)s.") % {
            **figures,
            "min": format_pounds(low),
            "name": low_of,
        }
        return ScreeningCheck(Rule.AMOUNT, FAIL, reason, details)
    if low is None and high is None:
        reason = _("The %(fund)s sets no range for awards; %(amount)s is asked for.") % {
            **figures,
            "fund": fund.name,
        }
    elif high is None:
        reason = _("%(amount)s is at least the %(min)s minimum of the %(name)s.") % {
            **figures,
            "min": format_pounds(low),
            "name": low_of,
        }
    elif low is None:
        reason = _("%(amount)s is within the %(max)s maximum of the %(name)s.") % {
            **figures,
            "max": format_pounds(high),
            "name": high_of,
        }
    else:
        reason = _("%(amount)s is within the %(min)s to %(max)s range of the %(name)s.") % {
            **figures,
            "min": format_pounds(low),
            "max": format_pounds(high),
            "name": high_of,
        }
    return ScreeningCheck(Rule.AMOUNT, PASS, reason, details)


# Applicant type ----------------------------------------------------------------------------


def applicant_type_eligible(applicant_type: str, *, fund) -> ScreeningCheck:
    """The organisation is of a type the fund accepts."""
    accepted = list(fund.eligible_applicant_types)
    details = {"applicant_type": applicant_type, "eligible": accepted}
    kind = _label(ApplicantType, applicant_type) if applicant_type else _("not given")
    if not accepted:
        reason = _("The %(fund)s accepts any type of applicant.") % {"fund": fund.name}
        return ScreeningCheck(Rule.APPLICANT_TYPE, PASS, reason, details)
    if applicant_type in accepted:
        reason = _("The %(fund)s accepts applicants of this type (%(kind)s).") % {
            "fund": fund.name,
            "kind": kind,
        }
        return ScreeningCheck(Rule.APPLICANT_TYPE, PASS, reason, details)
    reason = _(
        "The %(fund)s does not accept applicants of this type (%(kind)s); it accepts: %(list)s."
    )
    reason %= {
        "fund": fund.name,
        "kind": kind,
        "list": "; ".join(_label(ApplicantType, code) for code in accepted),
    }
    return ScreeningCheck(Rule.APPLICANT_TYPE, FAIL, reason, details)


# Endorsements ------------------------------------------------------------------------------


def _endorsement_state(endorsements: list, kind: str) -> str:
    """confirmed if any endorsement of the kind is; else the furthest state reached; else none."""
    states = {e.state for e in endorsements if e.kind == kind}
    for state in (
        Endorsement.State.CONFIRMED,
        Endorsement.State.REQUESTED,
        Endorsement.State.DECLINED,
        Endorsement.State.NOT_SENT,
    ):
        if state in states:
            return state
    return "missing"


def _endorsement_problem(state: str) -> str:
    if state == "missing":
        return _("no endorser is named")
    if state == Endorsement.State.DECLINED:
        return _("the endorser declined")
    if state == Endorsement.State.NOT_SENT:
        return _("the request has not been sent to the endorser")
    return _("the endorser has not replied yet")


def endorsements_confirmed(endorsements: Iterable, *, fund) -> ScreeningCheck:
    """Every endorsement the fund requires has been confirmed by the endorser (CUM Community
    Fund: a police officer or PCSO; ESX CSDF: the police and the local CSP)."""
    endorsements = list(endorsements)
    required = [r["kind"] for r in fund.required_endorsements]
    states = {kind: _endorsement_state(endorsements, kind) for kind in required}
    details = {"required": required, "states": states}
    if not required:
        reason = _("The %(fund)s needs no endorsement.") % {"fund": fund.name}
        return ScreeningCheck(Rule.ENDORSEMENTS, PASS, reason, details)
    kinds = get_text_list([_label(Endorsement.Kind, kind) for kind in required], _("and"))
    missing = [kind for kind, state in states.items() if state != Endorsement.State.CONFIRMED]
    if not missing:
        reason = _("The %(fund)s needs a confirmed %(kinds)s endorsement; it is confirmed.") % {
            "fund": fund.name,
            "kinds": kinds,
        }
        return ScreeningCheck(Rule.ENDORSEMENTS, PASS, reason, details)
    if len(required) == 1:
        problems = _endorsement_problem(states[missing[0]])
    else:
        problems = "; ".join(
            f"{_label(Endorsement.Kind, kind)}: {_endorsement_problem(states[kind])}"
            for kind in missing
        )
    reason = _("The %(fund)s needs a confirmed %(kinds)s endorsement; %(problems)s.") % {
        "fund": fund.name,
        "kinds": kinds,
        "problems": problems,
    }
    return ScreeningCheck(Rule.ENDORSEMENTS, FAIL, reason, details)


# Safeguarding ------------------------------------------------------------------------------

SAFEGUARDING_KEY = "safeguarding_policy_when_children_or_vulnerable_adults"


def safeguarding_policy_present(
    involves_children_or_vulnerable_adults: bool | None,
    *,
    policy_document,
    application_policy: dict,
) -> ScreeningCheck:
    """Where the project works with children or vulnerable adults and the office asks for it
    (ESX 4.22, LAN principle 3), the organisation has a current safeguarding policy on file.
    `policy_document` is that policy, or None."""
    required = bool(application_policy.get(SAFEGUARDING_KEY, False))
    details = {"required_by_office": required, "on_file": policy_document is not None}
    if not required:
        reason = _("The office does not ask for a safeguarding policy at screening.")
        return ScreeningCheck(Rule.SAFEGUARDING, PASS, reason, details)
    if involves_children_or_vulnerable_adults is None:
        reason = _(
            "The application does not say whether the project works with children or "
            "vulnerable adults: an officer should check whether a safeguarding policy is needed."
        )
        return ScreeningCheck(Rule.SAFEGUARDING, REFER, reason, details)
    if not involves_children_or_vulnerable_adults:
        reason = _(
            "The project does not work with children or vulnerable adults, so no safeguarding "
            "policy is needed."
        )
        return ScreeningCheck(Rule.SAFEGUARDING, PASS, reason, details)
    if policy_document is None:
        reason = _(
            "The project works with children or vulnerable adults and the organisation has no "
            "current safeguarding policy on file; the office requires one."
        )
        return ScreeningCheck(Rule.SAFEGUARDING, FAIL, reason, details)
    reason = _(
        "The project works with children or vulnerable adults and a current safeguarding "
        "policy is on file."
    )
    return ScreeningCheck(Rule.SAFEGUARDING, PASS, reason, details)


# Purpose -----------------------------------------------------------------------------------


def _keyword_pattern(keyword: str) -> re.Pattern:
    """A word or phrase as whole words, any case, the words apart by spaces or hyphens: 'post'
    finds 'Post' and 'post-holder' but not 'postage'; 'officer pay' finds 'officer  pay'."""
    words = [re.escape(word) for word in keyword.split()]
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(words) + r"(?!\w)", re.IGNORECASE)


def matched_words(text: str, words: Iterable[str]) -> list[str]:
    """The words or phrases that appear in the text as whole words, leaving out a word found
    only as part of a longer phrase also found ('post' within 'staff post')."""
    found = [word for word in words if _keyword_pattern(word).search(text or "")]
    return [
        word
        for word in found
        if not any(other != word and _keyword_pattern(word).search(other) for other in found)
    ]


def matched_keywords(text: str, purpose: dict) -> list[str]:
    """The purpose's keywords that appear in the text as whole words or phrases."""
    return matched_words(text, purpose.get("keywords", []))


def _quoted(words: Iterable[str]) -> str:
    return ", ".join(f"‘{w}’" for w in words)


def purpose_permitted(purposes: Iterable[str], text: str, *, fund) -> ScreeningCheck:
    """Where the fund requires it, the application addresses one of the fund's permitted
    purposes (CLE: the s.143 list; CAM: road safety only). A ticked purpose passes only when
    the title, description or activities use one of its keywords; a tick alone is referred to
    an officer. With no purpose chosen, the purposes' keywords are looked for in the text and
    the result is referred, never passed."""
    chosen = list(dict.fromkeys(purposes))
    permitted = {p["code"]: p for p in fund.permitted_purposes}
    details = {"chosen": chosen, "permitted": list(permitted)}
    if not fund.purpose_required or not permitted:
        reason = _("The %(fund)s does not restrict the purposes it funds.") % {"fund": fund.name}
        return ScreeningCheck(Rule.PURPOSE, PASS, reason, details)
    titles = "; ".join(p["title"] for p in permitted.values())
    unknown = [code for code in chosen if code not in permitted]
    if unknown:
        reason = _("%(codes)s is not a purpose the %(fund)s may fund; it funds: %(titles)s.") % {
            "codes": get_text_list(unknown, _("and")),
            "fund": fund.name,
            "titles": titles,
        }
        return ScreeningCheck(Rule.PURPOSE, FAIL, reason, details)
    if chosen:
        support = {code: matched_keywords(text, permitted[code]) for code in chosen}
        details["support"] = support
        unsupported = [
            code for code in chosen if permitted[code].get("keywords") and not support[code]
        ]
        if unsupported:
            reason = _(
                "The application ticks %(titles)s, but its title, description and activities "
                "mention none of the words that show it (such as %(words)s). An officer should "
                "confirm that it addresses the purpose the %(fund)s funds, or fail it."
            ) % {
                "titles": "; ".join(permitted[code]["title"] for code in unsupported),
                "words": _quoted(
                    word for code in unsupported for word in permitted[code]["keywords"][:4]
                ),
                "fund": fund.name,
            }
            return ScreeningCheck(Rule.PURPOSE, REFER, reason, details)
        reason = _("The application addresses %(titles)s, which the %(fund)s funds.") % {
            "titles": "; ".join(permitted[code]["title"] for code in chosen),
            "fund": fund.name,
        }
        words = [word for code in chosen for word in support[code]]
        if words:
            reason += " " + _("It mentions %(words)s.") % {"words": _quoted(words)}
        return ScreeningCheck(Rule.PURPOSE, PASS, reason, details)
    suggested = {code: matched_keywords(text, p) for code, p in permitted.items()}
    suggested = {code: words for code, words in suggested.items() if words}
    details["suggested"] = suggested
    if not suggested:
        reason = _(
            "The application names none of the purposes the %(fund)s funds (%(titles)s), and "
            "its description matches none of them."
        ) % {"fund": fund.name, "titles": titles}
        return ScreeningCheck(Rule.PURPOSE, FAIL, reason, details)
    reason = _(
        "The application names no purpose; its description suggests %(titles)s (it mentions "
        "%(words)s). An officer should confirm the purpose the %(fund)s funds."
    ) % {
        "titles": "; ".join(permitted[code]["title"] for code in suggested),
        "words": _quoted(w for words in suggested.values() for w in words),
        "fund": fund.name,
    }
    return ScreeningCheck(Rule.PURPOSE, REFER, reason, details)


# Ineligible costs --------------------------------------------------------------------------


def _line_details(line, **extra) -> dict:
    return {
        "description": line.description,
        "category": line.category,
        "amount": str(line.amount),
        **extra,
    }


def no_ineligible_costs(budget_lines: Iterable, *, fund) -> ScreeningCheck:
    """No budget line is a cost the fund will not pay for (LAN: police officer pay or
    overtime, running partnerships; CUM: staff roles, sponsoring charitable activities; ESX:
    substitutes for statutory funding). The fund's list already holds the office's.

    A line in an excluded category fails. A line in another category whose description uses a
    word that signals an excluded cost ('part-time coordinator salary' under project staff) is
    referred to an officer, with the line quoted and the rule named: the category is the
    applicant's choice, the words are what they will spend it on."""
    excluded = list(fund.ineligible_costs)
    signals = {code: fund.ineligible_cost_signals.get(code, []) for code in excluded}
    bad, flagged = [], []
    for line in budget_lines:
        if line.category in excluded:
            bad.append(line)
            continue
        found = {
            code: words
            for code in excluded
            if (words := matched_words(line.description, signals[code]))
        }
        if found:
            flagged.append((line, found))
    details = {
        "ineligible_categories": excluded,
        "lines": [_line_details(line) for line in bad],
        "signalled": [_line_details(line, signals=found) for line, found in flagged],
    }
    if not excluded:
        reason = _("The %(fund)s excludes no category of cost.") % {"fund": fund.name}
        return ScreeningCheck(Rule.INELIGIBLE_COSTS, PASS, reason, details)
    sentences = []
    if bad:
        lines = [
            _("‘%(line)s’ (%(amount)s) is %(category)s")
            % {
                "line": line.description,
                "amount": format_pounds(line.amount),
                "category": _label(CostCategory, line.category),
            }
            for line in bad
        ]
        sentences.append(
            _("%(lines)s, which the %(fund)s does not pay for.")
            % {"lines": "; ".join(lines), "fund": fund.name}
        )
    if flagged:
        lines = [
            _(
                "‘%(line)s’ (%(amount)s, entered as %(category)s) mentions %(words)s, which "
                "suggests %(rule)s"
            )
            % {
                "line": line.description,
                "amount": format_pounds(line.amount),
                "category": _label(CostCategory, line.category),
                "words": _quoted(word for words in found.values() for word in words),
                "rule": get_text_list([_label(CostCategory, code) for code in found], _("or")),
            }
            for line, found in flagged
        ]
        sentences.append(
            _(
                "%(lines)s: the %(fund)s does not pay for that. An officer should check what "
                "the cost is for."
            )
            % {"lines": "; ".join(lines), "fund": fund.name}
        )
    if sentences:
        outcome = FAIL if bad else REFER
        return ScreeningCheck(Rule.INELIGIBLE_COSTS, outcome, " ".join(sentences), details)
    reason = _("No cost is of a kind the %(fund)s does not pay for (%(list)s).") % {
        "fund": fund.name,
        "list": "; ".join(_label(CostCategory, code) for code in excluded),
    }
    return ScreeningCheck(Rule.INELIGIBLE_COSTS, PASS, reason, details)


# Continuation ------------------------------------------------------------------------------


def continuation_evidence(
    is_continuation: bool | None, previous_funding: str, *, application_policy: dict
) -> ScreeningCheck:
    """A bid to continue earlier funding says what that funding delivered (ESX 4.8), unless the
    office's pack says it need not."""
    required = bool(application_policy.get("continuation_requires_evidence", True))
    has_evidence = bool((previous_funding or "").strip())
    details = {"required_by_office": required, "evidence_given": has_evidence}
    if not is_continuation:
        reason = _("The bid does not continue earlier funding.")
        return ScreeningCheck(Rule.CONTINUATION, PASS, reason, details)
    if has_evidence:
        reason = _("The bid continues earlier funding and says what that funding delivered.")
        return ScreeningCheck(Rule.CONTINUATION, PASS, reason, details)
    if not required:
        reason = _(
            "The bid continues earlier funding without saying what it delivered; the office "
            "does not require this."
        )
        return ScreeningCheck(Rule.CONTINUATION, PASS, reason, details)
    reason = _(
        "The bid continues earlier funding but does not say what that funding delivered; the "
        "office requires this evidence for continuation funding."
    )
    return ScreeningCheck(Rule.CONTINUATION, FAIL, reason, details)


# Pilot length ------------------------------------------------------------------------------


def months_spanned(starts_on: dt.date, ends_on: dt.date) -> int:
    """Calendar months a project runs, counting a part month as a month: 1 April 2026 to
    31 March 2027 is 12; to 1 April 2027 is 13."""
    months = (ends_on.year - starts_on.year) * 12 + ends_on.month - starts_on.month
    return months + (1 if ends_on.day >= starts_on.day else 0)


def pilot_length(
    is_pilot: bool | None, starts_on: dt.date | None, ends_on: dt.date | None, *, fund
) -> ScreeningCheck:
    """A pilot runs no longer than the fund's limit for pilots (CUM: 12 months, then an
    evaluation). Over the limit fails: the form refuses such a pilot, so one that arrives
    another way (the API, an import) is not eligible. An officer may still override it with a
    recorded reason."""
    limit = fund.pilot_max_months
    details = {"max_months": limit}
    if not is_pilot:
        return ScreeningCheck(Rule.PILOT_LENGTH, PASS, _("The project is not a pilot."), details)
    if limit is None:
        reason = _("The %(fund)s sets no limit on the length of a pilot.") % {"fund": fund.name}
        return ScreeningCheck(Rule.PILOT_LENGTH, PASS, reason, details)
    if starts_on is None or ends_on is None:
        reason = _(
            "The pilot's dates are missing, so its length cannot be checked against the "
            "%(max)s-month limit of the %(fund)s."
        ) % {"max": limit, "fund": fund.name}
        return ScreeningCheck(Rule.PILOT_LENGTH, REFER, reason, details)
    months = months_spanned(starts_on, ends_on)
    details["months"] = months
    figures = {"months": months, "max": limit, "fund": fund.name}
    if months > limit:
        reason = (
            _(
                "The pilot runs %(months)s months, over the %(max)s-month limit for pilots of the "
                "%(fund)s."
            )
            % figures
        )
        if fund.pilot_evaluation_required:
            reason += " " + _("Pilots of this fund end in an evaluation.")
        return ScreeningCheck(Rule.PILOT_LENGTH, FAIL, reason, details)
    reason = (
        _(
            "The pilot runs %(months)s months, within the %(max)s-month limit for pilots of the "
            "%(fund)s."
        )
        % figures
    )
    if fund.pilot_evaluation_required:
        details["evaluation_due"] = ends_on.isoformat()
        reason += " " + _("Its evaluation is due when it ends, on %(date)s.") % {
            "date": date_format(ends_on, "j F Y")
        }
    return ScreeningCheck(Rule.PILOT_LENGTH, PASS, reason, details)


# All together ------------------------------------------------------------------------------


def application_text(application) -> str:
    """The words the purpose and duplication rules read."""
    parts = (application.title, application.short_description, application.activities)
    return "\n".join(part for part in parts if part)


def screen(application, *, policy_document, application_policy: dict) -> list[ScreeningCheck]:
    """Every rule but duplication, on an application fetched with its fund, round,
    organisation, budget lines and endorsements."""
    a, fund = application, application.fund
    return [
        amount_within_range(a.amount_requested, fund=fund, round=a.round),
        applicant_type_eligible(a.organisation.applicant_type, fund=fund),
        endorsements_confirmed(a.endorsements.all(), fund=fund),
        safeguarding_policy_present(
            a.involves_children_or_vulnerable_adults,
            policy_document=policy_document,
            application_policy=application_policy,
        ),
        purpose_permitted(a.purposes or [], application_text(a), fund=fund),
        no_ineligible_costs(a.budget_lines.all(), fund=fund),
        continuation_evidence(
            a.is_continuation, a.previous_funding, application_policy=application_policy
        ),
        pilot_length(a.is_pilot, a.starts_on, a.ends_on, fund=fund),
    ]


def overall_outcome(outcomes: Iterable[str]) -> str:
    """fail if any fails, else refer if any is referred, else pass."""
    outcomes = set(outcomes)
    if FAIL in outcomes:
        return FAIL
    if REFER in outcomes:
        return REFER
    return PASS
