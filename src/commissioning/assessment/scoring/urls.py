"""Scoring, moderation and agreed recommendations; part of the assessment namespace (see
assessment/urls.py)."""

from django.urls import path

from commissioning.assessment.panels.urls import ONE
from commissioning.assessment.scoring import views

urlpatterns = [
    path(ONE + "applications/<str:reference>/score/", views.score_view, name="score"),
    path(ONE + "applications/<str:reference>/agree/", views.agree_view, name="agree"),
    path(ONE + "moderation/", views.moderation_view, name="moderation"),
]
