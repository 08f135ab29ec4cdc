from django.urls import include, path

app_name = "transparency"
urlpatterns = [
    path("", include("commissioning.transparency.register.urls")),
    path("", include("commissioning.transparency.opendata.urls")),
]
