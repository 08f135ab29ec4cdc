import json
from decimal import Decimal

from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError
from ninja.parser import Parser

from commissioning.api.auth import StaffSessionAuth, TokenAuth
from commissioning.core.errors import DomainError, RateLimited


class Error(Schema):
    detail: str
    field: str | None = None


class InvalidRequest(Schema):
    detail: str
    errors: list[dict]


class DecimalParser(Parser):
    """JSON numbers with a fraction or an exponent are read as Decimal, never float, so an
    amount keeps its pence exactly and the money type can refuse exponent notation."""

    def parse_body(self, request):
        return json.loads(request.body, parse_float=Decimal)


ERRORS = {
    400: ("The request is not valid (a body that is not JSON, or a rule refused it).", Error),
    401: ("Not signed in: give a bearer token or a signed-in staff session.", Error),
    403: ("You may not do this.", Error),
    404: ("Not found, or not in an office or organisation of yours.", Error),
    422: ("A parameter or a field of the body is not valid.", InvalidRequest),
}


class CommissioningAPI(NinjaAPI):
    """The OpenAPI document lists every error answer an operation can give, so clients (and the
    schema checks in the tests) know them: 401 where a sign-in is needed (403 too for a change
    made from a browser session without its CSRF token), 404 where the path names a record,
    422 where there is any input, 400 where there is a body."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (Error, InvalidRequest):
            components.setdefault(
                model.__name__, model.model_json_schema(ref_template="#/components/schemas/{model}")
            )
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                codes = set()
                if operation.get("security"):
                    codes.add(401)
                    if method != "get":
                        codes.add(403)  # a signed-in session without its CSRF token
                if "{" in path:
                    codes.add(404)
                if operation.get("parameters") or operation.get("requestBody"):
                    codes.add(422)
                if operation.get("requestBody"):
                    codes.add(400)
                responses = operation.setdefault("responses", {})
                for code in sorted(codes | set(operation.pop("x-errors", []))):
                    description, model = ERRORS[code]
                    responses.setdefault(
                        code,
                        {
                            "description": description,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": f"#/components/schemas/{model.__name__}"}
                                }
                            },
                        },
                    )
        return schema


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


api = CommissioningAPI(
    title="pcc-commissioning API",
    version="1",
    description=(
        "Read and act on an office's commissioning records. Authenticate with a bearer token "
        "created on the staff 'API tokens' page. Every record is scoped to the offices you hold "
        "a role in; anything else is a 404."
    ),
    auth=[TokenAuth(), StaffSessionAuth()],
    urls_namespace="api",
    parser=DecimalParser(),
    # The interactive explorer is a developer tool for office staff, not a public page: the
    # public reference is the server-rendered page at /api/ (commissioning.api.views).
    docs_decorator=explorer_for_staff_only,
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=400)


@api.exception_handler(RateLimited)
def rate_limited(request, exc: RateLimited):
    response = api.create_response(request, {"detail": exc.message, "field": exc.field}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


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
api.add_router("/", "commissioning.cycle.api.router")
api.add_router("/", "commissioning.applications.endorsements.api.router")
api.add_router("/", "commissioning.applications.clarifications.api.router")
api.add_router("/", "commissioning.applications.attachments.api.router")
api.add_router("/", "commissioning.assessment.api.router")
api.add_router("/", "commissioning.decisions.api.router")
api.add_router("/", "commissioning.awards.api.router")
api.add_router("/", "commissioning.awards.agreements.api.router")
api.add_router("/", "commissioning.awards.claims.api.router")
api.add_router("/", "commissioning.monitoring.api.router")
api.add_router("/", "commissioning.monitoring.meetings.api.router")
api.add_router("/", "commissioning.awards.payments.api.router")
api.add_router("/", "commissioning.procurement.api.router")
