"""The office's 360Giving open data for anyone (TR2): a page describing it, the JSON package
streamed a grant at a time, and the flat files in the standard's spreadsheet layout."""

import tempfile
from pathlib import Path

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render

from commissioning.offices.models import Office
from commissioning.transparency.opendata.export import CONTENT_TYPES, export, stream_package
from commissioning.transparency.opendata.grants import Publisher
from commissioning.transparency.register.selectors import public_awards, publishes_awards


def _office(office_slug: str) -> Office:
    return get_object_or_404(Office.objects.select_related("policy"), slug=office_slug)


def open_data(request, office_slug):
    office = _office(office_slug)
    return render(
        request,
        "transparency/opendata/index.html",
        {
            "office": office,
            "publisher": Publisher.for_office(office),
            "count": public_awards(office).count(),
            "publishes": publishes_awards(office),
        },
    )


def package(request, office_slug, output_format):
    office = _office(office_slug)
    filename = f"{office.slug}-360giving.{output_format}"
    if output_format == "json":
        response = StreamingHttpResponse(stream_package(office), content_type=CONTENT_TYPES["json"])
    elif output_format in CONTENT_TYPES:
        folder = tempfile.mkdtemp(prefix="360giving-")
        path = export(office, output_format=output_format, output=Path(folder) / filename)
        handle = path.open("rb")
        path.unlink()  # the open handle keeps the file until the response is sent
        Path(folder).rmdir()
        response = FileResponse(handle, content_type=CONTENT_TYPES[output_format])
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
