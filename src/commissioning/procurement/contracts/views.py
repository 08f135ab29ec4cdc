"""The office's contracts and pooled budgets: lists and a contract's page (its commitments per
financial year, extension options, KPIs, the standards and rights it supports, and its
returns, which are monitoring's). The provider fills its returns in on monitoring's pages;
the address it once had here leads there."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from commissioning.monitoring.permissions import return_for_organisation
from commissioning.monitoring.selectors import subject_returns
from commissioning.organisations.permissions import organisation_for
from commissioning.procurement import selectors
from commissioning.procurement.contracts.services import CONTRACT
from commissioning.procurement.contracts.standards import VFS_STANDARDS, VICTIMS_CODE_RIGHTS
from commissioning.procurement.permissions import office_for_procurement


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
            "returns": subject_returns(CONTRACT, contract.reference),
            "today": timezone.localdate(),
        },
    )


@login_required
def provider_return(request, ref, contract_ref, number):
    """The provider's return on its contract is monitoring's page now; 404 as there for a
    return that is not the organisation's."""
    organisation = organisation_for(request.user, ref)
    found = return_for_organisation(request.user, organisation, contract_ref, number)
    return redirect(
        "monitoring:organisation_return",
        ref=organisation.ref,
        award_ref=found.schedule.subject_reference,
        number=found.number,
    )
