from django.urls import path

from commissioning.cycle.engagement import views as engagement
from commissioning.cycle.needs import views as needs
from commissioning.cycle.projects import views as projects

app_name = "cycle"
STAFF = "staff/<slug:office_slug>/commissioning/"
urlpatterns = [
    path(STAFF, projects.project_list, name="project_list"),
    path(f"{STAFF}projects/new/", projects.project_new, name="project_new"),
    path(f"{STAFF}projects/<str:reference>/", projects.project_detail, name="project_detail"),
    path(f"{STAFF}projects/<str:reference>/edit/", projects.project_edit, name="project_edit"),
    path(f"{STAFF}needs/", needs.needs_list, name="needs_list"),
    path(f"{STAFF}needs/new/", needs.need_edit, name="need_new"),
    path(f"{STAFF}needs/<int:pk>/", needs.need_edit, name="need_edit"),
    path(f"{STAFF}service-map/", needs.provision_list, name="provision_list"),
    path(f"{STAFF}service-map/new/", needs.provision_edit, name="provision_new"),
    path(f"{STAFF}service-map/<int:pk>/", needs.provision_edit, name="provision_edit"),
    path(f"{STAFF}gaps/", needs.gaps, name="gaps"),
    path(f"{STAFF}engagement/", engagement.event_list, name="event_list"),
    path(f"{STAFF}engagement/new/", engagement.event_edit, name="event_new"),
    path(f"{STAFF}engagement/<int:pk>/", engagement.event_edit, name="event_edit"),
    path(f"{STAFF}feedback/", engagement.survey_list, name="survey_list"),
    path(f"{STAFF}feedback/new/", engagement.survey_new, name="survey_new"),
    path(f"{STAFF}feedback/<int:pk>/", engagement.survey_summary_view, name="survey_summary"),
    path("feedback/<str:token>/", engagement.survey_respond, name="survey_respond"),
]
