"""Authentication shared by the JSON APIs of the domain apps."""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from ninja.security import APIKeyCookie


class SessionUserId(APIKeyCookie):
    """The logged-in user's id from the session (kept in the cache), without
    loading the user: an autosave or heartbeat then asks the database only
    for what it writes. CSRF is checked as for any cookie-authenticated call."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request, key):
        user_id = request.session.get(SESSION_KEY)
        return int(user_id) if user_id else None
