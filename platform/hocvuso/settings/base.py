"""Settings shared by every environment.

Every value comes from an environment variable with a safe default, so the
embedded default (SQLite, local-memory cache, in-memory channel layer, eager
Celery) needs no server at all; DATABASE_URL and REDIS_URL switch to
PostgreSQL and Redis.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _
from redis.backoff import NoBackoff
from redis.retry import Retry

PROJECT_DIR = Path(__file__).resolve().parent.parent  # platform/hocvuso
BASE_DIR = PROJECT_DIR.parent  # platform/
REPO_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "hocvuso.core.views.csrf_failure"

INSTALLED_APPS = [
    "hocvuso.core",
    "hocvuso.accounts",
    "hocvuso.orgunits",
    "hocvuso.reports",
    "hocvuso.privacy",
    "hocvuso.training",
    "hocvuso.campaigns",
    "hocvuso.province_sites",
    "hocvuso.xapi",
    "hocvuso.lti",
    "courses",
    "quizzes",
    "certificates",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Sign-in with a province's or the national identity provider (OpenID
    # Connect): see accounts/oidc and docs/identity-providers.md.
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_htmx",
    "channels",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "hocvuso.core.public_pages.PublicPageMiddleware",
    "hocvuso.core.middleware.ContentSecurityPolicyMiddleware",
    "hocvuso.core.middleware.PersonalPagesNoStoreMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "hocvuso.core.site_cache.CachedSiteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hocvuso.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "hocvuso.accounts.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "hocvuso.accounts.middleware.PasswordChangeRequiredMiddleware",
    "hocvuso.accounts.middleware.SharedPhoneMiddleware",
    "hocvuso.accounts.middleware.AdminSecondFactorRequiredMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "hocvuso.orgunits.middleware.UnitAdminCmsMiddleware",
]

# Scripts only from our own files (no inline script, no eval), so an injected
# <script> or on* attribute does not run. hls.js plays from blob: URLs; the
# quiz page's websocket is same-origin ('self' covers ws:/wss: in CSP 3).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:"],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "font-src": [SELF, "data:"],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}
# The admin dashboard would fetch releases.wagtail.org, which connect-src
# refuses; upgrades come through deploy/requirements.lock anyway.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Browser features no page here uses stay off; the video player may go
# full screen.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "fullscreen": ["self"],
}

# How long nginx (and a CDN) keeps a page that is the same for every reader
# (core.public_pages): an edit reaches readers at most this late.
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", "60"))
# Where a publish asks nginx for the shared pages again, with the token that
# replaces its copies (core.public_pages, deploy/nginx/render): the edit is
# then read at once. Empty: copies expire after PUBLIC_PAGE_CACHE_SECONDS.
PAGE_CACHE_REFRESH_URL = os.environ.get("PAGE_CACHE_REFRESH_URL", "")
PAGE_CACHE_REFRESH_TOKEN = os.environ.get("PAGE_CACHE_REFRESH_TOKEN", "")

# Pages that show personal data, sent with Cache-Control: no-store
# (core.middleware.PersonalPagesNoStoreMiddleware). The quiz's service worker
# and offline page (/kiem-tra/sw.js, /kiem-tra/ngoai-tuyen/) are left out.
PERSONAL_DATA_PATHS = [
    "/tai-khoan/",
    "/quan-tri/",
    "/cms/",
    "/django-admin/",
    "/api/",
    "/hoc/cua-toi/",
    "/kiem-tra/bat-dau/",
    "/kiem-tra/lam-bai/",
    "/kiem-tra/ket-qua/",
    "/chung-nhan/",
    "/diem-danh/",
]

ROOT_URLCONF = "hocvuso.urls"
WSGI_APPLICATION = "hocvuso.wsgi.application"
ASGI_APPLICATION = "hocvuso.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "hocvuso.core.context_processors.display_preferences",
                "hocvuso.province_sites.context_processors.site_look",
            ],
        },
    },
]

# --- Data stores -----------------------------------------------------------
DATABASE_URL = os.environ.get(
    "DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
)
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=0),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg's pool keeps connections warm across requests of a worker thread.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DB_POOL_MIN", "2")),
        "max_size": int(os.environ.get("DB_POOL_MAX", "10")),
        "timeout": 10,
    }
    # With the pool, Django's health checks are psycopg's check on checkout
    # (one empty round trip): after PostgreSQL restarts, the connections it
    # dropped are replaced instead of failing one request each, 32 submits
    # at once in loadtest/faults (fault 6a).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL's JIT compiler off (DB_JIT=true keeps it): the planner
    # estimates the reports' grouped statements at millions of rows, so every
    # one was JIT-compiled for 0.4-0.9 s, a quarter of the province report at
    # 100,000 learners (loadtest/results/reports-100k.md); short web queries
    # never gain from it.
    DATABASES["default"]["OPTIONS"]["options"] = (
        f"-c jit={'on' if env_bool('DB_JIT', False) else 'off'}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
# A healthy Redis answers in milliseconds. redis-py 8 waits 5 s to connect and
# 5 s to read, 4 times over with back-off: with Redis hung (SIGSTOP), every
# cache call of a request took about 30 s (loadtest/faults, fault 5). Give up
# after 1 s and one retry (a connection a restarted Redis dropped); the cache
# then works without Redis for a few seconds (hocvuso/core/redis_cache.py).
REDIS_CACHE_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 1,
    "retry": Retry(NoBackoff(), 1),
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "hocvuso.core.redis_cache.SharedClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "hocvuso"),
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # redis-py 8 gives up reading after 5 s by default, and
            # channels-redis waits for a message with a 5-second blocking pop:
            # every idle websocket was torn down about every 5 s (found by the
            # exam load test). Read for longer than the pop waits; a dead
            # Redis still shows within 15 s.
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 15}]},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Sessions are read from the cache and written through to the database: a
# page view asks the database nothing for the session, and nothing is lost
# when the cache restarts. Django's cached_db, whose one cache read also
# brings the page tree's generation and the privacy notice's id.
SESSION_ENGINE = "hocvuso.core.sessions"

# --- Celery ------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
# How long Redis waits before handing an unacknowledged task (its worker was
# killed) to another worker, and how often workers look for such tasks
# (about interval × throttle seconds); the real-worker test shortens both.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
    "unacked_restore_interval": int(os.environ.get("CELERY_RESTORE_INTERVAL", "10")),
    "unacked_restore_throttle": int(os.environ.get("CELERY_RESTORE_THROTTLE", "10")),
    # kombu waits on a hung Redis for ever: a learner passing the final test
    # then waited with their submit (loadtest/faults, fault 5). Longer than
    # the worker's 1-second blocking pop.
    "socket_timeout": 5,
    "socket_connect_timeout": 2,
}
# One retry, then the publish fails (on-commit publishes are robust and the
# periodic sweeps pick up what was not sent).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_BEAT_SCHEDULE = {
    # Finishes attempts past deadline + grace from their saved answers.
    "quiz-overdue-sweep": {
        "task": "quizzes.tasks.attempts_overdue_finish_task",
        "schedule": 60.0,
    },
    # Retention of personal data (README, "Personal data"), each night.
    "import-retention": {
        "task": "hocvuso.accounts.tasks.import_jobs_expire_task",
        "schedule": crontab(hour=2, minute=0),
    },
    "export-retention": {
        "task": "hocvuso.reports.tasks.export_jobs_expire_task",
        "schedule": crontab(hour=2, minute=10),
    },
    # The report's maintained figures against the grouped SQL, for a sample
    # of units (issue 23); differences are logged as errors.
    "reports-check": {
        "task": "hocvuso.reports.tasks.maintained_figures_check_task",
        "schedule": crontab(hour=3, minute=0),
    },
    # Background refreshes of the report's figures after a bulk change of
    # scope whose task was lost or whose worker died (reports/refresh_jobs.py).
    "reports-refresh-resume": {
        "task": "hocvuso.reports.tasks.refresh_jobs_resume_task",
        "schedule": 60.0,
    },
    # Folds the sharded counters (hot at an exam) into one row a unit, every
    # quarter hour: a report reads ~1/16 of the rows it would after a busy
    # day unfolded (a province of 1M learners: 1.97 s → 0.40 s,
    # loadtest/results/reports-1000000.md).
    "reports-compact": {
        "task": "hocvuso.reports.tasks.counters_compact_task",
        "schedule": crontab(minute="*/15"),
    },
    # Certificates whose issuing task was lost (the broker was down when the
    # learner passed, or the worker was killed): certificates/services.py.
    "certificates-missing": {
        "task": "certificates.tasks.certificates_missing_issue_task",
        "schedule": 60.0,
    },
    "assignment-reminders": {
        "task": "hocvuso.orgunits.tasks.assignment_reminders_send_task",
        "schedule": crontab(hour=8, minute=0),
    },
    # Summons to a training class, three days before (hocvuso/training).
    "training-summons": {
        "task": "hocvuso.training.tasks.training_summons_send_task",
        "schedule": crontab(minute=5),
    },
    # Sends the xAPI outbox to each site's LRS (hocvuso/xapi, docs/xapi.md).
    "xapi-outbox": {
        "task": "hocvuso.xapi.tasks.outbox_drain_task",
        "schedule": 60.0,
    },
    # Scores owed to an LMS's grade book whose first send failed or whose
    # task was lost (hocvuso/lti, docs/lti.md).
    "lti-scores": {
        "task": "hocvuso.lti.tasks.scores_send_due_task",
        "schedule": 60.0,
    },
    # Reminds commune/province admins of personal-data requests near their
    # legal deadline (hocvuso/privacy/deadlines.py).
    "data-request-reminders": {
        "task": "hocvuso.privacy.tasks.data_request_reminders_send_task",
        "schedule": crontab(hour=7, minute=30),
    },
}

# --- Retention of personal data (days; README, "Personal data") --------------
# A printed initial password is needed until its learner first logs in; a
# week covers handing the sheets out after a training day.
INITIAL_PASSWORD_RETENTION_DAYS = int(
    os.environ.get("INITIAL_PASSWORD_RETENTION_DAYS", "7")
)
# An uploaded list (every name and phone of the file) serves to check and fix
# the import; after a month only its counts are kept.
IMPORT_UPLOAD_RETENTION_DAYS = int(os.environ.get("IMPORT_UPLOAD_RETENTION_DAYS", "30"))
# An export file is downloaded within minutes; a new one can be made any time.
EXPORT_FILE_RETENTION_DAYS = int(os.environ.get("EXPORT_FILE_RETENTION_DAYS", "7"))

# --- Logging -------------------------------------------------------------------
# Warnings and errors go to standard error, where gunicorn, uvicorn, Celery
# and Kubernetes collect them: refused and failed requests (django.request:
# method, path, status; no bodies), and the security events of
# hocvuso.security (daily SMS caps reached, with the number's last digits).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    # The embedded default's in-memory broker has no host, which kombu warns
    # about on every start.
    "loggers": {"kombu.connection": {"level": "ERROR"}},
}

# --- Auth and accounts -------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "hocvuso.orgunits.backends.UnitAdminBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    # Only for the one-time passwords of an import sheet (see the class).
    "hocvuso.accounts.hashers.InitialPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "hocvuso.accounts.password_validation.PersonalDataValidator"},
    {"NAME": "hocvuso.accounts.password_validation.NotCurrentPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        # Django's list is English; these are the ones Vietnamese users pick.
        "NAME": "django.contrib.auth.password_validation.CommonPasswordValidator",
        "OPTIONS": {
            "password_list_path": PROJECT_DIR
            / "accounts"
            / "data"
            / "mat-khau-pho-bien.txt"
        },
    },
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# The gate in front of lessons and tests: logged in and consented (Law 91/2025).
LEARNER_REQUIRED = "hocvuso.accounts.decorators.learner_required"
# The same gate asked by a page's personal-state request (core.page_state).
LEARNER_GATE_URL = "hocvuso.accounts.decorators.learner_gate_url"
LOGIN_REDIRECT_URL = "/"
# Every password login goes through allauth's page (rate limits, phone
# verification): Wagtail's admin and private pages send there too.
WAGTAILADMIN_LOGIN_URL = LOGIN_URL
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
# The Django admin is a developer's tool; production leaves it out.
DJANGO_ADMIN_ENABLED = env_bool("DJANGO_ADMIN_ENABLED", True)

ACCOUNT_ADAPTER = "hocvuso.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"phone", "username"}
ACCOUNT_SIGNUP_FIELDS = ["phone*", "password1"]
ACCOUNT_SIGNUP_FORM_CLASS = "hocvuso.accounts.forms.SignupExtraForm"
# "Bạn đã đăng nhập với tên …": the person's name (User.__str__), not the
# username nobody chose.
ACCOUNT_USER_DISPLAY = str
ACCOUNT_FORMS = {
    "login": "hocvuso.accounts.allauth_forms.PhoneLoginForm",
    "signup": "hocvuso.accounts.allauth_forms.PhoneSignupForm",
    "verify_phone": "hocvuso.accounts.allauth_forms.VerifyPhoneCodeForm",
    "confirm_login_code": "hocvuso.accounts.allauth_forms.ConfirmLoginCodeDigitsForm",
    "request_login_code": "hocvuso.accounts.allauth_forms.PhoneRequestLoginCodeForm",
}
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_TIMEOUT = 10 * 60
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 10 * 60
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
# None: the login form asks. Ours asks the other way round, "Đây là điện
# thoại dùng chung" (accounts.allauth_forms): ticked, the session ends when
# the browser closes; otherwise it lasts SESSION_COOKIE_AGE (two weeks).
ACCOUNT_SESSION_REMEMBER = None
# Sign-up, login by code and password reset answer the same whether or not a
# number (or address) has an account; the SMS (or e-mail) tells its owner.
# What is still revealed, and why: README, "Security".
ACCOUNT_PREVENT_ENUMERATION = True
# Six digits: what an SMS code looks like to everyone in Vietnam.
ALLAUTH_USER_CODE_FORMAT = {"numeric": True, "dashed": False, "length": 6}
# Rate limits count per client address. Behind nginx (and an ingress) REMOTE_ADDR
# is the proxy, so every learner would share one counter: trust that many
# X-Forwarded-For hops. Certificates' verification limit uses the same rule.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ACCOUNT_RATE_LIMITS = {
    # A training day puts a classroom behind one school address: room for
    # sixty learners, with a second try each, in one minute.
    "login": "120/m/ip",
    # Failed passwords: 5 per account (the adapter keys it on the account),
    # then 100 per address in 10 minutes against guessing across accounts.
    # allauth's 10 a minute per address let one person lock out a classroom
    # by hand; 100 takes a script. The account comes first, so tries at an
    # account already locked do not count against the address.
    "login_failed": "5/300s/key,100/10m/ip",
    # Sign-ups and SMS codes: a classroom's worth a minute per address (each
    # sign-up sends a code); a number gets one code per 30 s and three login
    # codes a minute. What an address may cost in SMS is bounded by the daily
    # caps below, not by these.
    "signup": "60/m/ip",
    "request_login_code": "60/m/ip,3/m/key",
    "verify_phone": "1/30s/key,60/m/ip",
}

# Daily caps, counted per calendar day (Asia/Ho_Chi_Minh) in the cache. The
# province pays for every SMS: a number gets at most this many codes a day
# (a learner needs one or two: sign-up, a login, a resend), an address this
# many (a training day puts a few hundred learners behind one address).
SMS_CODES_PER_NUMBER_PER_DAY = int(os.environ.get("SMS_CODES_PER_NUMBER_PER_DAY", "5"))
SMS_CODES_PER_ADDRESS_PER_DAY = int(
    os.environ.get("SMS_CODES_PER_ADDRESS_PER_DAY", "300")
)
# Wrong SMS codes an account may enter a day, at login and phone verification
# together; then even the right code waits until tomorrow.
SMS_CODE_GUESSES_PER_ACCOUNT_PER_DAY = int(
    os.environ.get("SMS_CODE_GUESSES_PER_ACCOUNT_PER_DAY", "10")
)

# Identity providers (OpenID Connect): one SocialApp row per provider, offered
# on the sites named in its settings["sites"] (accounts.social_adapter). Our
# provider class checks every ID token's signature and nonce, and keeps only
# the claims we use (accounts/oidc); the adapter links an existing account
# only by a phone number the provider says it verified.
SOCIALACCOUNT_ADAPTER = "hocvuso.accounts.social_adapter.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "provider_class": "hocvuso.accounts.oidc.provider.IdentityProvider",
        "OAUTH_PKCE_ENABLED": True,
    }
}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False

# Two-factor authentication (allauth.mfa): an authenticator app (TOTP) with
# recovery codes; required for every administrator before /quan-tri/ and /cms/
# (see accounts.middleware), optional for learners.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Bình dân học vụ số"
MFA_FORMS = {
    "activate_totp": "hocvuso.accounts.allauth_forms.ActivateTOTPDigitsForm",
    "authenticate": "hocvuso.accounts.allauth_forms.AuthenticateDigitsForm",
    "reauthenticate": "hocvuso.accounts.allauth_forms.ReauthenticateDigitsForm",
}
# Deliberately no environment variable: nothing deployed can turn it off.
ADMIN_MFA_REQUIRED = True

SMS_BACKEND = os.environ.get("SMS_BACKEND", "hocvuso.accounts.sms.ConsoleBackend")
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
SMS_SENDER_NAME = os.environ.get("SMS_SENDER_NAME", "HOCVUSO")

# --- Internationalisation ----------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [
    PROJECT_DIR / "locale",
    PROJECT_DIR / "locale_allauth",
    # Wagtail's vi catalogue translates a tenth of its admin; ours the rest an
    # editor or a unit admin meets (tests/browser/test_cms_vietnamese.py).
    PROJECT_DIR / "locale_wagtail",
]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
# The CMS is in Vietnamese for everyone, even after "English" was chosen in the
# site's footer: Wagtail's own English is the only one a translator cannot
# check here, and editors write Vietnamese content (issue 24, item 10).
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", _("Tiếng Việt"))]

# --- Static and media --------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "hocvuso.core.storage.MediaStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

# --- Wagtail -----------------------------------------------------------------
WAGTAIL_SITE_NAME = "Bình dân học vụ số"
# ASCII page URLs ("dinh-danh-dien-tu"): see core.text.slug_ascii.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"png": "webp", "jpeg": "webp"}
# Checked before decoding (hocvuso.core.images); 40 million is a 7,300 × 5,500 photo.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_IMAGE_FORM_BASE = "hocvuso.core.images.SafeImageForm"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "txt"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --- Quizzes -----------------------------------------------------------------
# Answers are accepted until deadline + grace: a phone on a slow network
# still gets its last answers in.
QUIZ_GRACE_SECONDS = int(os.environ.get("QUIZ_GRACE_SECONDS", "60"))
# When time is up, each phone submits after a random wait of up to this many
# seconds, so a common deadline is not one burst; half the grace period, the
# other half left for a slow network and a busy server.
QUIZ_AUTO_SUBMIT_SPREAD_SECONDS = int(
    os.environ.get("QUIZ_AUTO_SUBMIT_SPREAD_SECONDS", str(QUIZ_GRACE_SECONDS // 2))
)
# Training-day dashboard: seconds between two updates (and the cache life).
REPORTS_LIVE_SECONDS = int(os.environ.get("REPORTS_LIVE_SECONDS", "5"))
# Exports covering at least this many learners are built by Celery (a job
# page with progress and a download link) instead of inside the request.
REPORTS_EXPORT_ASYNC_FROM = int(os.environ.get("REPORTS_EXPORT_ASYNC_FROM", "50000"))

# --- Video and audio lessons ----------------------------------------------------
FFMPEG_BIN = os.environ.get("FFMPEG_BIN", "/usr/bin/ffmpeg")
FFPROBE_BIN = os.environ.get("FFPROBE_BIN", "/usr/bin/ffprobe")
ESPEAK_BIN = os.environ.get("ESPEAK_BIN", "/usr/bin/espeak-ng")  # demo narration
MEDIA_MAX_UPLOAD_MB = int(os.environ.get("MEDIA_MAX_UPLOAD_MB", "500"))
MEDIA_MAX_DURATION_MINUTES = int(os.environ.get("MEDIA_MAX_DURATION_MINUTES", "60"))
# The player reports every MEDIA_HEARTBEAT_SECONDS; the server credits at most
# the time elapsed since the previous report plus this tolerance.
MEDIA_HEARTBEAT_SECONDS = int(os.environ.get("MEDIA_HEARTBEAT_SECONDS", "20"))
MEDIA_HEARTBEAT_TOLERANCE = float(os.environ.get("MEDIA_HEARTBEAT_TOLERANCE", "2"))

# --- Platform ----------------------------------------------------------------
# Course cards show "Bắt buộc — hạn …" from the organisation's assignments.
COURSES_DUE_DATES = "hocvuso.orgunits.selectors.assignment_due_dates"
# A province's content editor may create courses owned by their province's
# site (courses/course_site_form.py).
COURSES_EDITOR_SITES = "hocvuso.province_sites.selectors.editor_site_ids"
# The completion rule asks the tests app whether the final test is passed.
COURSES_FINAL_TEST = "quizzes.selectors.course_final_test_get"
# The report's figures follow each learner's rows in the event's own
# transaction (issue 23; courses/learner_events.py).
COURSES_LEARNERS_CHANGED = "hocvuso.reports.maintained.learners_refresh"
COURSES_LESSON_OPENED = "hocvuso.reports.maintained.lesson_opened"
# A change of scope reaching more learners than this (an assignment to a
# province) refreshes the report's figures in the background, not in the
# admin's request (~1.25 ms a learner); a run whose heartbeat is older than
# the lease is taken over by the beat sweep.
REPORTS_REFRESH_INLINE_MAX = int(os.environ.get("REPORTS_REFRESH_INLINE_MAX", "2000"))
REPORTS_REFRESH_LEASE_SECONDS = int(
    os.environ.get("REPORTS_REFRESH_LEASE_SECONDS", "300")
)
# Learning records out (xAPI, docs/xapi.md): each learning event writes its
# statements into the outbox when the learner's site has an LRS switched on.
# The platform as an LTI 1.3 tool (docs/lti.md) hears the same records: a
# course completed or its test passed by a learner launched from a school's
# LMS writes the score owed to its grade book.
COURSES_LEARNING_RECORDED = [
    "hocvuso.xapi.services.learning_record_write",
    "hocvuso.lti.services.learning_record_write",
]
# Statements a POST carries, POSTs a site gets per run of the drain (every
# minute), and the seconds to connect and to read the answer: a slow LRS
# holds a worker, never a learner.
XAPI_BATCH_SIZE = int(os.environ.get("XAPI_BATCH_SIZE", "100"))
XAPI_DRAIN_BATCHES = int(os.environ.get("XAPI_DRAIN_BATCHES", "50"))
XAPI_TIMEOUT_SECONDS = (3.05, 10)
# Sent statements are kept this many days (to answer "was it sent?").
XAPI_SENT_RETENTION_DAYS = int(os.environ.get("XAPI_SENT_RETENTION_DAYS", "7"))
# An LRS at http://127.0.0.1 or http://localhost (a test's stand-in): allowed
# with DEBUG or this; every other address must be https.
XAPI_ALLOW_LOCAL_HTTP = env_bool("XAPI_ALLOW_LOCAL_HTTP", False)
# LTI 1.3 tool (docs/lti.md): seconds to connect to and read from a
# platform (its keys at a launch, its token and score endpoints from Celery),
# and the passphrase of the tool's private keys (stored encrypted; set it
# apart from SECRET_KEY in production, as CERTIFICATES_KEY_PASSPHRASE).
LTI_TIMEOUT_SECONDS = (3.05, 10)
LTI_KEY_PASSPHRASE = os.environ.get("LTI_KEY_PASSPHRASE") or SECRET_KEY
UNITS_CSV = Path(
    os.environ.get(
        "UNITS_CSV", PROJECT_DIR / "orgunits" / "data" / "don-vi-hanh-chinh-2025.csv"
    )
)

# --- Personal data (Law 91/2025, Decree 356/2025) -----------------------------
# The deadlines themselves are the law's: hocvuso/privacy/deadlines.py.
PRIVACY_REMIND_DAYS_BEFORE = int(os.environ.get("PRIVACY_REMIND_DAYS_BEFORE", "3"))

# --- Certificates --------------------------------------------------------------
# Printed in the QR code and on the PDF: the public address of the site.
CERTIFICATES_SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Public verification: lookups allowed per IP address per minute.
CERTIFICATES_VERIFY_PER_MINUTE = int(
    os.environ.get("CERTIFICATES_VERIFY_PER_MINUTE", "30")
)
# Which holders' certificates an administrator may see and act on (their subtree).
CERTIFICATES_ADMIN_SCOPE = "hocvuso.orgunits.certificate_scope.certificates_in_scope"
# Decrypts the private keys that sign the verifiable credentials (stored
# encrypted in the database; docs/verifiable-credentials.md). Set it apart
# from SECRET_KEY in production, so that changing SECRET_KEY does not lock
# the keys; a lost passphrase is recovered by `manage.py credential_key_rotate`.
CERTIFICATES_KEY_PASSPHRASE = (
    os.environ.get("CERTIFICATES_KEY_PASSPHRASE") or SECRET_KEY
)
# The site whose certificate template a learner's certificates use: their
# province's site (issue 22), else the default site.
CERTIFICATES_SITE_FOR_LEARNER = "hocvuso.province_sites.selectors.site_for_learner"
# Test-only: the render waits while this file exists (see certificates.services).
CERTIFICATES_RENDER_PAUSE_FILE = os.environ.get("CERTIFICATES_RENDER_PAUSE_FILE", "")

# --- Backups (hocvuso.core.backups, deploy/backup, deploy/restore-drill) ---------
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "var" / "backups"))
# The newest backup of each of the last BACKUP_KEEP_DAILY days that have one,
# and of each of the last BACKUP_KEEP_WEEKLY ISO weeks; older ones are deleted.
BACKUP_KEEP_DAILY = int(os.environ.get("BACKUP_KEEP_DAILY", "7"))
BACKUP_KEEP_WEEKLY = int(os.environ.get("BACKUP_KEEP_WEEKLY", "5"))
# Where pg_dump and pg_restore are (empty: on PATH); the same major version as
# the server or newer.
PG_BIN = os.environ.get("PG_BIN", "")
