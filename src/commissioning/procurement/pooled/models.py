"""Co-commissioning (AS7, LAN Joint or Co-Commissioning, CAM 5.2 UNDERSTAND): a pooled budget
that partners pay into for a service, with a lead commissioner who contracts for it.

The office's own share is committed from its fund's budget through the awards ledger, one
entry per financial year, each entry caused by the contribution row; partners' shares are
recorded here and reported, never entered in the office's ledger."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commissioning.core.models import TimeStampedModel
from commissioning.core.money import financial_year_label

MONEY = {"max_digits": 12, "decimal_places": 2}


class PooledBudget(TimeStampedModel):
    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="pooled_budgets"
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    title = models.CharField(_("service"), max_length=300)
    purpose = models.TextField(_("what the pool pays for"), blank=True)
    # Who contracts for the service: the office itself, or a partner named here.
    lead_is_office = models.BooleanField(_("the office leads"), default=True)
    lead_commissioner = models.CharField(_("lead commissioner"), max_length=200)

    class Meta:
        ordering = ["office", "reference"]
        verbose_name = _("pooled budget")
        verbose_name_plural = _("pooled budgets")

    def __str__(self) -> str:
        return self.reference


class Contribution(TimeStampedModel):
    """One partner's (or the office's) contribution to the pool for one financial year. The
    office's rows name the fund they come from; partners' rows name the partner."""

    pooled_budget = models.ForeignKey(
        PooledBudget, on_delete=models.PROTECT, related_name="contributions"
    )
    from_office = models.BooleanField(_("the office's own share"), default=False)
    partner = models.CharField(_("partner"), max_length=200, blank=True)
    fund = models.ForeignKey(
        "offices.Fund", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    financial_year = models.PositiveSmallIntegerField(_("financial year"))
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        ordering = ["pooled_budget", "financial_year", "-from_office", "partner", "id"]
        verbose_name = _("contribution to a pooled budget")
        verbose_name_plural = _("contributions to pooled budgets")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="contribution_positive"),
            models.CheckConstraint(
                condition=(Q(from_office=True) & Q(fund__isnull=False))
                | (Q(from_office=False) & ~Q(partner="")),
                name="contribution_names_its_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner or self.fund_id} {self.year_label} {self.amount}"

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def source_label(self) -> str:
        return self.fund.name if self.from_office and self.fund_id else self.partner
