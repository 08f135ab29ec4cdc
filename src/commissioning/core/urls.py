from django.urls import path

from commissioning.core import views

app_name = "core"
urlpatterns = [
    path("demo/outbox/", views.outbox, name="outbox"),
]
