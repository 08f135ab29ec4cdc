from django.urls import path

from commissioning.awards.agreements import views

STAFF_AWARD = "staff/<slug:office_slug>/awards/<str:reference>/agreement/"
ORG = "organisations/<slug:ref>/awards/"
urlpatterns = [
    path(f"{STAFF_AWARD}new/", views.staff_issue, name="staff_agreement_issue"),
    path(f"{STAFF_AWARD}v<int:version>/", views.staff_agreement, name="staff_agreement"),
    path(f"{STAFF_AWARD}v<int:version>/send/", views.staff_send, name="staff_agreement_send"),
    path(
        f"{STAFF_AWARD}v<int:version>/countersign/",
        views.staff_countersign,
        name="staff_agreement_countersign",
    ),
    path(f"{STAFF_AWARD}v<int:version>.pdf", views.staff_pdf, name="staff_agreement_pdf"),
    path(ORG, views.org_list, name="org_list"),
    path(f"{ORG}<str:reference>/", views.org_award, name="org_award"),
    path(
        f"{ORG}<str:reference>/agreement/v<int:version>/sign/",
        views.org_sign,
        name="org_agreement_sign",
    ),
    path(
        f"{ORG}<str:reference>/agreement/v<int:version>.pdf",
        views.org_pdf,
        name="org_agreement_pdf",
    ),
]
