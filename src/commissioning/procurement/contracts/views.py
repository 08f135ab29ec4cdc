"""The office's contracts and pooled budgets: lists and a contract's page (its commitments per
financial year, extension options, KPIs, the standards and rights it supports, its returns);
and the provider's own page for each of its returns."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from commissioning.core.errors import DomainError
from commissioning.organisations.permissions import organisation_for
from commissioning.procurement import selectors
from commissioning.procurement.contracts.models import ContractReturn, ContractReturnStatus
from commissioning.procurement.contracts.services import contract_return_submit
from commissioning.procurement.contracts.standards import VFS_STANDARDS, VICTIMS_CODE_RIGHTS
from commissioning.procurement.exercises.views import form_errors
from commissioning.procurement.forms import ContractReturnForm
from commissioning.procurement.permissions import office_for_procurement
from commissioning.procurement.pooled.selectors import pool_figures, pools_for_list


@login_required
def contract_list(request, office_slug):
    office = office_for_procurement(request.user, office_slug)
    return render(
        request,
        "procurement/contract_list.html",
        {"office": office, "contracts": list(selectors.contract_list(office))},
    )


@login_required
def contract_detail(request, office_slug, reference):
    office = office_for_procurement(request.user, office_slug)
    contract = selectors.contract_with_parts(office, reference)
    if contract is None:
        raise Http404
    return render(
        request,
        "procurement/contract_detail.html",
        {
            "office": office,
            "contract": contract,
            "standards": [(VFS_STANDARDS[c], how) for c, how in contract.standards.items()],
            "rights": [(VICTIMS_CODE_RIGHTS[c], how) for c, how in contract.code_rights.items()],
        },
    )


@login_required
def pool_list(request, office_slug):
    office = office_for_procurement(request.user, office_slug)
    pools = list(pools_for_list(office))
    figures = pool_figures(pools)
    return render(
        request,
        "procurement/pool_list.html",
        {"office": office, "pools": [(pool, figures[pool.pk]) for pool in pools]},
    )


@login_required
def provider_return(request, ref, contract_ref, number):
    """The provider's quarterly return on its contract: KPIs, and for a victims' service what
    it did under each standard and right the contract supports."""
    organisation = organisation_for(request.user, ref)
    ret = (
        ContractReturn.objects.filter(
            contract__provider=organisation, contract__reference=contract_ref, number=number
        )
        .select_related("contract__office", "contract__provider")
        .first()
    )
    if ret is None:
        raise Http404
    contract = ret.contract
    standards = [(c, VFS_STANDARDS[c]) for c in contract.standards]
    rights = [(c, VICTIMS_CODE_RIGHTS[c]) for c in contract.code_rights]
    form = ContractReturnForm(
        request.POST or None, contract=contract, standards=standards, rights=rights
    )
    if request.method == "POST":
        if ret.status != ContractReturnStatus.DUE:
            raise Http404
        if form.is_valid():
            try:
                contract_return_submit(
                    contract_return=ret,
                    actor=request.user,
                    kpi_values=form.values("kpi"),
                    standards_report=form.values("standards"),
                    rights_report=form.values("rights"),
                    narrative=form.cleaned_data["narrative"],
                )
            except DomainError as exc:
                form_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Your return has been sent to %(office)s.")
                    % {"office": contract.office.name},
                )
                return redirect(request.path)
    return render(
        request,
        "procurement/provider_return.html",
        {"organisation": organisation, "contract": contract, "ret": ret, "form": form},
        status=400 if form.errors else 200,
    )
