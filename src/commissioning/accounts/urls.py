from django.urls import path

from commissioning.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.staff_home_view, name="staff_home"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<str:prefix>/revoke/", views.api_token_revoke_view, name="api_token_revoke"),
]
