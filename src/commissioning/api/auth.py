from ninja.security import HttpBearer, SessionAuth

from commissioning.accounts.mfa import session_passed_mfa
from commissioning.accounts.permissions import is_staff_member
from commissioning.accounts.services import api_token_authenticate


class TokenAuth(HttpBearer):
    """`Authorization: Bearer pcc_...`, a token created on the staff API tokens page."""

    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class StaffSessionAuth(SessionAuth):
    """The browser session of a signed-in user; a staff member's session must have passed
    multi-factor sign-in (having an authenticator is not enough)."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is None or (is_staff_member(user) and not session_passed_mfa(request)):
            return None
        return user
