"""Pooled budgets' pages: their list and each one's page (the office's staff), and setting
one up (the office's commissioning staff). Another office gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from commissioning.core.errors import DomainError
from commissioning.procurement.exercises.views import form_errors
from commissioning.procurement.permissions import is_procurement_manager, office_for_procurement
from commissioning.procurement.pooled import services
from commissioning.procurement.pooled.forms import PoolForm
from commissioning.procurement.pooled.selectors import pool_figures, pools_for_list


@login_required
def pool_list(request, office_slug):
    office = office_for_procurement(request.user, office_slug)
    pools = list(pools_for_list(office))
    figures = pool_figures(pools)
    return render(
        request,
        "procurement/pool_list.html",
        {
            "office": office,
            "pools": [(pool, figures[pool.pk]) for pool in pools],
            "can_manage": is_procurement_manager(request.user, office),
        },
    )


@login_required
def pool_create(request, office_slug):
    office = office_for_procurement(request.user, office_slug)
    if not is_procurement_manager(request.user, office):
        raise Http404
    form = PoolForm(request.POST or None, office=office)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pool = services.pooled_budget_set_up(
                office=office,
                actor=request.user,
                title=data["title"],
                purpose=data["purpose"],
                lead_is_office=data["lead_is_office"],
                lead_commissioner="" if data["lead_is_office"] else data["lead_commissioner"],
                contributions=form.contributions(),
            )
        except DomainError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request, _("%(ref)s is set up with its contributions.") % {"ref": pool.reference}
            )
            return redirect("procurement:pool", office.slug, pool.reference)
    return render(
        request,
        "procurement/pool_create.html",
        {"office": office, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def pool_detail(request, office_slug, reference):
    office = office_for_procurement(request.user, office_slug)
    pool = (
        pools_for_list(office)
        .filter(reference=reference)
        .prefetch_related(Prefetch("exercises"), Prefetch("contracts"))
        .first()
    )
    if pool is None:
        raise Http404
    return render(
        request,
        "procurement/pool_detail.html",
        {
            "office": office,
            "pool": pool,
            "figures": pool_figures([pool])[pool.pk],
            "can_manage": is_procurement_manager(request.user, office),
        },
    )
