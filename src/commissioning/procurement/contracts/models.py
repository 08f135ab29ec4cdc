"""Contracts (AS7, AG5-AG7): the provider, value, dates (within the pack's longest contract,
extensions included), extension options and KPIs. A contract commits the office's share of
its value to the budget ledger, one entry for each financial year it runs in. A victims'
service records the national commissioning standards and the Victims' Code rights it
supports. The quarterly returns the provider makes against the KPIs, and on those standards
and rights, are monitoring's: a schedule whose subject is the contract (ADR 0007)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning.core.models import TimeStampedModel
from commissioning.core.money import financial_year_label
from commissioning.procurement.exercises.models import AwardForm

MONEY = {"max_digits": 12, "decimal_places": 2}


class ContractStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")
    TERMINATED = "terminated", _("Terminated")


class ContractQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("office", "provider", "fund", "exercise", "pooled_budget")


class Contract(TimeStampedModel):
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="contracts")
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    exercise = models.OneToOneField(
        "procurement.ProcurementExercise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contract",
    )
    pooled_budget = models.ForeignKey(
        "procurement.PooledBudget",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="contracts"
    )
    fund = models.ForeignKey("offices.Fund", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("service"), max_length=300)
    award_form = models.CharField(
        _("award form"), max_length=20, choices=AwardForm.choices, default=AwardForm.CONTRACT
    )
    value = models.DecimalField(_("contract value"), **MONEY)
    # What the office pays of it: the whole value, unless partners pool the rest.
    office_share = models.DecimalField(_("the office's share"), **MONEY)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    victims_service = models.BooleanField(_("victims' service"), default=False)
    standards = models.JSONField(_("national commissioning standards supported"), default=dict)
    code_rights = models.JSONField(_("Victims' Code rights supported"), default=dict)
    returns_every_months = models.PositiveSmallIntegerField(_("returns every (months)"))
    status = models.CharField(
        _("status"), max_length=12, choices=ContractStatus.choices, default=ContractStatus.ACTIVE
    )
    signed_at = models.DateTimeField(_("signed"), default=timezone.now)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_at", "-id"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="contract_value_positive"),
            models.CheckConstraint(
                condition=Q(office_share__gte=0) & Q(office_share__lte=models.F("value")),
                name="contract_share_within_value",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="contract_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["office", "-signed_at", "-id"])]

    def __str__(self) -> str:
        return self.reference


class ExtensionOption(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="extensions")
    months = models.PositiveSmallIntegerField(_("months"))
    value = models.DecimalField(_("value of the extension"), **MONEY)
    taken_up = models.BooleanField(_("taken up"), default=False)

    class Meta:
        ordering = ["contract", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(months__gt=0), name="extension_months_positive"),
        ]

    def __str__(self) -> str:
        return f"+{self.months} months"


class Kpi(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="kpis")
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("measure"), max_length=300)
    target = models.DecimalField(_("target each quarter"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40, blank=True)

    class Meta:
        ordering = ["contract", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "code"], name="one_kpi_per_code"),
        ]

    def __str__(self) -> str:
        return self.title


class ContractCommitment(models.Model):
    """Which ledger entry committed which year of a contract: the link the ledger's `cause`
    points back from."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="commitments")
    financial_year = models.PositiveSmallIntegerField(_("financial year"))
    amount = models.DecimalField(_("amount"), **MONEY)
    entry = models.OneToOneField("awards.LedgerEntry", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["contract", "financial_year"]

    def __str__(self) -> str:
        return f"{self.contract_id} {financial_year_label(self.financial_year)} {self.amount}"
