from django.urls import path

from commissioning.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.staff_home_view, name="staff_home"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<str:prefix>/revoke/", views.api_token_revoke_view, name="api_token_revoke"),
    path("failed-jobs/", views.failed_jobs, name="failed_jobs"),
    path("failed-jobs/<int:job_id>/retry/", views.failed_job_retry_view, name="failed_job_retry"),
]
