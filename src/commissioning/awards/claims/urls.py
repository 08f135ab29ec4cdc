"""Claim pages, included by awards/urls.py (namespace awards:claims)."""

from django.urls import path

from commissioning.awards.claims import views

app_name = "claims"
ORG = "organisations/<slug:ref>/awards/<str:reference>/claims/"
CLAIM = ORG + "<int:number>/"
STAFF = "staff/<slug:office_slug>/"
STAFF_CLAIM = STAFF + "awards/<str:reference>/claims/<int:number>/"
urlpatterns = [
    # The organisation.
    path(ORG, views.claim_list, name="list"),
    path(f"{ORG}new/", views.claim_new, name="new"),
    path(CLAIM, views.claim_detail, name="detail"),
    path(f"{CLAIM}change/", views.claim_edit, name="change"),
    path(f"{CLAIM}submit/", views.claim_submit_view, name="submit"),
    path(f"{CLAIM}evidence/add/", views.evidence_add, name="evidence_add"),
    path(f"{CLAIM}evidence/<str:evidence_id>/", views.evidence_download, name="evidence"),
    path(
        f"{CLAIM}evidence/<str:evidence_id>/remove/",
        views.evidence_remove,
        name="evidence_remove",
    ),
    # Staff.
    path(f"{STAFF}claims/", views.staff_list, name="staff_list"),
    path(STAFF_CLAIM, views.staff_detail, name="staff_detail"),
    path(f"{STAFF_CLAIM}approve/", views.staff_approve, name="staff_approve"),
    path(f"{STAFF_CLAIM}return/", views.staff_return, name="staff_return"),
    path(
        f"{STAFF_CLAIM}evidence/<str:evidence_id>/",
        views.staff_evidence_download,
        name="staff_evidence",
    ),
]
