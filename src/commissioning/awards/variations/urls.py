from django.urls import path

from commissioning.awards.variations import views

AWARD = "staff/<slug:office_slug>/awards/<str:reference>/"
urlpatterns = [
    path(f"{AWARD}variations/new/", views.variation_new, name="variation_new"),
    path(f"{AWARD}variations/<int:number>/", views.variation_detail, name="variation"),
    path(f"{AWARD}end-early/", views.award_terminate_view, name="terminate"),
]
