"""The evidence library's staff page: officers search what the office has learnt, and add
findings from outside research (CY5). Another office's staff get 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from commissioning.accounts.models import Role
from commissioning.accounts.permissions import office_for_staff, roles_in
from commissioning.core.errors import DomainError
from commissioning.cycle.evidence.forms import EvidenceItemForm
from commissioning.cycle.evidence.models import EvidenceRating
from commissioning.cycle.evidence.selectors import evidence_search
from commissioning.cycle.evidence.services import evidence_item_save

EDITORS = frozenset({Role.COMMISSIONING_OFFICER, Role.CHIEF_EXECUTIVE, Role.OFFICE_ADMIN})


@login_required
def evidence_library(request, office_slug):
    office = office_for_staff(request.user, office_slug)
    can_add = bool(roles_in(request.user, office) & EDITORS)
    form = EvidenceItemForm(request.POST or None) if can_add else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                evidence_item_save(office=office, actor=request.user, **form.cleaned_data)
                messages.success(request, _("The finding has been added to the library."))
                return redirect(request.path)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    q = request.GET.get("q", "")[:200]
    rating = request.GET.get("rating", "")
    try:
        page_number = max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        page_number = 1
    page = evidence_search(office, q=q, rating=rating, page_number=page_number)
    return render(
        request,
        "cycle/evidence/library.html",
        {
            "office": office,
            "page": page,
            "q": q,
            "rating": rating,
            "ratings": EvidenceRating.choices,
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )
