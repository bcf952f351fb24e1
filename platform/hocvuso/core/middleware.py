from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.utils import translation
from django.utils.cache import add_never_cache_headers


class VietnameseFirstLocaleMiddleware:
    """Vietnamese for everyone unless they picked another language.

    Django's LocaleMiddleware follows the browser's Accept-Language, which on a
    phone bought abroad or set to English would turn the platform English for
    a learner who never asked for it. Only the language switch (cookie) counts.

    The CMS (/cms/) takes only WAGTAILADMIN_PERMITTED_LANGUAGES: Wagtail applies
    an editor's preference only once they have a profile, so "English" chosen
    on the site turned a new editor's CMS English (issue 24, item 10).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}
        self.cms_supported = {
            code for code, _name in settings.WAGTAILADMIN_PERMITTED_LANGUAGES
        }

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        if request.path_info.startswith("/cms/") and language not in self.cms_supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy (settings.CONTENT_SECURITY_POLICY), with two
    exceptions. The account pages may send a form on to the identity
    providers offered on the site. Wagtail's admin needs the other: /cms/
    alone may run inline scripts and styles. Wagtail 8 still starts its
    choosers (BaseChooser.render), date pickers and inline panels with inline
    <script>, and its panels set inline styles; everywhere else scripts come
    from files only."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith("/cms/"):
            parts.update = {
                **(parts.update or {}),
                "script-src": UNSAFE_INLINE,
                "style-src": UNSAFE_INLINE,
            }
        elif (
            request.path_info.startswith("/tai-khoan/")
            and response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
        ):
            # A sign-in button posts to us and is redirected to an identity
            # provider; browsers hold that redirect to form-action too.
            from hocvuso.accounts.social_adapter import identity_provider_origins

            origins = identity_provider_origins(request)
            if origins:
                parts.update = {**(parts.update or {}), "form-action": origins}
        return parts


class PersonalPagesNoStoreMiddleware:
    """Pages with personal data (settings.PERSONAL_DATA_PATHS: account and
    admin pages, a learner's own courses, tests and certificates, the API)
    are sent with Cache-Control: no-store, so neither a shared phone's browser
    (back button, saved pages) nor a school's caching proxy keeps a copy of a
    profile, a learner list or a password sheet. Public pages stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(settings.PERSONAL_DATA_PATHS)

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(self.prefixes):
            add_never_cache_headers(response)
        return response
