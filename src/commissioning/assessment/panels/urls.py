"""Panels, members, declarations and meetings; part of the assessment namespace (see
assessment/urls.py)."""

from django.urls import path

from commissioning.assessment.panels import views

P = "staff/<slug:office_slug>/panels/"
ONE = P + "<int:panel_id>/"
urlpatterns = [
    path(P, views.panel_list, name="panel_list"),
    path(P + "new/", views.panel_create_view, name="panel_create"),
    path(P + "conflicts/", views.conflict_register_view, name="conflicts"),
    path(ONE, views.panel_detail, name="panel"),
    path(ONE + "members/add/", views.member_add_view, name="member_add"),
    path(ONE + "members/<int:member_id>/remove/", views.member_remove_view, name="member_remove"),
    path(ONE + "applications/add/", views.application_add_view, name="application_add"),
    path(ONE + "applications/<str:reference>/declare/", views.declare_view, name="declare"),
    path(ONE + "meetings/new/", views.meeting_record_view, name="meeting_record"),
]
