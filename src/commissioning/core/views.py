from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from commissioning.core.mail import outbox_open_to
from commissioning.core.models import OutboxMessage


def outbox(request):
    """Every e-mail the demo sent, so a trial can follow links without a mail server. Only in
    the demo, and only for the machine running it or signed-in staff; a 404 for anyone else."""
    if not outbox_open_to(request):
        raise Http404
    page = Paginator(OutboxMessage.objects.all(), 20).get_page(request.GET.get("page"))
    return render(request, "core/outbox.html", {"page": page})


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)
