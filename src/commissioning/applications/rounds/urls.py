"""Included under staff/<office_slug>/rounds/."""

from django.urls import path

from commissioning.applications.rounds import views

app_name = "rounds"
urlpatterns = [
    path("", views.round_list, name="list"),
    path("new/", views.round_new, name="new"),
    path("<slug:slug>/", views.round_detail, name="detail"),
    path("<slug:slug>/edit/", views.round_edit, name="edit"),
    path("<slug:slug>/publish/", views.round_publish, name="publish"),
    path("<slug:slug>/extend/", views.round_extend_view, name="extend"),
    path("<slug:slug>/close/", views.round_close_view, name="close"),
]
