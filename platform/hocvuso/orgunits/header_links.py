"""The header's links to the admin pages and to the team a user leads come
from fields on the user (loaded with every request anyway); these receivers
keep them equal to the user's roles and leaderships."""

from django.contrib.auth import get_user_model

from .models import AdminRole, AdminRoleKind, TeamMembership, TeamRole
from .selectors import SCOPE_ROLES


def header_links_sync(*, user_id: int) -> None:
    roles = set(
        AdminRole.objects.filter(user_id=user_id).values_list("role", flat=True)
    )
    led_team_id = (
        TeamMembership.objects.filter(user_id=user_id, role=TeamRole.LEADER)
        .order_by("team__name", "team_id")
        .values_list("team_id", flat=True)
        .first()
    )
    get_user_model().objects.filter(pk=user_id).update(
        administers_units=bool(roles & set(SCOPE_ROLES)),
        edits_content=AdminRoleKind.CONTENT_EDITOR in roles,
        led_team_id=led_team_id,
    )


def role_changed(sender, instance: AdminRole | TeamMembership, **kwargs) -> None:
    """Signal receiver for AdminRole and TeamMembership saves and deletes."""
    header_links_sync(user_id=instance.user_id)
