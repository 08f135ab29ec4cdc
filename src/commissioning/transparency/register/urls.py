from django.urls import path

from commissioning.transparency.register import views

urlpatterns = [
    path("<slug:office_slug>/awards/", views.register, name="register"),
    path("<slug:office_slug>/awards/download.csv", views.register_csv, name="register_csv"),
    path("<slug:office_slug>/awards/<str:reference>/", views.award_detail, name="award"),
]
