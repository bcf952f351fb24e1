"""The signed-in user of a request, read by a statement built once.

Every request of a signed-in reader loads their user, the page state's too
(issue 17). Django's ModelBackend.get_user runs `User.objects.get(pk=…)`,
which builds its SQL anew each time: about 0.6 ms of CPU where the statement
itself costs 0.2 ms (loadtest/results/page-state-cost.md).

session_user is django.contrib.auth.get_user (Django 5.2) with that one step
replaced, for the backends whose get_user is ModelBackend's (the ones people
log in through). Everything else it checks as Django does, so each still
takes effect on the reader's next request: the backend named in the session
must still be configured, the account must be active (user_can_authenticate),
and the session's hash must match the password's (a password changed on
another device, an erased account), or the session is flushed.
tests/hocvuso/accounts/test_session_user.py holds it to Django's answers.
"""

from functools import cache

from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    load_backend,
)
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser
from django.db import connections, router
from django.utils.crypto import constant_time_compare

from .models import User


@cache
def _user_statement(alias: str):
    """User.objects.get(pk=…) compiled: its SQL, the attribute of each
    column, and the database's value converters (none on PostgreSQL; SQLite
    converts dates) with the compiler that applies them."""
    query = User._default_manager.db_manager(alias).filter(pk=0).query
    compiler = query.get_compiler(alias)
    sql, params = compiler.as_sql()
    if params != (0,):
        raise RuntimeError("User's default manager filters: read it with the ORM")
    columns = [column for column, _, _ in compiler.select]
    converters = compiler.get_converters(columns)
    return sql, [column.target.attname for column in columns], converters, compiler


def user_by_pk(pk) -> User | None:
    alias = router.db_for_read(User)
    sql, attnames, converters, compiler = _user_statement(alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    if converters:
        row = next(iter(compiler.apply_converters([row], converters)))
    return User.from_db(alias, attnames, row)


def _backend_user(backend, user_id) -> User | None:
    if type(backend).get_user is not ModelBackend.get_user:
        return backend.get_user(user_id)
    user = user_by_pk(user_id)
    return user if user is not None and backend.user_can_authenticate(user) else None


def session_user(request):
    """The user the request's session is signed in as, or AnonymousUser."""
    user = None
    try:
        user_id = User._meta.pk.to_python(request.session[SESSION_KEY])
        backend_path = request.session[BACKEND_SESSION_KEY]
    except KeyError:
        pass
    else:
        if backend_path in settings.AUTHENTICATION_BACKENDS:
            user = _backend_user(load_backend(backend_path), user_id)
            if hasattr(user, "get_session_auth_hash"):
                user = _session_verified(request, user)
    return user or AnonymousUser()


def _session_verified(request, user: User) -> User | None:
    """Django's check, as written in get_user: the session's hash against
    the password's; one made with a retired SECRET_KEY (a fallback) is
    renewed, any other mismatch flushes the session."""
    session_hash = request.session.get(HASH_SESSION_KEY)
    if not session_hash:
        session_hash_verified = False
    else:
        session_auth_hash = user.get_session_auth_hash()
        session_hash_verified = constant_time_compare(session_hash, session_auth_hash)
    if session_hash_verified:
        return user
    if session_hash and any(
        constant_time_compare(session_hash, fallback_auth_hash)
        for fallback_auth_hash in user.get_session_auth_fallback_hash()
    ):
        request.session.cycle_key()
        request.session[HASH_SESSION_KEY] = session_auth_hash
        return user
    request.session.flush()
    return None
