from django.shortcuts import render

from commissioning.accounts.permissions import is_staff_member
from commissioning.api.api import api
from commissioning.api.reference import operations, schemas


def api_reference(request):
    """The API reference, rendered on the server from the OpenAPI document."""
    document = api.get_openapi_schema()
    return render(
        request,
        "api/reference.html",
        {
            "info": document.get("info", {}),
            "sections": operations(document),
            "schemas": schemas(document),
            "show_explorer": is_staff_member(request.user),
        },
    )
