from django.urls import path

from commissioning.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.staff_home_view, name="staff_home"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<str:prefix>/revoke/", views.api_token_revoke_view, name="api_token_revoke"),
    path("failed-jobs/", views.failed_jobs, name="failed_jobs"),
    path("failed-jobs/<int:job_id>/retry/", views.failed_job_retry_view, name="failed_job_retry"),
    path("invitations/<str:token>/", views.office_invitation_view, name="invitation"),
    path("<slug:office_slug>/people/", views.office_people, name="office_people"),
    path("<slug:office_slug>/people/invite/", views.office_invite, name="office_invite"),
    path(
        "<slug:office_slug>/people/invitations/<slug:invitation_ref>/withdraw/",
        views.office_invitation_withdraw_view,
        name="office_invitation_withdraw",
    ),
    path(
        "<slug:office_slug>/people/<int:pk>/change/",
        views.membership_change_view,
        name="membership_change",
    ),
    path(
        "<slug:office_slug>/people/<int:pk>/end/", views.membership_end_view, name="membership_end"
    ),
]
