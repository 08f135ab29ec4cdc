import re
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from commissioning.core.models import TimeStampedModel
from commissioning.core.money import financial_year_label

MONEY = {"max_digits": 12, "decimal_places": 2}


class ArchivableQuerySet(models.QuerySet):
    def current(self):
        return self.filter(archived_at__isnull=True)


class Office(TimeStampedModel):
    """An office of a Police (Fire) and Crime Commissioner (ST1)."""

    class Kind(models.TextChoices):
        PCC = "PCC", _("Police and Crime Commissioner")
        PFCC = "PFCC", _("Police, Fire and Crime Commissioner")

    slug = models.SlugField(_("public slug"), max_length=50, unique=True)
    code = models.CharField(
        _("reference code"),
        max_length=6,
        unique=True,
        help_text=_("Short code used in public references, such as ESX in ESX-CSDF-2026-0001."),
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    force_area = models.CharField(_("police force area"), max_length=120)
    force_area_ons_code = models.CharField(_("police force area ONS code"), max_length=9)
    org_id = models.CharField(_("organisation identifier"), max_length=80, blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    address = models.TextField(_("postal address"), blank=True)
    website = models.URLField(_("website"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name

    @property
    def office(self) -> "Office":
        return self


class Plan(TimeStampedModel):
    """A Police and Crime Plan for a period (ST2). A new plan is a new row; awards keep theirs."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="plans")
    code = models.SlugField(_("code"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    vision = models.CharField(_("vision"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_current = models.BooleanField(_("current plan"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["office", "-starts_on"]
        verbose_name = _("police and crime plan")
        verbose_name_plural = _("police and crime plans")
        constraints = [
            models.UniqueConstraint(fields=["office", "code"], name="unique_plan_code"),
            models.UniqueConstraint(
                fields=["office"], condition=Q(is_current=True), name="one_current_plan"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="plan_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        """The title with a year range written as GOV.UK does: '2021 to 2024', not '2021-2024'."""
        return re.sub(r"\b(\d{4})\s*[-–]\s*(\d{4})\b", r"\1 to \2", self.title)

    @property
    def has_ended(self) -> bool:
        return self.ends_on < timezone.localdate()


class Priority(TimeStampedModel):
    """A node in a plan's tree: aim, objective, priority or particular."""

    class Kind(models.TextChoices):
        AIM = "aim", _("Aim")
        OUTCOME = "outcome", _("Key strategic outcome")
        OBJECTIVE = "objective", _("Objective")
        PRIORITY = "priority", _("Priority")
        THEME = "theme", _("Theme")
        PARTICULAR = "particular", _("Particular")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(_("code"), max_length=30)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    depth = models.PositiveSmallIntegerField(default=0)
    selectable = models.BooleanField(
        _("applicants may choose it"),
        default=True,
        help_text=_("Whether an application can name this item as a priority it addresses."),
    )
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("plan priority")
        verbose_name_plural = _("plan priorities")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="unique_priority_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def office(self) -> Office:
        return self.plan.office


class Area(TimeStampedModel):
    """A local authority, unitary authority or community safety partnership area (ST3)."""

    class Kind(models.TextChoices):
        COUNTY = "county", _("County council")
        DISTRICT = "district", _("District council")
        UNITARY = "unitary", _("Unitary authority")
        CSP = "csp", _("Community safety partnership")

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="areas")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    ons_code = models.CharField(_("ONS code"), max_length=9)
    population = models.PositiveIntegerField(_("population"))
    population_year = models.PositiveSmallIntegerField(_("population estimate year"))
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["office", "name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.UniqueConstraint(fields=["office", "ons_code"], name="unique_area_ons_code"),
        ]

    def __str__(self) -> str:
        return self.name


class FundingSource(TimeStampedModel):
    """Where money comes from, with its legal basis and restrictions (ST4)."""

    class Kind(models.TextChoices):
        MOJ_VICTIMS = "moj_victims", _("Ministry of Justice victims' services grant")
        HOME_OFFICE = "home_office", _("Home Office bid-for funding")
        CRIME_DISORDER_GRANT = "crime_disorder_grant", _("Crime and disorder reduction grant")
        POLICE_GRANT = "police_grant", _("Police grant")
        PRECEPT = "precept", _("Precept")
        POCA = "poca", _("Proceeds of Crime Act")
        POLICE_PROPERTY_ACT = "police_property_act", _("Police Property Act proceeds")
        PARTNER = "partner", _("Partner contributions")
        OTHER = "other", _("Other")

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="funding_sources")
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    restrictions = models.TextField(_("restrictions"), blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["office", "name"]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        constraints = [
            models.UniqueConstraint(fields=["office", "code"], name="unique_funding_source_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Fund(TimeStampedModel):
    """A fund and its rules (ST5). Lists of codes are checked against the pack schema on load."""

    class Kind(models.TextChoices):
        OPEN_GRANT = "open_grant", _("Open grant fund")
        COMMISSIONED = "commissioned_services", _("Commissioned services")
        PARTNERSHIP = "partnership", _("Partnership fund")
        POOLED = "pooled", _("Pooled co-commissioning")

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="funds")
    code = models.SlugField(
        _("code"), max_length=10, help_text=_("Used in references, such as CSDF.")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    summary = models.TextField(_("summary"))
    funding_sources = models.ManyToManyField(
        FundingSource, related_name="funds", verbose_name=_("funding sources")
    )
    permitted_purposes = models.JSONField(
        _("permitted purposes"),
        default=list,
        blank=True,
        help_text=_("List of {code, title}. Empty means any purpose within the plan."),
    )
    purpose_required = models.BooleanField(
        _("every award must address a permitted purpose"), default=False
    )
    min_award = models.DecimalField(_("minimum award"), **MONEY, null=True, blank=True)
    max_award = models.DecimalField(_("maximum award"), **MONEY, null=True, blank=True)
    eligible_applicant_types = models.JSONField(_("eligible applicant types"), default=list)
    required_endorsements = models.JSONField(_("required endorsements"), default=list, blank=True)
    ineligible_costs = models.JSONField(_("ineligible cost categories"), default=list, blank=True)
    ineligible_cost_signals = models.JSONField(
        _("words that signal an ineligible cost"),
        default=dict,
        blank=True,
        help_text=_(
            "For each ineligible category, the words and phrases that, found in a budget line's "
            "description, refer the application to an officer."
        ),
    )
    is_rolling = models.BooleanField(_("rolling (no deadline)"), default=False)
    panels_per_year = models.PositiveSmallIntegerField(
        _("panel meetings a year"), null=True, blank=True
    )
    default_award_months = models.PositiveSmallIntegerField(_("default award length (months)"))
    pilot_max_months = models.PositiveSmallIntegerField(
        _("longest pilot (months)"), null=True, blank=True
    )
    pilot_evaluation_required = models.BooleanField(_("pilots end in an evaluation"), default=False)
    multi_year = models.BooleanField(_("multi-year awards allowed"), default=False)
    max_years = models.PositiveSmallIntegerField(_("longest award (years)"), default=1)
    renewal_committed = models.BooleanField(
        _("renewal is committed"),
        default=False,
        help_text=_("False means the office does not commit to renew after the funding period."),
    )
    match_funding_required = models.BooleanField(_("match funding required"), default=False)
    match_funding_scores_better = models.BooleanField(
        _("match funding improves the score"), default=False
    )
    open_to_applications = models.BooleanField(_("open to applications"), default=True)
    payment_schedule = models.JSONField(
        _("payment schedule"),
        default=dict,
        blank=True,
        help_text=_(
            "How awards are paid: {kind: upfront | phased | in_arrears | on_claim, instalments, "
            "returns}. Empty means upfront."
        ),
    )
    guidance = models.TextField(_("guidance for applicants"), blank=True)
    assumed = models.JSONField(
        _("assumed settings"),
        default=list,
        blank=True,
        help_text=_("Settings the pack marks as assumed: the office should confirm them."),
    )
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = ArchivableQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["office", "name"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        constraints = [
            models.UniqueConstraint(fields=["office", "code"], name="unique_fund_code"),
            models.CheckConstraint(
                condition=Q(min_award__isnull=True)
                | Q(max_award__isnull=True)
                | Q(min_award__lte=models.F("max_award")),
                name="fund_min_award_not_above_max",
            ),
            models.CheckConstraint(condition=Q(max_years__gte=1), name="fund_max_years_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Budget(TimeStampedModel):
    """A fund's allocation for one financial year (ST6), less any top-slices."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="budgets")
    financial_year = models.PositiveSmallIntegerField(
        _("financial year"), help_text=_("The year it starts: 2025 means 2025/26.")
    )
    allocation = models.DecimalField(_("allocation"), **MONEY)
    is_forecast = models.BooleanField(_("forecast"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["fund", "financial_year"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.UniqueConstraint(fields=["fund", "financial_year"], name="unique_budget_year"),
            models.CheckConstraint(
                condition=Q(allocation__gte=0), name="budget_allocation_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund} {self.year_label}"

    @property
    def office(self) -> Office:
        return self.fund.office

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def top_sliced(self) -> Decimal:
        return sum((t.amount for t in self.top_slices.all()), Decimal("0.00"))

    @property
    def available(self) -> Decimal:
        """What is left to award after top-slices; commitments are added by the awards ledger."""
        return self.allocation - self.top_sliced


class BudgetTopSlice(models.Model):
    """Part of a budget set aside before anything is awarded (CAM: a third of the CDRF)."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="top_slices")
    purpose = models.CharField(_("purpose"), max_length=300)
    amount = models.DecimalField(_("amount"), **MONEY)
    share = models.CharField(_("share"), max_length=20, blank=True, help_text=_("Such as 1/3."))

    class Meta:
        ordering = ["budget", "id"]
        verbose_name = _("top-slice")
        verbose_name_plural = _("top-slices")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="top_slice_not_negative"),
        ]

    def __str__(self) -> str:
        return self.purpose

    @property
    def office(self) -> Office:
        return self.budget.fund.office


class OfficePolicy(TimeStampedModel):
    """The office's rules from its policy pack (ST7), read by the rules modules of each app."""

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="policy")
    procurement = models.JSONField(_("procurement thresholds"), default=dict)
    sign_off = models.JSONField(_("decision sign-off tiers"), default=dict)
    monitoring = models.JSONField(_("monitoring rules"), default=dict)
    publication = models.JSONField(_("publication rules"), default=dict)
    retention = models.JSONField(_("record retention"), default=dict)
    stage_model = models.JSONField(_("commissioning stage model"), default=list)
    application = models.JSONField(_("application rules"), default=dict)
    assessment = models.JSONField(_("assessment rules"), default=dict)
    agreements = models.JSONField(_("grant agreement templates"), default=dict, blank=True)
    feedback_to_unsuccessful = models.BooleanField(
        _("feedback to unsuccessful applicants"), default=True
    )
    assumptions = models.JSONField(
        _("assumed values"),
        default=list,
        blank=True,
        help_text=_("Key paths in the pack marked as assumed, for the office to confirm."),
    )
    pack_sha256 = models.CharField(_("pack checksum"), max_length=64, blank=True)
    pack_loaded_at = models.DateTimeField(_("pack loaded"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "pack_loaded_at"])

    class Meta:
        verbose_name = _("office policy")
        verbose_name_plural = _("office policies")

    def __str__(self) -> str:
        return f"Policy of {self.office}"
