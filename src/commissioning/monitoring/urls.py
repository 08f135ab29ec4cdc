from django.urls import path

from commissioning.monitoring import views

app_name = "monitoring"
STAFF = "staff/<slug:office_slug>/monitoring/"
ORGANISATION = "organisations/<slug:ref>/monitoring/"
urlpatterns = [
    path(ORGANISATION, views.organisation_list, name="organisation_list"),
    path(
        f"{ORGANISATION}<str:award_ref>/<int:number>/",
        views.organisation_return,
        name="organisation_return",
    ),
    path(STAFF, views.staff_returns, name="staff_returns"),
    path(f"{STAFF}awards/<str:award_ref>/", views.staff_schedule, name="staff_schedule"),
    path(
        f"{STAFF}awards/<str:award_ref>/returns/add/",
        views.staff_return_add,
        name="staff_return_add",
    ),
    path(
        f"{STAFF}awards/<str:award_ref>/returns/<int:number>/",
        views.staff_return,
        name="staff_return",
    ),
]
