from django.urls import path

from commissioning.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("register/", views.organisation_register_view, name="register"),
    path("invitations/<str:token>/", views.invitation_view, name="invitation"),
    path("<slug:ref>/", views.organisation_detail, name="detail"),
    path("<slug:ref>/change/", views.organisation_edit, name="edit"),
    path("<slug:ref>/policies/add/", views.policy_add, name="policy_add"),
    path(
        "<slug:ref>/policies/<slug:policy_ref>/download/",
        views.policy_download,
        name="policy_download",
    ),
    path("<slug:ref>/documents/add/", views.document_add, name="document_add"),
    path(
        "<slug:ref>/documents/<slug:document_ref>/download/",
        views.document_download,
        name="document_download",
    ),
    path("<slug:ref>/members/invite/", views.member_invite, name="member_invite"),
    path(
        "<slug:ref>/members/<slug:member_ref>/remove/",
        views.member_remove_view,
        name="member_remove",
    ),
    path(
        "<slug:ref>/invitations/<slug:invitation_ref>/withdraw/",
        views.invitation_withdraw_view,
        name="invitation_withdraw",
    ),
]
