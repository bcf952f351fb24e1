"""Which site a learner's statements go to, what a page is called in them,
and how the outbox stands."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Max, Min, Q
from wagtail.models import Page, Site

from courses.models import CoursePage, LessonPage, ProgrammePage
from courses.page_cache import cached
from hocvuso.orgunits.models import Unit
from hocvuso.province_sites.models import ProvinceSite
from quizzes.models import QuizPage

from .models import LrsSettings, Statement
from .statements import ASSESSMENT, COURSE, LESSON, PROGRAMME, Activity


@dataclass(frozen=True)
class Routes:
    """Sites whose LRS is on, by the province their learners live in. A
    learner whose province has no site of its own (or who gave no place)
    belongs to the default site, as for certificates."""

    by_province: dict[str, int | None] = field(default_factory=dict)
    default_site_id: int | None = None
    home_pages: dict[int, str] = field(default_factory=dict)

    def site_for(self, unit_path: str | None) -> int | None:
        province = (unit_path or "")[: Unit.steplen]
        if province in self.by_province:
            return self.by_province[province]
        return self.default_site_id


def _routes_read() -> Routes | None:
    active = {
        s.site_id: s.site.root_url
        for s in LrsSettings.objects.filter(enabled=True)
        .exclude(endpoint="")
        .select_related("site")
    }
    if not active:
        return None
    by_province = {
        path: site_id if site_id in active else None
        for path, site_id in ProvinceSite.objects.exclude(province=None).values_list(
            "province__path", "site_id"
        )
    }
    default = Site.objects.filter(is_default_site=True).values_list("pk", flat=True)
    default_id = default.first()
    return Routes(
        by_province=by_province,
        default_site_id=default_id if default_id in active else None,
        home_pages={pk: f"{root}/" for pk, root in active.items()},
    )


def routes_get() -> Routes | None:
    """None when no site sends statements: the learning event's whole cost."""
    return cached("xapi-routes", _routes_read, in_process=True)


_TYPES = (
    (QuizPage, ASSESSMENT),
    (LessonPage, LESSON),
    (CoursePage, COURSE),
    (ProgrammePage, PROGRAMME),
)


def _activity_read(site_id: int, page_id: int) -> Activity | None:
    page = Page.objects.filter(pk=page_id).select_related("content_type").first()
    site = Site.objects.filter(pk=site_id).first()
    if page is None or site is None:
        return None
    model = page.content_type.model_class()
    kind = next((t for m, t in _TYPES if model and issubclass(model, m)), COURSE)
    parts = page.get_url_parts()
    path = parts[2] if parts else f"/?page={page.pk}"
    return Activity(id=f"{site.root_url}{path}", name=page.title, type=kind)


def activity_get(*, site_id: int, page_id: int) -> Activity | None:
    """The page as an activity of `site_id`: its public address on that
    site and its (Vietnamese) title."""
    return cached(
        f"xapi-activity:{site_id}:{page_id}",
        lambda: _activity_read(site_id, page_id),
        in_process=True,
    )


@dataclass(frozen=True)
class SiteOutbox:
    site: str
    pending: int
    failing: int
    sent: int
    oldest_pending: datetime | None
    last_sent: datetime | None
    last_error: str


def outbox_status_list() -> list[SiteOutbox]:
    rows = (
        Statement.objects.values("site_id", "site__hostname", "site__port")
        .annotate(
            pending=Count("id", filter=Q(sent_at=None)),
            failing=Count("id", filter=Q(sent_at=None, attempts__gt=0)),
            sent=Count("id", filter=~Q(sent_at=None)),
            oldest=Min("created_at", filter=Q(sent_at=None)),
            last_sent=Max("sent_at"),
        )
        .order_by("site__hostname", "site__port")
    )

    def last_error(site_id: int) -> str:
        failed = (
            Statement.objects.filter(site_id=site_id, sent_at=None)
            .exclude(last_error="")
            .order_by("-id")
            .values_list("last_error", flat=True)
        )
        return failed.first() or ""

    return [
        SiteOutbox(
            site=f"{r['site__hostname']}:{r['site__port']}",
            pending=r["pending"],
            failing=r["failing"],
            sent=r["sent"],
            oldest_pending=r["oldest"],
            last_sent=r["last_sent"],
            last_error=last_error(r["site_id"]),
        )
        for r in rows
    ]
