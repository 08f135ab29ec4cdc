"""The shared invitation-link error speaks plainly for every reason, even without a subclass."""

import pytest

from commissioning.core.invitations import InvitationLinkError

REASONS = [
    InvitationLinkError.INVALID,
    InvitationLinkError.EXPIRED,
    InvitationLinkError.USED,
    InvitationLinkError.WITHDRAWN,
]


@pytest.mark.parametrize("reason", REASONS)
def test_every_reason_has_a_plain_message(reason):
    error = InvitationLinkError(reason)
    assert error.reason == reason
    assert error.message.startswith("This invitation")
