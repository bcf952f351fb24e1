"""hocvuso.accounts.session_user loads the request's user with a statement
built once; it must answer every session exactly as Django's own
django.contrib.auth.get_user does: the same user or none, and the session
left the same (flushed after a password change, renewed after a key
rotation)."""

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from hocvuso.accounts.models import User
from hocvuso.accounts.session_user import session_user, user_by_pk

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
ALLAUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"
OLD_SECRET = "an-older-secret-key-" + "o" * 40


def _session_data(user: User, *, backend=MODEL_BACKEND) -> dict:
    return {
        SESSION_KEY: str(user.pk),
        BACKEND_SESSION_KEY: backend,
        HASH_SESSION_KEY: user.get_session_auth_hash(),
    }


def signed_in(user):
    return _session_data(user)


def signed_in_through_allauth(user):
    return _session_data(user, backend=ALLAUTH_BACKEND)


def password_changed_elsewhere(user):
    data = _session_data(user)
    user.set_password("Matkhau-moi@2026")
    user.save()
    return data


def deactivated(user):
    data = _session_data(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    return data


def account_deleted(user):
    data = _session_data(user)
    user.delete()
    return data


def no_hash(user):
    data = _session_data(user)
    del data[HASH_SESSION_KEY]
    return data


def forged_hash(user):
    return {**_session_data(user), HASH_SESSION_KEY: "0" * 64}


def backend_no_longer_configured(user):
    return _session_data(user, backend="django.contrib.auth.backends.RemoteUserBackend")


def no_backend(user):
    data = _session_data(user)
    del data[BACKEND_SESSION_KEY]
    return data


def hash_made_with_a_retired_secret_key(user):
    with override_settings(SECRET_KEY=OLD_SECRET):
        return _session_data(user)


SESSIONS = [
    signed_in,
    signed_in_through_allauth,
    password_changed_elsewhere,
    deactivated,
    account_deleted,
    no_hash,
    forged_hash,
    backend_no_longer_configured,
    no_backend,
    hash_made_with_a_retired_secret_key,
]


def _outcome(load, data: dict) -> dict:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store.update(data)
    store.create()
    request = RequestFactory().get("/")
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(
        store.session_key
    )
    with override_settings(SECRET_KEY_FALLBACKS=[OLD_SECRET]):
        user = load(request)
    return {
        "user": user.pk if user.is_authenticated else None,
        "session": dict(request.session.items()),
        "session key renewed": request.session.session_key != store.session_key,
        "session emptied": not request.session.session_key,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("session", SESSIONS, ids=lambda session: session.__name__)
def test_session_user_answers_as_django_does(make_learner, session):
    answers = {}
    for name, load in (("django", auth.get_user), ("session_user", session_user)):
        user = make_learner()
        pk = user.pk  # a deleted account has none afterwards
        data = session(user)
        answer = _outcome(load, data)
        # The same account each time, whatever its id.
        if answer["user"] is not None:
            assert answer["user"] == pk
            answer["user"] = "the account"
        if answer["session"].get(SESSION_KEY) == str(pk):
            answer["session"][SESSION_KEY] = "the account"
        if answer["session"].get(HASH_SESSION_KEY) == user.get_session_auth_hash():
            answer["session"][HASH_SESSION_KEY] = "the current hash"
        answers[name] = answer
    assert answers["session_user"] == answers["django"]


@pytest.mark.django_db
def test_the_user_comes_whole_from_one_query(make_learner):
    user = make_learner(full_name="Lê Thị Hồng", birth_year=1960)
    user.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        loaded = user_by_pk(user.pk)
    assert len(queries) == 1
    fields = [field.attname for field in User._meta.concrete_fields]
    assert [getattr(loaded, f) for f in fields] == [getattr(user, f) for f in fields]
    assert not loaded._state.adding and loaded._state.db == "default"
    assert user_by_pk(user.pk + 1000) is None
