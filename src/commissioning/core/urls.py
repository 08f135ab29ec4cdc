from django.urls import path

from commissioning.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("demo/outbox/", views.outbox, name="outbox"),
]
