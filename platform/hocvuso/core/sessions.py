"""Django's cached_db sessions, whose cache read also brings the two values
nearly every signed-in request reads next from the same cache.

A page state read the cache three times in a row, a round trip each: the
session, the page tree's generation (courses.page_cache) and the id of the
privacy notice in force (accounts.selectors). Now one MGET reads all three
(issue 17). Each module keeps its value for the rest of this request only,
as it kept what it read itself, so an editor's publication, a new notice or
a withdrawn consent shows on the reader's next request as before.

The session itself is stored and read as by cached_db (same keys, same
fallback to the database), so sessions survive a change of engine either way.
"""

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.core.cache import DEFAULT_CACHE_ALIAS

from courses.page_cache import GENERATION_KEY, request_generation_keep
from hocvuso.accounts.selectors import CURRENT_NOTICE_CACHE_KEY, request_notice_id_keep

READ_ALONG = {
    GENERATION_KEY: request_generation_keep,
    CURRENT_NOTICE_CACHE_KEY: request_notice_id_keep,
}


class SessionStore(cached_db.SessionStore):
    def load(self):
        # The values read along come from the default cache.
        if settings.SESSION_CACHE_ALIAS != DEFAULT_CACHE_ALIAS:
            return super().load()
        try:
            got = self._cache.get_many([self.cache_key, *READ_ALONG])
        except Exception:  # as cached_db: an unreadable key is a miss
            got = {}
        for key, keep in READ_ALONG.items():
            keep(got.get(key))
        data = got.get(self.cache_key)
        if data is None:
            return self._load_from_db()
        return data

    def _load_from_db(self) -> dict:
        """cached_db's miss: from the table, then into the cache."""
        session = self._get_session_from_db()
        if not session:
            return {}
        data = self.decode(session.session_data)
        self._cache.set(
            self.cache_key, data, self.get_expiry_age(expiry=session.expire_date)
        )
        return data
