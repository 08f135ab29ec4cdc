from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from commissioning.core.money import financial_year_label, financial_year_of
from commissioning.offices.models import Office
from commissioning.offices.selectors import (
    budgets_by_year,
    current_plan_priorities,
    funds_with_budget,
    office_list,
)


def home(request):
    """The front page: every office, to find its funding."""
    return render(request, "offices/home.html", {"offices": office_list()})


def office_detail(request, office_slug: str):
    """An office's public page: its plan priorities, its funds with this year's budget, and
    every year's budgets side by side (forecasts marked)."""
    office = get_object_or_404(Office, slug=office_slug)
    year = financial_year_of(timezone.localdate())
    priorities = current_plan_priorities(office)
    plan = priorities[0].plan if priorities else office.plans.filter(is_current=True).first()
    return render(
        request,
        "offices/office_detail.html",
        {
            "office": office,
            "plan": plan,
            "priority_tree": _tree(priorities),
            "funds": funds_with_budget(office, year=year),
            "year_label": financial_year_label(year),
            "budget_years": budgets_by_year([office.pk]).get(office.pk),
            "areas": office.areas.current(),
        },
    )


def _tree(priorities):
    """Nest a flat, ordered list into [(node, children), ...]."""
    children: dict[int | None, list] = {}
    for node in priorities:
        children.setdefault(node.parent_id, []).append(node)

    def build(parent_id):
        return [(node, build(node.pk)) for node in children.get(parent_id, [])]

    return build(None)
