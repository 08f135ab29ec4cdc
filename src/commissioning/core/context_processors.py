from django.conf import settings
from django.utils.functional import SimpleLazyObject

from commissioning.core.mail import outbox_open_to


def site(request):
    return {
        "demo_mode": settings.DEMO_MODE,
        "demo_outbox": SimpleLazyObject(lambda: outbox_open_to(request))
        if settings.DEMO_MODE
        else False,
    }
