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

from commissioning.monitoring.evaluation import views as evaluation_views  # noqa: E402
from commissioning.monitoring.meetings import views as meeting_views  # noqa: E402
from commissioning.monitoring.performance import views as performance_views  # noqa: E402
from commissioning.monitoring.subject_access import views as subject_access_views  # noqa: E402

urlpatterns += [
    path(f"{STAFF}meetings/", meeting_views.meeting_list, name="staff_meetings"),
    path(
        f"{STAFF}awards/<str:award_ref>/meetings/<int:number>/",
        meeting_views.meeting_detail,
        name="staff_meeting",
    ),
    path(
        f"{ORGANISATION}<str:award_ref>/<int:number>/evaluation/",
        evaluation_views.organisation_evaluation,
        name="organisation_evaluation",
    ),
    path(
        f"{STAFF}awards/<str:award_ref>/returns/<int:number>/evaluation/",
        evaluation_views.staff_evaluation,
        name="staff_evaluation",
    ),
    path(f"{STAFF}performance/", performance_views.performance, name="staff_performance"),
    path(
        f"{STAFF}awards/<str:award_ref>/improvement-plans/",
        performance_views.improvement_plans,
        name="staff_improvement_plans",
    ),
    path(
        f"{STAFF}awards/<str:award_ref>/decommissioning/",
        performance_views.decommissioning_staff,
        name="staff_decommissioning",
    ),
    path(
        f"{ORGANISATION}<str:award_ref>/decommissioning/",
        performance_views.decommissioning_provider,
        name="organisation_decommissioning",
    ),
    path(
        "staff/<slug:office_slug>/subject-access/",
        subject_access_views.subject_access,
        name="staff_subject_access",
    ),
]
