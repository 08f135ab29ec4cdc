"""The public register of awards (TR1): a filtered, paginated list, its CSV, and a page for
each award by its public reference. Anyone may read them; nothing personal is shown."""

import csv

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy

from commissioning.core.spreadsheets import spreadsheet_text
from commissioning.offices.models import Office
from commissioning.transparency.register.forms import RegisterFilterForm
from commissioning.transparency.register.selectors import (
    filter_awards,
    filter_choices,
    iter_public_awards,
    public_award,
    public_awards,
    publishes_awards,
    register_page,
)


def _office(office_slug: str) -> Office:
    return get_object_or_404(Office.objects.select_related("policy"), slug=office_slug)


def _form(request, office):
    form = RegisterFilterForm(request.GET or None, choices=filter_choices(office))
    if not request.GET:
        return form, {}
    return form, (form.cleaned_data if form.is_valid() else None)


def register(request, office_slug):
    office = _office(office_slug)
    form, filters = _form(request, office)
    page = None
    if filters is not None:
        page = register_page(office, filters, filters.get("page") or 1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "transparency/register/list.html",
        {
            "office": office,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "publishes": publishes_awards(office),
        },
        status=200 if filters is not None else 400,
    )


class _Echo:
    def write(self, value):
        return value


CSV_HEADER = (
    gettext_lazy("Reference"),
    gettext_lazy("Organisation"),
    gettext_lazy("Project"),
    gettext_lazy("Description"),
    gettext_lazy("Amount (GBP)"),
    gettext_lazy("Fund"),
    gettext_lazy("Award date"),
    gettext_lazy("Start date"),
    gettext_lazy("End date"),
    gettext_lazy("Areas"),
    gettext_lazy("Area ONS codes"),
    gettext_lazy("Plan priorities"),
    gettext_lazy("Decision"),
)


def csv_rows(awards):
    writer = csv.writer(_Echo())
    yield writer.writerow([str(h) for h in CSV_HEADER])
    for award in awards:
        yield writer.writerow(
            [
                award.reference,
                spreadsheet_text(award.organisation_name),
                spreadsheet_text(award.title),
                spreadsheet_text(award.short_description),
                f"{award.amount:.2f}",
                spreadsheet_text(award.fund_name),
                award.award_date.isoformat(),
                award.starts_on.isoformat(),
                award.ends_on.isoformat(),
                spreadsheet_text(award.area_names),
                " ".join(a.ons_code for a in award.areas),
                spreadsheet_text(award.priority_titles),
                award.decision_number,
            ]
        )


def register_csv(request, office_slug):
    """The filtered register as CSV, streamed a chunk of awards at a time."""
    office = _office(office_slug)
    form, filters = _form(request, office)
    if filters is None:
        return render(
            request,
            "transparency/register/list.html",
            {"office": office, "form": form, "page": None, "query": "", "publishes": True},
            status=400,
        )
    awards = iter_public_awards(filter_awards(office, public_awards(office), filters))
    response = StreamingHttpResponse(csv_rows(awards), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{office.slug}-awards.csv"'
    return response


def award_detail(request, office_slug, reference):
    office = _office(office_slug)
    award = public_award(office, reference)
    if award is None:
        raise Http404
    return render(request, "transparency/register/detail.html", {"office": office, "award": award})
