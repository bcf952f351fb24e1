"""Authentication shared by the JSON APIs of the domain apps."""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from hocvuso.accounts.selectors import consent_is_current
from ninja import Schema
from ninja.security import APIKeyCookie


class ConsentRequired(Exception):
    """A logged-in learner who has not agreed to the personal-data notice in
    force: the API answers 403 (hocvuso.api), as the pages send to consent."""


class ConsentRequiredOut(Schema):
    """The 403 of ConsentRequired, in the schema of every learner call."""

    detail: str
    consent_url: str


class SessionUserId(APIKeyCookie):
    """The logged-in user's id from the session (kept in the cache), without
    loading the user: an autosave or heartbeat then asks the database only
    for what it writes. CSRF is checked as for any cookie-authenticated call.

    Every API call is a learner's, so the pages' gate (learner_required)
    holds here too; its answer is remembered in the session, so a consented
    learner's calls still ask the database nothing for it."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request, key):
        user_id = request.session.get(SESSION_KEY)
        if not user_id:
            return None
        if not consent_is_current(user=int(user_id), session=request.session):
            raise ConsentRequired
        return int(user_id)
