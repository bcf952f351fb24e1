"""The admin scope applied to certificates (settings.CERTIFICATES_ADMIN_SCOPE),
so the certificates app depends on no project code."""

from django.db.models import QuerySet

from .selectors import admin_scope_get


def certificates_in_scope(*, user, certificates: QuerySet) -> QuerySet:
    """Certificates of learners in the administrator's subtree; none for
    someone who administers nothing."""
    scope = admin_scope_get(user=user)
    if scope.everything:
        return certificates
    if not scope:
        return certificates.none()
    return certificates.filter(scope.q("user__unit"))
