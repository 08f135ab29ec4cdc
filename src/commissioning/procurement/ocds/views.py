"""The office's procurement as OCDS, published for anyone: /<office>/open-data/ocds.json."""

from django.http import Http404, JsonResponse

from commissioning.offices.models import Office
from commissioning.procurement.ocds.build import release_package


def ocds_package(request, office_slug):
    office = Office.objects.select_related("policy").filter(slug=office_slug).first()
    if office is None:
        raise Http404
    response = JsonResponse(release_package(office), json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'inline; filename="{office.slug}-ocds.json"'
    return response
