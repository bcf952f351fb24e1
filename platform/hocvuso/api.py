"""The project's JSON API; each domain app contributes a router."""

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

from courses.api import router as media_router
from courses.api_auth import ConsentRequired
from quizzes.api import router as quiz_router
from quizzes.services import QuizError

api = NinjaAPI(
    title="Bình dân học vụ số API",
    version="1",
    urls_namespace="api",
    docs_url=None,  # the schema is public at /api/openapi.json; no docs UI is served
)
api.add_router("/", quiz_router)
api.add_router("/", media_router)


@api.exception_handler(QuizError)
def quiz_error(request, exc: QuizError):
    return JsonResponse({"detail": str(exc)}, status=exc.status)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    # The page shows "detail" to the learner; the field list is for developers.
    return JsonResponse(
        {"detail": _("Dữ liệu gửi lên không hợp lệ."), "errors": exc.errors},
        status=422,
    )


@api.exception_handler(ConsentRequired)
def consent_required(request, exc: ConsentRequired):
    return JsonResponse(
        {
            "detail": _(
                "Bạn cần đồng ý với thông báo xử lý dữ liệu cá nhân trước khi "
                "học và làm bài."
            ),
            "consent_url": reverse("consent"),
        },
        status=403,
    )
