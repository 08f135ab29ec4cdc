"""A procurement exercise (AS7): one purchase of a service, by the route its value takes under
the office's policy pack (one written quote, three written quotes, a competitive tender), or
by a single tender where a signed decision record justifies it; and the written quotes and
tender bids it receives, each with its document.

What the pack said when the exercise began (route, quotes needed, quality and cost split,
criteria, whether an independent evaluator is needed) is kept on the exercise, so a later
change to the pack leaves a running exercise as it was advertised."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning.core.models import AbstractStatusChange, TimeStampedModel
from commissioning.core.transitions import Workflow
from commissioning.core.uploads import StoredFile

MONEY = {"max_digits": 12, "decimal_places": 2}


class Route(models.TextChoices):
    DIRECT_AWARD = "direct_award", _("Direct award")
    ONE_QUOTE = "one_quote", _("One written quote")
    THREE_QUOTES = "three_quotes", _("Three written quotes")
    COMPETITIVE_TENDER = "competitive_tender", _("Competitive tender")


class ExerciseStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    OPEN = "open", _("Open for quotes or bids")
    EVALUATION = "evaluation", _("In evaluation")
    AWARD_PROPOSED = "award_proposed", _("Award awaiting sign-off")
    AWARDED = "awarded", _("Awarded")
    CANCELLED = "cancelled", _("Cancelled")


TRANSITIONS: dict[str, frozenset[str]] = {
    ExerciseStatus.PLANNING: frozenset({ExerciseStatus.OPEN, ExerciseStatus.CANCELLED}),
    ExerciseStatus.OPEN: frozenset({ExerciseStatus.EVALUATION, ExerciseStatus.CANCELLED}),
    ExerciseStatus.EVALUATION: frozenset({ExerciseStatus.AWARD_PROPOSED, ExerciseStatus.CANCELLED}),
    ExerciseStatus.AWARD_PROPOSED: frozenset(
        {ExerciseStatus.AWARDED, ExerciseStatus.EVALUATION, ExerciseStatus.CANCELLED}
    ),
    ExerciseStatus.AWARDED: frozenset(),
    ExerciseStatus.CANCELLED: frozenset(),
}
LIVE = frozenset({ExerciseStatus.PLANNING, ExerciseStatus.OPEN, ExerciseStatus.EVALUATION})


class AwardForm(models.TextChoices):
    """How the office's money reaches the provider (CAM 5.3); a grant is an awards.Award."""

    CONTRACT = "contract", _("Contract")
    CONTRIBUTION = "contribution", _("Contribution to a co-commissioned contract")
    PAID_INVOICE = "paid_invoice", _("Paid invoice")


class ExerciseQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("office", "fund", "project", "winning_bid__supplier").annotate(
            bid_count=models.Count("bids", distinct=True)
        )


class ProcurementExercise(TimeStampedModel):
    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="procurement_exercises"
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    title = models.CharField(_("service"), max_length=300)
    description = models.TextField(_("what is being bought"))
    fund = models.ForeignKey("offices.Fund", on_delete=models.PROTECT, related_name="+")
    pooled_budget = models.ForeignKey(
        "procurement.PooledBudget",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exercises",
    )
    project = models.ForeignKey(
        "cycle.CommissioningProject",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="procurement_exercises",
        verbose_name=_("commissioning project"),
        help_text=_("The commissioning project the service is bought for, if any."),
    )
    estimated_value = models.DecimalField(_("estimated value (funding envelope)"), **MONEY)
    award_form = models.CharField(
        _("award form"), max_length=20, choices=AwardForm.choices, default=AwardForm.CONTRACT
    )
    # The route under the pack when the exercise began.
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    route_label = models.CharField(_("route, as the pack names it"), max_length=300)
    quotes_required = models.PositiveSmallIntegerField(_("quotes needed"), null=True, blank=True)
    advertise = models.BooleanField(_("advertised"), default=False)
    single_tender = models.BooleanField(_("single tender"), default=False)
    single_tender_reason = models.TextField(_("why a single tender"), blank=True)
    single_tender_decision = models.ForeignKey(
        "decisions.DecisionRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("single tender decision"),
    )
    single_tender_approved = models.BooleanField(_("single tender signed off"), default=False)
    # The published evaluation (tenders): the split in percent and the quality criteria.
    quality_weight = models.PositiveSmallIntegerField(_("quality (%)"), default=0)
    cost_weight = models.PositiveSmallIntegerField(_("cost (%)"), default=100)
    criteria = models.JSONField(_("quality criteria"), default=list, blank=True)
    independent_member_required = models.BooleanField(
        _("independent member required"), default=False
    )
    panel_min_members = models.PositiveSmallIntegerField(_("fewest evaluators"), default=1)
    service_users_involved = models.BooleanField(_("service users involved"), default=False)
    service_user_involvement = models.TextField(_("how service users took part"), blank=True)
    advertised_on = models.DateField(_("advertised"), null=True, blank=True)
    closes_on = models.DateField(_("closes"), null=True, blank=True)
    # The contract the award will make.
    contract_starts_on = models.DateField(_("contract start"), null=True, blank=True)
    contract_ends_on = models.DateField(_("contract end"), null=True, blank=True)
    # The rest of the contract's terms: {"extensions": [[months, "value"]], "kpis": [{code,
    # title, target, unit}], "standards": {code: how}, "code_rights": {code: how}}.
    contract_terms = models.JSONField(_("contract terms"), default=dict, blank=True)
    winning_bid = models.ForeignKey(
        "procurement.Bid", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    award_decision = models.ForeignKey(
        "decisions.DecisionRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("award decision"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ExerciseStatus.choices, default=ExerciseStatus.PLANNING
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)

    objects = ExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("procurement exercise")
        verbose_name_plural = _("procurement exercises")
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_value__gt=0), name="exercise_value_positive"
            ),
            models.CheckConstraint(
                condition=Q(quality_weight__lte=100)
                & Q(cost_weight__lte=100)
                & Q(quality_weight__gte=0),
                name="exercise_split_in_range",
            ),
        ]
        indexes = [models.Index(fields=["office", "-started_at", "-id"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_tender(self) -> bool:
        return self.route == Route.COMPETITIVE_TENDER and not self.single_tender

    @property
    def ocid_suffix(self) -> str:
        return self.reference


class ExerciseStatusChange(AbstractStatusChange):
    subject_field = "exercise"

    exercise = models.ForeignKey(
        ProcurementExercise, on_delete=models.PROTECT, related_name="status_changes"
    )
    old = models.CharField(_("from"), max_length=20, choices=ExerciseStatus.choices)
    new = models.CharField(_("to"), max_length=20, choices=ExerciseStatus.choices)

    class Meta:
        ordering = ["exercise", "at", "id"]

    def __str__(self) -> str:
        return f"{self.old} -> {self.new}"


EXERCISE_WORKFLOW = Workflow(
    model=ProcurementExercise,
    changes=ExerciseStatusChange,
    states=ExerciseStatus,
    allowed=TRANSITIONS,
    audit_name="procurement_exercise",
    refusal=_("A procurement exercise that is %(old)s cannot become %(new)s."),
)


class Bid(StoredFile, TimeStampedModel):
    """A written quote or a tender bid, with its document (the quote or the bid itself)."""

    exercise = models.ForeignKey(ProcurementExercise, on_delete=models.PROTECT, related_name="bids")
    supplier = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="procurement_bids"
    )
    price = models.DecimalField(_("price"), **MONEY)
    received_on = models.DateField(_("received"))
    local_supplier = models.BooleanField(_("local supplier"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["exercise", "price", "id"]
        verbose_name = _("quote or bid")
        verbose_name_plural = _("quotes and bids")
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="bid_price_positive"),
            models.UniqueConstraint(fields=["exercise", "supplier"], name="one_bid_per_supplier"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} {self.price}"
