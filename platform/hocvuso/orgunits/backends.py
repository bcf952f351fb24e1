from .selectors import admin_scope_get


class UnitAdminBackend:
    """Lets province and commune administrators into the CMS (/cms/), where
    the viewsets in wagtail_hooks show them only their own subtree."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        if perm != "wagtailadmin.access_admin" or not user_obj.is_active:
            return False
        return bool(admin_scope_get(user=user_obj))
