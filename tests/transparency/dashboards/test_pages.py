"""Dashboard pages (TR4): the public one shows published awards only; the staff one is for
the office's staff (another office's staff and applicants get 404). Bad filters are a form
error, never a server error. Every chart is accessible SVG with its table and a CSV."""

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest

from commissioning.accounts.models import Role
from commissioning.transparency.dashboards.charts import Chart, Row
from tests.accounts.factories import sign_in, staff_user
from tests.applications.factories import member_of
from tests.transparency.dashboards.factories import funded_office

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def funded(office, officer, round_, signatories):
    return funded_office(office, officer, round_, signatories)


def test_the_public_dashboard_shows_published_awards_only(client, office, funded):
    page = client.get(f"/{office.slug}/dashboard/?year=2026")
    assert page.status_code == 200
    html = page.content.decode()
    assert "£2,500" in html and "£4,000" not in html
    assert "fewer than 5" in html
    assert funded.unpublished.reference not in html


def test_staff_see_every_award(client, office, officer, funded):
    sign_in(client, officer)
    page = client.get(f"/staff/{office.slug}/dashboard/?year=2026")
    assert page.status_code == 200
    assert "£4,000" in page.content.decode()


@pytest.mark.parametrize(
    "query", ["?year=abc", "?year=1999", "?fund=nope", "?fund=%00&year=2026", "?year=2026.5"]
)
def test_bad_filters_are_a_form_error_not_a_server_error(client, office, officer, query):
    page = client.get(f"/{office.slug}/dashboard/{query}")
    assert page.status_code == 400
    assert "There is a problem" in page.content.decode()
    sign_in(client, officer)
    assert client.get(f"/staff/{office.slug}/dashboard/{query}").status_code == 400
    assert client.get(f"/{office.slug}/dashboard/spend.csv{query}").status_code == 400


def test_another_offices_staff_and_applicants_get_404(client, office, other_office, funded):
    sign_in(client, staff_user(other_office, Role.COMMISSIONING_OFFICER))
    assert client.get(f"/staff/{office.slug}/dashboard/").status_code == 404
    assert client.get(f"/staff/{office.slug}/dashboard/spend.csv").status_code == 404
    client.force_login(member_of(funded.published.organisation))
    assert client.get(f"/staff/{office.slug}/dashboard/").status_code == 404
    sign_in(client, staff_user(office, Role.PANEL_MEMBER))
    assert client.get(f"/staff/{office.slug}/dashboard/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, office):
    response = client.get(f"/staff/{office.slug}/dashboard/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_unknown_office_or_chart_is_404(client, office):
    assert client.get("/nowhere/dashboard/").status_code == 404
    assert client.get(f"/{office.slug}/dashboard/nothing.csv").status_code == 404


def test_each_chart_is_accessible_svg_with_its_table(client, office, funded):
    html = client.get(f"/{office.slug}/dashboard/").content.decode()
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert len(svgs) >= 8
    for markup in svgs:
        root = ET.fromstring(markup)  # noqa: S314 - our own markup, well-formed as PDFs need
        assert root.get("role") == "img"
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None and title.text and desc is not None and desc.text
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert '<caption class="govuk-table__caption govuk-table__caption--s">Figures: ' in html
    assert "<script" not in "".join(svgs)


def test_chart_csv_holds_the_charts_figures(client, office, funded):
    response = client.get(f"/{office.slug}/dashboard/areas.csv?year=2026")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Area", "Committed"]
    assert ["North Testshire", "1250.00"] in rows and ["Testtown", "1250.00"] in rows
    ages = list(
        csv.reader(
            io.StringIO(client.get(f"/{office.slug}/dashboard/reach-age-band.csv").content.decode())
        )
    )
    assert ["25 to 34", "fewer than 5"] in ages


def test_chart_text_is_escaped_and_csv_cannot_hold_a_formula():
    chart = Chart(
        slug="t",
        title="<b>Money</b>",
        description="A & B",
        label_heading="Name",
        series=["Amount"],
        rows=[Row("=HYPERLINK(1)", [5]), Row("<script>", ["fewer than 5"])],
        unit="count",
    )
    svg = str(chart.svg())
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "<script>" not in svg
    ET.fromstring(svg)  # noqa: S314 - our own markup
    assert chart.csv_rows()[1][0] == "'=HYPERLINK(1)"
    vertical = Chart(**{**chart.__dict__, "kind": "bar", "slug": "v"})
    ET.fromstring(str(vertical.svg()))  # noqa: S314 - our own markup


def test_the_public_dashboard_costs_a_constant_number_of_queries(
    client, office, funded, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        assert client.get(f"/{office.slug}/dashboard/").status_code == 200


def test_the_page_prints(client, office, funded):
    html = client.get(f"/{office.slug}/dashboard/").content.decode()
    assert "transparency/dashboard.css" in html and "app-no-print" in html
