from ninja import Router, Schema

from commissioning.accounts.models import Role

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    office: str
    role: str
    role_name: str


class MeOut(Schema):
    email: str
    full_name: str
    memberships: list[MembershipOut]


@router.get("/me", response=MeOut, summary="Who you are and your roles")
def me(request):
    user = request.auth
    memberships = [
        MembershipOut(office=m.office.slug, role=m.role, role_name=str(Role(m.role).label))
        for m in user.memberships.active().select_related("office")
    ]
    return MeOut(email=user.email, full_name=user.full_name, memberships=memberships)
