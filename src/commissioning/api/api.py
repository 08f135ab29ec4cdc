from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import ValidationError

from commissioning.api.auth import StaffSessionAuth, TokenAuth
from commissioning.core.errors import DomainError


def explorer_for_staff_only(view):
    """The interactive explorer is a page for signed-in office staff only (anyone else gets a
    404); the OpenAPI document itself stays public."""
    from functools import wraps

    from ninja.openapi.views import openapi_view

    from commissioning.accounts.permissions import is_staff_member

    if getattr(view, "func", None) is not openapi_view:
        return view

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


api = NinjaAPI(
    title="pcc-commissioning API",
    version="1",
    description=(
        "Read and act on an office's commissioning records. Authenticate with a bearer token "
        "created on the staff 'API tokens' page. Every record is scoped to the offices you hold "
        "a role in; anything else is a 404."
    ),
    auth=[TokenAuth(), StaffSessionAuth()],
    urls_namespace="api",
    # The interactive explorer is a developer tool for office staff, not a public page: the
    # public reference is the server-rendered page at /api/ (commissioning.api.views).
    docs_decorator=explorer_for_staff_only,
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=400)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    return api.create_response(
        request, {"detail": "The request is not valid.", "errors": exc.errors}, status=422
    )


from commissioning.accounts.api import router as accounts_router  # noqa: E402
from commissioning.applications.api import router as applications_router  # noqa: E402
from commissioning.offices.api import router as offices_router  # noqa: E402

api.add_router("/", accounts_router)
api.add_router("/offices", offices_router)
api.add_router("/organisations", "commissioning.organisations.api.router")
api.add_router("/", applications_router)
api.add_router("/offices", "commissioning.applications.screening.api.router")
api.add_router("/offices", "commissioning.organisations.due_diligence.api.router")
api.add_router("/", "commissioning.applications.endorsements.api.router")
api.add_router("/", "commissioning.applications.clarifications.api.router")
api.add_router("/", "commissioning.applications.attachments.api.router")
api.add_router("/", "commissioning.assessment.api.router")
api.add_router("/", "commissioning.decisions.api.router")
