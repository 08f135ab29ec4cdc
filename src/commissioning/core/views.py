from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from commissioning.core.models import OutboxMessage


def outbox(request):
    """Every e-mail the demo sent, so a trial can follow links without a mail server."""
    if not settings.DEMO_MODE:
        raise Http404
    page = Paginator(OutboxMessage.objects.all(), 20).get_page(request.GET.get("page"))
    return render(request, "core/outbox.html", {"page": page})


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)
