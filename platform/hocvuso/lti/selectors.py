from urllib.parse import urlsplit

from courses.models import CoursePage

from .models import LtiPlatform


def course_for_launch(*, course_id: int) -> CoursePage | None:
    return CoursePage.objects.live().public().filter(pk=course_id).first()


def courses_for_linking() -> list[CoursePage]:
    """What a teacher may place in their LMS: every live, public course."""
    return list(
        CoursePage.objects.live()
        .public()
        .order_by("path")
        .only("id", "title", "summary")
    )


def platform_origins(platform: LtiPlatform) -> list[str]:
    """The origins a platform's pages come from: its issuer and its
    authorisation endpoint (which may sit elsewhere), for the launch page's
    frame-ancestors and the deep-linking answer's form-action."""
    origins = set()
    for url in (platform.issuer, platform.auth_login_url):
        try:
            parts = urlsplit(url)
        except ValueError:
            continue
        if parts.scheme in ("https", "http") and parts.netloc:
            origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)
