"""Possible duplication of existing provision (AP7, ESX 4.4, CY2).

An application's title, short description and activities are compared with the office's
current awards, the other applications to the same round and the register of existing
provision, by TF-IDF cosine similarity over word unigrams and bigrams (English stop words
removed, words lightly stemmed). The best match at or above the office's
`duplication_refer_threshold` is referred to an officer; duplication never fails a bid.
"""

import math
import re
from collections import Counter
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.applications.models import Application, ScreeningOutcome, Status
from commissioning.applications.screening.rules import Rule, ScreeningCheck

THRESHOLD_KEY = "duplication_refer_threshold"
MATCHES_SHOWN = 5

STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either else
    etc few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just may me might more most must my myself no nor not now of
    off on once only or other our ours ourselves out over own per same shall she should so some
    such than that the their theirs them themselves then there these they this those through
    to too under until up upon us very via was we were what when where which while who whom
    why will with within without would yet you your yours yourself yourselves
    """.split()
)
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
VOWEL = re.compile(r"[aeiouy]")
SUFFIXES = (("ies", "y"), ("ing", ""), ("ed", ""), ("s", ""))


def stem(word: str) -> str:
    """A light stemmer, enough for patrols and patrol, activities and activity, stopped and
    stopping and stop to count as one word."""
    if word.endswith(("ss", "us", "is", "eed")):
        return word
    for suffix, replacement in SUFFIXES:
        if not word.endswith(suffix):
            continue
        base = word[: -len(suffix)]
        if len(base) < 3 or not VOWEL.search(base):
            return word
        if suffix in ("ing", "ed") and base[-1] == base[-2] and base[-1] not in "aeioulsz":
            base = base[:-1]
        return base + replacement
    return word


def terms(text: str) -> Counter:
    """Word unigrams and bigrams of the text, stop words removed, stemmed."""
    words = [
        stem(w.replace("'", ""))
        for w in WORD.findall(text.lower())
        if w not in STOP_WORDS and len(w) > 1
    ]
    return Counter(words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)])


def _weights(counts: Counter, idf: dict[str, float]) -> dict[str, float]:
    vector = {term: (1 + math.log(n)) * idf[term] for term, n in counts.items()}
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {term: w / norm for term, w in vector.items()} if norm else {}


def similarities(text: str, others: list[str]) -> list[float]:
    """Cosine similarity (0 to 1) of the text with each of the others, with inverse document
    frequencies taken over all of them together (smoothed, as most libraries do)."""
    documents = [terms(text), *(terms(other) for other in others)]
    frequency: Counter = Counter()
    for counts in documents:
        frequency.update(counts.keys())
    total = len(documents)
    idf = {term: math.log((1 + total) / (1 + df)) + 1 for term, df in frequency.items()}
    query, *rest = (_weights(counts, idf) for counts in documents)
    return [sum(w * other.get(term, 0.0) for term, w in query.items()) for other in rest]


@dataclass(frozen=True)
class Candidate:
    """Something the application might duplicate."""

    kind: str  # "award", "application" or "provision"
    label: str
    text: str
    reference: str = ""


def closest_matches(text: str, candidates: list[Candidate], *, limit: int = MATCHES_SHOWN):
    """The most similar candidates, best first, as (candidate, similarity) pairs."""
    if not candidates or not terms(text):
        return []
    scored = zip(candidates, similarities(text, [c.text for c in candidates]), strict=True)
    ranked = sorted(scored, key=lambda pair: (-pair[1], pair[0].label))
    return [(c, score) for c, score in ranked[:limit] if score > 0]


def _match_details(candidate: Candidate, similarity: float) -> dict:
    return {
        "kind": candidate.kind,
        "label": candidate.label,
        "reference": candidate.reference,
        "similarity": round(similarity, 4),
        "percent": round(similarity * 100),
    }


def _percent(value: float) -> str:
    return f"{round(value * 100)}%"


def duplication_check(
    text: str, candidates: list[Candidate], *, application_policy: dict
) -> ScreeningCheck:
    """Refer when the closest match reaches the office's threshold; otherwise pass, listing
    the closest matches either way."""
    threshold = application_policy.get(THRESHOLD_KEY)
    matches = closest_matches(text, candidates)
    details = {
        "threshold": threshold,
        "compared_with": len(candidates),
        "matches": [_match_details(c, score) for c, score in matches],
    }
    if not matches:
        reason = _(
            "Nothing similar was found among %(count)s current awards, applications to this "
            "round and services on the register of existing provision."
        ) % {"count": len(candidates)}
        return ScreeningCheck(Rule.DUPLICATION, ScreeningOutcome.PASS, reason, details)
    best, score = matches[0]
    figures = {"similarity": _percent(score), "label": best.label}
    if threshold is None:
        reason = (
            _(
                "The closest match is ‘%(label)s’ (%(similarity)s similar). The office has set no "
                "level at which possible duplication is referred."
            )
            % figures
        )
        return ScreeningCheck(Rule.DUPLICATION, ScreeningOutcome.PASS, reason, details)
    figures["threshold"] = _percent(float(threshold))
    if score >= float(threshold):
        reason = (
            _(
                "The bid is %(similarity)s similar to ‘%(label)s’, at or above the %(threshold)s "
                "level at which the office refers possible duplication to an officer."
            )
            % figures
        )
        return ScreeningCheck(Rule.DUPLICATION, ScreeningOutcome.REFER, reason, details)
    reason = (
        _(
            "The closest match is ‘%(label)s’ (%(similarity)s similar), below the %(threshold)s "
            "level at which the office refers possible duplication."
        )
        % figures
    )
    return ScreeningCheck(Rule.DUPLICATION, ScreeningOutcome.PASS, reason, details)


# What to compare with (two queries) --------------------------------------------------------

NOT_COMPETING = (Status.DRAFT, Status.WITHDRAWN, Status.INELIGIBLE, Status.DECLINED)


def _application_text(row: dict) -> str:
    return "\n".join(filter(None, (row["title"], row["short_description"], row["activities"])))


def duplication_candidates(application, *, today=None) -> list[Candidate]:
    """The office's current awards (approved applications not yet ended), other
    organisations' submitted applications to the same round, and existing provision still
    funded. Two queries, whatever the numbers."""
    from commissioning.cycle.models import ExistingProvision

    today = today or timezone.localdate()
    awards = Q(office_id=application.office_id, status=Status.APPROVED) & (
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    rivals = (
        Q(round_id=application.round_id)
        & ~Q(status__in=NOT_COMPETING)
        & ~Q(organisation_id=application.organisation_id)
    )
    rows = (
        Application.objects.filter(awards | rivals)
        .exclude(pk=application.pk)
        .values(
            "reference",
            "title",
            "short_description",
            "activities",
            "status",
            "organisation__name",
        )
        .order_by("reference")
    )
    candidates = [
        Candidate(
            kind="award" if row["status"] == Status.APPROVED else "application",
            label=f"{row['reference']} {row['title']} ({row['organisation__name']})",
            text=_application_text(row),
            reference=row["reference"],
        )
        for row in rows
    ]
    provision = (
        ExistingProvision.objects.filter(office_id=application.office_id)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values("name", "provider", "description")
        .order_by("provider", "name")
    )
    candidates += [
        Candidate(
            kind="provision",
            label=f"{row['name']} ({row['provider']})",
            text=f"{row['name']}\n{row['description']}",
        )
        for row in provision
    ]
    return candidates
