from django.urls import path, register_converter

from commissioning.transparency.opendata import views


class FormatConverter:
    regex = "json|csv|xlsx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FormatConverter, "open_data_format")

urlpatterns = [
    path("<slug:office_slug>/open-data/", views.open_data, name="open_data"),
    path(
        "<slug:office_slug>/open-data/360giving.<open_data_format:output_format>",
        views.package,
        name="360giving",
    ),
]
