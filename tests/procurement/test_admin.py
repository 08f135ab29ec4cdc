"""Procurement in the admin is read-only and scoped to the offices the user administers."""

import pytest
from django.contrib import admin

from commissioning.accounts.models import Role
from commissioning.procurement import models
from tests.accounts.factories import sign_in, staff_user
from tests.procurement.conftest import start_exercise
from tests.procurement.factories import pool_with_shares

pytestmark = pytest.mark.django_db


def test_every_procurement_record_is_in_the_admin_read_only(rf):
    request = rf.get("/admin/")
    request.user = type("Root", (), {"is_superuser": True, "is_active": True, "is_staff": True})()
    for name in ("ProcurementExercise", "Bid", "Evaluator", "PooledBudget", "Contract"):
        model_admin = admin.site._registry[getattr(models, name)]
        assert not model_admin.has_add_permission(request), name
        assert not model_admin.has_change_permission(request), name
        assert not model_admin.has_delete_permission(request), name


def test_an_office_admin_sees_its_own_exercises_and_pools_and_changes_nothing(client, cam, officer):
    exercise = start_exercise(cam, officer, "3000")
    pool = pool_with_shares(cam, officer, title="Shared outreach")
    sign_in(client, staff_user(cam, Role.OFFICE_ADMIN))
    listing = client.get("/admin/procurement/procurementexercise/")
    assert listing.status_code == 200 and exercise.reference in listing.content.decode()
    page = client.get(f"/admin/procurement/procurementexercise/{exercise.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    posted = client.post(
        f"/admin/procurement/procurementexercise/{exercise.pk}/change/", {"title": "Changed"}
    )
    assert posted.status_code == 403
    exercise.refresh_from_db()
    assert exercise.title != "Changed"
    assert client.get(f"/admin/procurement/pooledbudget/{pool.pk}/change/").status_code == 200


def test_another_offices_admin_gets_404(client, cam, officer, other_office):
    exercise = start_exercise(cam, officer, "3000")
    sign_in(client, staff_user(other_office, Role.OFFICE_ADMIN))
    url = f"/admin/procurement/procurementexercise/{exercise.pk}/change/"
    assert client.get(url).status_code == 404
    listing = client.get("/admin/procurement/procurementexercise/")
    assert exercise.reference not in listing.content.decode()
