"""The tool's public endpoints (docs/lti.md). The login initiation, the
launch and the deep-linking choice are posted by a learning management
system's page, on another site: no CSRF token can come with them (the
state cookie, the signed id_token and our own signature stand in), and
their pages may be shown in the platform's frame."""

from django.contrib.auth import login
from django.core import signing
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.lineitem import LineItem

from hocvuso.accounts.decorators import PLACE_PENDING_SESSION_KEY, learner_gate_url
from hocvuso.accounts.models import User

from . import claims as launch_claims
from .entry import entry_ticket, entry_ticket_use
from .keys import tool_jwks
from .launch import LaunchRefused, login_redirect, message_launch_validated
from .models import LtiPlatform
from .selectors import course_for_launch, courses_for_linking, platform_origins
from .services import launch_accept
from .tool_config import PlatformRegistration

CHOICE_SALT = "hocvuso.lti.deep-link"
CHOICE_SECONDS = 3600
# A new account's place step, as after a sign-up (accounts.decorators).
NEW_ACCOUNT_SESSION_FLAG = PLACE_PENDING_SESSION_KEY


def _refusal(request, message: str):
    response = render(request, "lti/refused.html", {"message": message}, status=400)
    # Shown where the refused request was: often the platform's frame.
    response._csp_update = {"frame-ancestors": ["*"]}
    return response


def _framed_by(response, platform: LtiPlatform, *, form_action: bool = False):
    origins = platform_origins(platform)
    update = {"frame-ancestors": origins}
    if form_action:
        update["form-action"] = origins
    response._csp_update = update
    return response


def _launch_url(request) -> str:
    return request.build_absolute_uri(reverse("lti_launch"))


@csrf_exempt
@xframe_options_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def login_initiation(request):
    """Third-party initiated login: on to the platform's authorisation
    endpoint, which posts the id_token back to the launch."""
    try:
        return login_redirect(request, launch_url=_launch_url(request))
    except LaunchRefused as refused:
        return _refusal(request, refused.message)


@csrf_exempt
@xframe_options_exempt
@never_cache
@require_POST
def launch(request):
    try:
        message = message_launch_validated(request)
        claims = message.get_launch_data()
        platform = message._registration.platform
        if message.is_deep_link_launch():
            return _deep_link_choices(request, platform=platform, claims=claims)
        if not message.is_resource_launch():
            raise LaunchRefused(
                _("Hệ thống quản lý học tập gửi một loại yêu cầu chưa được hỗ trợ.")
            )
        course = course_for_launch(course_id=launch_claims.course_id(claims))
        if course is None:
            raise LaunchRefused(_("Không tìm thấy khóa học mà liên kết này trỏ tới."))
        accepted = launch_accept(platform=platform, claims=claims, course=course)
    except LaunchRefused as refused:
        return _refusal(request, refused.message)
    ticket = entry_ticket(user_id=accepted.user.pk, course_id=course.pk)
    entry_url = reverse("lti_entry", args=[ticket])
    if accepted.created:
        entry_url += "?moi=1"
    response = render(
        request, "lti/launch.html", {"course": course, "entry_url": entry_url}
    )
    return _framed_by(response, platform)


@never_cache
@require_GET
def entry(request, ticket: str):
    """The new window: the ticket signs the learner in, then the course
    (after the consent notice, and for a new account where they live)."""
    found = entry_ticket_use(ticket)
    user = User.objects.filter(pk=found[0], is_active=True).first() if found else None
    course = course_for_launch(course_id=found[1]) if found else None
    if user is None or course is None:
        return _refusal(
            request,
            _(
                "Liên kết mở khóa học đã hết hạn hoặc đã được dùng. Hãy quay lại "
                "hệ thống quản lý học tập của trường và bấm mở lại."
            ),
        )
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if request.GET.get("moi") == "1" and user.unit_id is None:
        request.session[NEW_ACCOUNT_SESSION_FLAG] = True
    course_url = course.get_url(request)
    return redirect(learner_gate_url(request, come_back_to=course_url) or course_url)


def _deep_link_choices(request, *, platform: LtiPlatform, claims: dict):
    return_url = launch_claims.deep_link_return_url(claims)
    choice = signing.dumps(
        {
            "p": platform.pk,
            "d": claims.get(launch_claims.DEPLOYMENT_ID),
            "s": claims.get(launch_claims.DEEP_LINKING_SETTINGS),
            "r": return_url,
        },
        salt=CHOICE_SALT,
        compress=True,
    )
    response = render(
        request,
        "lti/deep_link_choose.html",
        {"courses": courses_for_linking(), "choice": choice, "platform": platform},
    )
    return _framed_by(response, platform)


@csrf_exempt
@xframe_options_exempt
@never_cache
@require_POST
def deep_link_answer(request):
    """The teacher's choice, signed and posted back to the platform. The
    form carries our own signed summary of the deep-linking request, so
    nothing here depends on a cookie inside the platform's frame."""
    try:
        data = signing.loads(
            request.POST.get("choice", ""), salt=CHOICE_SALT, max_age=CHOICE_SECONDS
        )
        platform = LtiPlatform.objects.filter(pk=data["p"], enabled=True).first()
        course_number = request.POST.get("course", "")
        course = (
            course_for_launch(course_id=int(course_number))
            if course_number.isascii()
            and course_number.isdigit()
            and len(course_number) < 18
            else None
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        platform = course = None
    if platform is None:
        return _refusal(
            request,
            _(
                "Trang chọn khóa học đã hết hạn. Hãy quay lại hệ thống quản lý "
                "học tập và bấm chọn lại."
            ),
        )
    if course is None:
        return _refusal(request, _("Hãy chọn một khóa học trong danh sách."))
    resource = (
        DeepLinkResource()
        .set_type("ltiResourceLink")
        .set_title(course.title)
        .set_url(_launch_url(request))
        .set_custom_params({launch_claims.COURSE_PARAMETER: str(course.pk)})
        .set_lineitem(
            LineItem()
            .set_label(course.title)
            .set_score_maximum(100)
            .set_resource_id(f"khoa-hoc-{course.pk}")
        )
    )
    deep_link = DeepLink(PlatformRegistration(platform), data["d"], data["s"] or {})
    response = render(
        request,
        "lti/deep_link_answer.html",
        {
            "return_url": data["r"],
            "jwt": deep_link.get_response_jwt([resource]),
            "course": course,
        },
    )
    return _framed_by(response, platform, form_action=True)


@require_GET
def jwks(request):
    """The tool's public keys, for the platforms to check our signatures."""
    response = JsonResponse(tool_jwks())
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response
