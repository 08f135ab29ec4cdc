from django.urls import path

from commissioning.offices import views

app_name = "offices"
urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:office_slug>/", views.office_detail, name="office_detail"),
]
