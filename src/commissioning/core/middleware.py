from django.conf import settings
from django.http import Http404, JsonResponse


class SecurityHeadersMiddleware:
    """The permissions policy on every response (the content security policy is django-csp's,
    settings.CONTENT_SECURITY_POLICY)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/v1/docs"):
            return response
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        if not settings.DEBUG:
            response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class NulInPathMiddleware:
    """An address with a NUL character in it names no record (and PostgreSQL cannot even look
    one up), so it is a 404 before any view runs: JSON for the API, the usual page otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": "Not found."}, status=404)
            raise Http404
        return self.get_response(request)
