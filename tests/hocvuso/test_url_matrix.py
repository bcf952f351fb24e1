"""DESIGN §5.5, enumerated: every URL the project, allauth, the API and
Wagtail register, requested as each of nine roles, against a rule that says
who may use it. The URLs come from the resolver, not from a hand-kept list,
and a URL without a rule fails the test: a new page cannot be forgotten."""

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.socialaccount.models import SocialApp
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern
from django.utils import timezone
from hocvuso.accounts.models import ImportJob, User
from hocvuso.accounts.services import consent_give
from hocvuso.campaigns.models import Campaign
from hocvuso.lti.models import LtiPlatform
from hocvuso.orgunits.models import AdminRole, AdminRoleKind, Assignment, Unit
from hocvuso.orgunits.services import team_create
from hocvuso.privacy.services import erasure_request
from hocvuso.reports.models import ExportJob, ReportSnapshot
from hocvuso.training.models import TrainingClass
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupApprovalTask,
    Page,
    PageViewRestriction,
    Site,
    Workflow,
)

from certificates.models import RegenerationJob
from certificates.services import certificate_issue, credential_key_current
from courses.models import CourseCompletion, CoursePage, LessonMedia, LessonPage
from quizzes.models import Question
from quizzes.services import attempt_start

from ..courses.package_helpers import package_from_folder

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "learner",
    "team_leader",
    "editor",
    "communeA",
    "communeB",
    "provinceA",
    "provinceB",
    "superuser",
]
# The matrix's roles → the org_tree fixture's users.
TREE_LABELS = {
    "learner": "learner",
    "team_leader": "team_leader",
    "communeA": "commune0.0",
    "communeB": "commune0.1",
    "provinceA": "province0",
    "provinceB": "province1",
    "superuser": "superuser",
}
UNIT_ADMINS = {"communeA", "communeB", "provinceA", "provinceB"}
CMS_USERS = UNIT_ADMINS | {"editor", "superuser"}
LOGIN_PATHS = ("/tai-khoan/login/", "/cms/login/", "/django-admin/login/")


# ---------------------------------------------------------------- the world


@dataclass
class World:
    tree: Any
    users: dict[str, User]
    # The units a unit-scoped URL is tried with: each admin's own and others.
    units: list[Unit]
    objects: dict[str, Any] = field(default_factory=dict)

    def in_scope(self, role: str, unit: Unit) -> bool:
        if role == "superuser":
            return True
        label = TREE_LABELS.get(role)
        root = self.tree.admin_units.get(label) if label else None
        return root is not None and unit.path.startswith(root.path)


def _world(tree, build_catalog, make_quiz, notice) -> World:
    build_catalog(courses=1, lessons=1)
    quiz = make_quiz(questions=2, draw=2)
    course = CoursePage.objects.get()
    lesson = LessonPage.objects.first()
    users = {role: tree.admins[label] for role, label in TREE_LABELS.items()}
    editor = User.objects.create_user(
        username="bien_tap", password="Matkhau@2025", full_name="Biên Tập"
    )
    AdminRole.objects.create(
        user=editor, role=AdminRoleKind.CONTENT_EDITOR, unit=tree.provinces[0]
    )
    users["editor"] = editor
    # Administrators without a second factor are sent to set one up; every
    # account has one here, so the two-factor pages have something to show.
    for user in users.values():
        TOTP.activate(user, generate_totp_secret())
        RecoveryCodes.activate(user)
    for user in users.values():
        consent_give(user=user, notice=notice)
    learner = users["learner"]
    commune_a = tree.communes[0]
    attempt = attempt_start(user=learner, quiz=quiz)
    completion = CourseCompletion.objects.create(
        user=learner, course=course, completed_at=timezone.now(), score_percent=90
    )
    certificate = certificate_issue(course_completion_id=completion.pk)
    home = Page.objects.get(depth=2)
    private = home.add_child(instance=Page(title="Trang riêng", slug="trang-rieng"))
    restriction = PageViewRestriction.objects.create(
        page=private, restriction_type="password", password="matkhau"
    )
    document = Document.objects.create(
        title="Tài liệu thử", file=ContentFile(b"%PDF-1.4 thu", name="thu.pdf")
    )
    image = Image.objects.create(title="Ảnh thử", file=get_test_image_file())
    workflow = Workflow.objects.first()
    task = GroupApprovalTask.objects.first()
    # A page of its own in moderation, so the course stays editable.
    moderated = home.add_child(instance=Page(title="Chờ duyệt", slug="cho-duyet"))
    moderated.save_revision()
    workflow_state = workflow.start(moderated, users["superuser"])
    collection = Collection.get_first_root_node().add_child(name="Bộ sưu tập thử")
    collection_restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type="password", password="matkhau"
    )
    for province in tree.provinces:
        tree.teams[province.code] = team_create(
            unit=province, name=f"Tổ Tỉnh đoàn {province.code}", kind="youth_union"
        )
    import_job = ImportJob.objects.create(
        created_by=users["communeA"], file_name="thu.csv", rows=[["a"]], outcomes=[]
    )
    export_job = ExportJob.objects.create(
        requested_by=users["communeA"],
        kind="report_xlsx",
        unit=commune_a,
        status="done",
        file=ContentFile(b"PK", name="bao-cao.xlsx"),
    )
    objects = {
        "data_request": erasure_request(user=learner),
        "quiz": quiz,
        "course": course,
        "lesson": lesson,
        "catalog": course.get_parent(),
        "attempt": attempt,
        "question": Question.objects.first(),
        "certificate": certificate,
        "private": private,
        "restriction": restriction,
        "document": document,
        "image": image,
        "workflow": workflow,
        "task": task,
        "workflow_state": workflow_state,
        "task_state": workflow_state.current_task_state,
        "import_job": import_job,
        "export_job": export_job,
        "snapshot": ReportSnapshot.objects.create(
            unit=commune_a,
            subject_key=f"course:{course.pk}",
            subject_title=course.title,
            quarter="2026-Q3",
            created_by=users["communeA"],
            created_at=timezone.now(),
        ),
        "regeneration": RegenerationJob.objects.create(started_by=users["superuser"]),
        "media": LessonMedia.objects.create(title="Video thử", kind="video"),
        "package": package_from_folder(),
        "h5p_package": package_from_folder("h5p"),
        "notice": notice,
        "redirect": Redirect.objects.create(old_path="/cu", redirect_link="/moi"),
        # A school's LMS registered for LTI launches; nothing here calls it.
        "lti_platform": LtiPlatform.objects.create(
            name="Moodle thử",
            issuer="https://moodle.example.edu.vn",
            client_id="hocvuso",
            deployment_ids="1",
            auth_login_url="http://127.0.0.1:9/auth",
            auth_token_url="http://127.0.0.1:9/token",
            key_set_url="http://127.0.0.1:9/jwks",
        ),
        "collection": collection,
        "collection_restriction": collection_restriction,
        "moderated": moderated,
        "site": Site.objects.first(),
        # An identity provider offered on every site; nothing here calls it.
        "identity_app": SocialApp.objects.create(
            provider="openid_connect",
            provider_id="dinh-danh",
            name="Định danh",
            client_id="hocvuso",
            secret="bi-mat",
            settings={"server_url": "http://127.0.0.1:9", "sites": ["*"]},
        ),
        "revision": course.latest_revision,
    }
    objects["group"] = task.groups.first()
    units = [
        commune_a,  # communeA's own commune
        tree.villages[0],  # a village of it, the team leader's
        tree.communes[1],  # communeB's
        tree.communes[3],  # in province B
        tree.provinces[0],
    ]
    return World(tree=tree, users=users, units=units, objects=objects)


# ------------------------------------------------------ the registered URLs


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", or the route itself for an unnamed pattern
    route: str  # the concatenated pattern text, for messages
    pattern: URLPattern
    prefix: list  # the resolvers above it, outermost first


def _routes(resolver=None, prefix=(), namespace="") -> list[Route]:
    resolver = resolver or get_resolver()
    out = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            out += _routes(entry, (*prefix, entry), ns)
        else:
            text = "".join(str(p.pattern) for p in (*prefix, entry))
            name = entry.name and (
                f"{namespace}:{entry.name}" if namespace else entry.name
            )
            out.append(Route(name or text, text, entry, list(prefix)))
    return out


def _build(route: Route, kwargs: dict) -> str:
    """The concrete path: each level's pattern text with its arguments filled
    in (reverse() cannot reach unnamed patterns or duplicated names)."""
    parts = []
    for level in (*route.prefix, route.pattern):
        text = str(level.pattern)
        if isinstance(level.pattern, RegexPattern):
            text = re.sub(
                r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), text
            )
            text = text.lstrip("^").rstrip("$").replace("\\.", ".")
        else:
            text = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), text)
        parts.append(text)
    return "/" + "".join(parts)


# ------------------------------------------------- how arguments are filled


@dataclass(frozen=True)
class Target:
    """One concrete request of a route: its path (and the unit it is about)."""

    path: str
    unit: Unit | None = None


def _pk(name: str) -> Callable:
    return lambda w: w.objects[name].pk


# By URL name: every argument of the route at once, as (kwargs, unit) pairs.
def _unit_codes(w: World) -> list[tuple[dict, Unit]]:
    return [({"code": u.code}, u) for u in w.units]


def _unit_pks(w: World) -> list[tuple[dict, Unit]]:
    return [({"pk": u.pk}, u) for u in w.units]


def _team_pks(w: World, kwarg: str = "pk") -> list[tuple[dict, Unit]]:
    return [({kwarg: w.tree.teams[u.code].pk}, u) for u in w.units]


def _fresh_assignments(w: World) -> list[tuple[dict, Unit]]:
    """A new assignment per request: removing it is what the view does."""

    def fresh(unit):
        return Assignment.objects.create(
            course=w.objects["course"],
            unit=unit,
            starts_on=date(2026, 12, 1),
            due_on=date(2026, 12, 31),
        ).pk

    return [(lambda u=u: {"pk": fresh(u)}, u) for u in w.units]


def _fresh_document(w: World) -> dict:
    doc = Document.objects.create(
        title="Tài liệu tạm", file=ContentFile(b"%PDF-1.4", name="tam.pdf")
    )
    return {"doc_id": doc.pk}


def _fresh_image(w: World) -> dict:
    return {
        "image_id": Image.objects.create(title="Ảnh tạm", file=get_test_image_file()).pk
    }


def _fresh_erasure_requests(w: World) -> list[tuple[Callable, Unit]]:
    """A new learner of the first village asking for deletion, per request:
    carrying a deletion out is what the view does."""
    counter = iter(range(1, 10_000))

    def fresh():
        n = next(counter)
        person = User.objects.create_user(
            username=f"xoa_{n}", full_name="Người Xin Xóa", unit=w.tree.villages[0]
        )
        return {"pk": erasure_request(user=person).pk}

    return [(fresh, w.tree.villages[0])]


def _training_classes(w: World) -> list[tuple[dict, Unit]]:
    """A class held by each unit: its admins, and those above, manage it."""
    starts = timezone.now() + timedelta(days=10)
    return [
        (
            {
                "pk": TrainingClass.objects.create(
                    title="Lớp ma trận",
                    course=w.objects["course"],
                    kind="in_person",
                    place="Hội trường",
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=2),
                    trainer="Giảng viên",
                    capacity=10,
                    unit=unit,
                ).pk
            },
            unit,
        )
        for unit in w.units
    ]


def _campaigns(w: World) -> list[tuple[dict, Unit]]:
    """A campaign organised by each unit: its admins, and those above, manage it."""
    today = timezone.localdate()
    out = []
    for unit in w.units:
        campaign = Campaign.objects.create(
            name="Chiến dịch ma trận",
            starts_on=today,
            ends_on=today + timedelta(days=10),
            owner_unit=unit,
        )
        campaign.units.set([unit])
        out.append(({"pk": campaign.pk}, unit))
    return out


BY_NAME: dict[str, Callable[[World], list]] = {
    "campaign_add": _unit_codes,
    "campaign_edit": _campaigns,
    "campaign_board_unit": lambda w: [({"code": p.code}, p) for p in w.tree.provinces],
    "privacy_request_erase": _fresh_erasure_requests,
    "team_detail": lambda w: _team_pks(w, "team_id"),
    "team_person_add": lambda w: _team_pks(w, "team_id"),
    "orgunits_team:edit": _team_pks,
    "orgunits_team:delete": _team_pks,
    "orgunits_team:history": _team_pks,
    "orgunits_team:history_results": _team_pks,
    "orgunits_team:usage": _team_pks,
    "orgunits_unit:edit": _unit_pks,
    "orgunits_unit:delete": _unit_pks,
    "orgunits_unit:history": _unit_pks,
    "orgunits_unit:history_results": _unit_pks,
    "orgunits_unit:usage": _unit_pks,
    "unit_assignment_remove": _fresh_assignments,
    "training_class_add": _unit_codes,
    "wagtaildocs:delete_multiple": lambda w: [(lambda: _fresh_document(w), None)],
    "wagtailimages:delete_multiple": lambda w: [(lambda: _fresh_image(w), None)],
}
for _name in (
    "report_unit",
    "report_xlsx",
    "report_csv",
    "report_learners",
    "report_snapshot_create",
    "report_live",
    "unit_admin_detail",
    "unit_village_add",
    "unit_team_add",
    "unit_assignment_add",
    "unit_target_set",
):
    BY_NAME[_name] = _unit_codes
for _name in (
    "training_class_detail",
    "training_class_edit",
    "training_class_cancel",
    "training_class_mark",
    "training_class_qr",
    "training_class_qr_png",
    "training_class_qr_state",
    "training_class_report",
    "training_class_report_xlsx",
):
    BY_NAME[_name] = _training_classes

# By URL name and argument: what that argument means there.
BY_NAME_KWARG: dict[tuple[str, str], Callable[[World], Any]] = {
    ("certificate_pdf", "code"): lambda w: w.objects["certificate"].code,
    ("certificate_verify", "code"): lambda w: w.objects["certificate"].code,
    ("certificate_png", "code"): lambda w: w.objects["certificate"].code,
    ("certificate_credential", "code"): lambda w: w.objects["certificate"].code,
    ("credential_key", "key_id"): lambda w: credential_key_current().key_id,
    # A forged entry ticket: refused with the Vietnamese 400 page.
    ("lti_entry", "ticket"): lambda w: "ve-gia-mao",
    ("certificates_admin_detail", "pk"): _pk("certificate"),
    ("certificates_admin_regenerate", "pk"): _pk("regeneration"),
    ("privacy_my_data_download", "fmt"): lambda w: "json",
    ("privacy_request_detail", "pk"): _pk("data_request"),
    ("report_snapshot", "pk"): _pk("snapshot"),
    ("report_snapshot_xlsx", "pk"): _pk("snapshot"),
    ("report_export_job", "pk"): _pk("export_job"),
    ("report_export_download", "pk"): _pk("export_job"),
    ("courses_lessonmedia_retry", "pk"): _pk("media"),
    ("content_package_file", "uuid"): lambda w: w.objects["package"].uuid,
    ("content_package_file", "path"): lambda w: "bai/index.html",
    ("content_package_player", "uuid"): lambda w: w.objects["h5p_package"].uuid,
    ("wagtailadmin_pages:revisions_compare", "pk"): _pk("course"),
    ("wagtailadmin_pages:revisions_compare", "revision_id_a"): lambda w: "earliest",
    ("wagtailadmin_pages:revisions_compare", "revision_id_b"): lambda w: "latest",
    ("wagtailadmin_api:pages:detail", "pk"): _pk("course"),
    ("wagtailadmin_api:pages:action", "pk"): _pk("course"),
    ("wagtailadmin_api:documents:detail", "pk"): _pk("document"),
    ("wagtailadmin_api:images:detail", "pk"): _pk("image"),
    ("wagtailadmin_pages:add", "parent_page_id"): _pk("catalog"),
    ("wagtailadmin_pages:preview_on_add", "parent_page_id"): _pk("catalog"),
    ("wagtailadmin_workflows:add_task", "app_label"): lambda w: "wagtailcore",
    ("wagtailadmin_workflows:add_task", "model_name"): lambda w: "groupapprovaltask",
    ("wagtailadmin_editing_sessions:ping", "app_label"): lambda w: "wagtailcore",
    ("wagtailadmin_editing_sessions:ping", "model_name"): lambda w: "page",
    ("wagtailadmin_editing_sessions:ping", "object_id"): _pk("course"),
    ("wagtail_bulk_action", "app_label"): lambda w: "wagtailcore",
    ("wagtail_bulk_action", "model_name"): lambda w: "page",
    ("wagtail_bulk_action", "action"): lambda w: "publish",
    ("wagtailadmin_tag_model_autocomplete", "app_name"): lambda w: "taggit",
    ("wagtailadmin_tag_model_autocomplete", "model_name"): lambda w: "tag",
    ("wagtailsettings:edit", "app_name"): lambda w: "certificates",
    ("wagtailsettings:edit", "model_name"): lambda w: "certificatesettings",
    ("wagtailsettings:preview_on_edit", "app_name"): lambda w: "certificates",
    ("wagtailsettings:preview_on_edit", "model_name"): lambda w: "certificatesettings",
    ("wagtailsettings:edit", "pk"): _pk("site"),
    ("wagtailsettings:preview_on_edit", "pk"): _pk("site"),
    ("admin:view_on_site", "content_type_id"): lambda w: (
        ContentType.objects.get_for_model(Page).pk
    ),
    ("admin:view_on_site", "object_id"): _pk("course"),
    ("admin:app_list", "app_label"): lambda w: "auth",
    ("wagtailadmin_api:pages:action", "action_name"): lambda w: "publish",
    ("wagtailadmin_pages:workflow_action", "page_id"): _pk("moderated"),
    ("wagtailadmin_pages:collect_workflow_action_data", "page_id"): _pk("moderated"),
    ("wagtailadmin_pages:confirm_workflow_cancellation", "page_id"): _pk("moderated"),
    ("wagtailadmin_pages:workflow_preview", "page_id"): _pk("moderated"),
    ("wagtailadmin_pages:workflow_history_detail", "page_id"): _pk("moderated"),
    ("wagtaildocs_authenticate_with_password", "restriction_id"): _pk(
        "collection_restriction"
    ),
}

# Query strings some views need to do anything at all.
QUERY: dict[str, Callable[[World], str]] = {
    "wagtailadmin_api:pages:find": lambda w: f"?id={w.objects['course'].pk}",
    "wagtailadmin_api:documents:find": lambda w: f"?id={w.objects['document'].pk}",
    "wagtailadmin_api:images:find": lambda w: f"?id={w.objects['image'].pk}",
    "wagtail_bulk_action": lambda w: f"?id={w.objects['course'].pk}",
}

# By the namespace of a `pk` argument: which object it names.
PK_BY_NAMESPACE = {
    "wagtailadmin_collections": "collection",
    "wagtailadmin_workflows": "workflow",
    "wagtailredirects": "redirect",
    "wagtailsites": "site",
    "wagtailusers_users": "learner_user",
    "wagtailusers_groups": "group",
    "wagtailsnippets_accounts_privacynotice": "notice",
    "wagtailsnippetchoosers_accounts_privacynotice": "notice",
    "wagtailsnippets_courses_lessonmedia": "media",
    "wagtailsnippetchoosers_courses_lessonmedia": "media",
    "wagtailsnippets_courses_contentpackage": "package",
    "wagtailsnippetchoosers_courses_contentpackage": "package",
    "wagtailsnippets_quizzes_question": "question",
    "wagtailsnippetchoosers_quizzes_question": "question",
    "wagtaildocs_chooser": "document",
    "wagtailimages_chooser": "image",
    "lti_platform": "lti_platform",
}
TASK_PK_NAMES = {"edit_task", "disable_task", "enable_task"}

# By argument name alone.
BY_KWARG: dict[str, Callable[[World], Any]] = {
    "provider_id": lambda w: w.objects["identity_app"].provider_id,
    "page_id": _pk("course"),
    "parent_page_id": _pk("course"),
    "page_to_move_id": _pk("lesson"),
    "destination_id": _pk("catalog"),
    "page_pk": _pk("course"),
    "workflow_pk": _pk("workflow"),
    "revision_id": lambda w: w.objects["revision"].pk,
    "task_state_id": _pk("task_state"),
    "workflow_state_id": _pk("workflow_state"),
    "task_id": _pk("task"),
    "action_name": lambda w: "approve",
    "content_type_app_name": lambda w: "courses",
    "content_type_model_name": lambda w: "coursepage",
    "app_label": lambda w: "courses",
    "model_name": lambda w: "coursepage",
    "collection_id": _pk("collection"),
    "document_id": _pk("document"),
    "doc_id": _pk("document"),
    "image_id": _pk("image"),
    "filter_spec": lambda w: "original",
    "uploaded_file_id": lambda w: 999999,
    "redirect_id": _pk("redirect"),
    "session_id": lambda w: 999999,
    "object_id": lambda w: w.users["learner"].pk,
    "content_type_id": lambda w: ContentType.objects.get_for_model(User).pk,
    "id": lambda w: w.users["learner"].pk,
    "url": lambda w: "khong-co-trang-nay/",
    "uidb64": lambda w: "MQ",
    "token": lambda w: "sai-ma",
    "uidb36": lambda w: "1",
    "key": lambda w: "sai-ma",
    "restriction_id": _pk("restriction"),
    "page_view_restriction_id": _pk("restriction"),
    "course_id": _pk("course"),
    "language": lambda w: "en",
    "lesson_id": _pk("lesson"),
    "quiz_id": _pk("quiz"),
    "attempt_id": _pk("attempt"),
    "question_id": _pk("question"),
    "job_id": _pk("import_job"),
    "code": lambda w: w.objects["certificate"].code,
}

# Patterns with unnamed groups or catch-alls: the path itself.
BY_ROUTE: dict[str, Callable[[World], str]] = {
    "documents/^(\\d+)/(.*)$": lambda w: w.objects["document"].url,
    "^((?:[\\w\\-]+/)*)$": lambda w: "/",
    "cms/^.*/$": lambda w: "/cms/khong-co-trang-nay/",
}


def _kwarg_value(w: World, route: Route, kwarg: str):
    name = route.key
    if (name, kwarg) in BY_NAME_KWARG:
        return BY_NAME_KWARG[(name, kwarg)](w)
    namespace, _sep, short = name.rpartition(":")
    if kwarg == "pk" and short in TASK_PK_NAMES:
        return w.objects["task"].pk
    if kwarg == "pk" and namespace in PK_BY_NAMESPACE:
        what = PK_BY_NAMESPACE[namespace]
        return w.users["learner"].pk if what == "learner_user" else w.objects[what].pk
    if kwarg == "pk" and namespace == "wagtailadmin_pages":
        return w.objects["course"].pk
    return BY_KWARG[kwarg](w)


def _kwarg_names(route: Route) -> list[str]:
    names = []
    for level in (*route.prefix, route.pattern):
        names += list(level.pattern.regex.groupindex)
    return names


def targets(w: World, route: Route) -> list[Callable[[], Target]]:
    """Each request to make for the route, built lazily (some make objects)."""
    if route.route in BY_ROUTE:
        return [lambda: Target(BY_ROUTE[route.route](w))]
    if route.key in BY_NAME:
        out = []
        for kwargs, unit in BY_NAME[route.key](w):
            out.append(
                lambda kwargs=kwargs, unit=unit: Target(
                    _build(route, kwargs() if callable(kwargs) else kwargs), unit
                )
            )
        return out
    kwargs = {k: _kwarg_value(w, route, k) for k in _kwarg_names(route)}
    query = QUERY[route.key](w) if route.key in QUERY else ""
    return [lambda: Target(_build(route, kwargs) + query)]


# -------------------------------------------------------------- the rules

Who = Callable[[World, str, Unit | None], bool]


@dataclass(frozen=True)
class Rule:
    who: Who
    # POST data for views that take only POST (or always, with method="post").
    data: dict | Callable | None = None
    method: str = "get"
    # For views that answer every outcome with a redirect: where success goes.
    success_location: str | None = None
    # Wagtail's own crash page (/cms/failwhale/): raising is its job.
    raises: bool = False
    json: bool = False  # send `data` as a JSON body (the API)


def _anyone(w, role, unit) -> bool:
    return True


def _logged_in(w, role, unit) -> bool:
    return role != "anonymous"


def _learner_own(w, role, unit) -> bool:
    """Objects of the learner (their attempt, their certificate)."""
    return role == "learner"


def _scoped(w, role, unit) -> bool:
    return w.in_scope(role, unit)


def _team(w, role, unit) -> bool:
    """A team leader's scope is their own team (the first village's)."""
    return w.in_scope(role, unit) or (
        role == "team_leader" and unit == w.tree.villages[0]
    )


def _team_person_adder(w, role, unit) -> bool:
    """The member import's rules: a commune's or a village's team, in scope."""
    return unit.level != "province" and w.in_scope(role, unit)


def _class_organiser(w, role, unit) -> bool:
    """Classes are held by a province or a commune, in the admin's scope."""
    return unit.level != "village" and w.in_scope(role, unit)


def _unit_admin(w, role, unit) -> bool:
    return role in UNIT_ADMINS or role == "superuser"


def _cms(w, role, unit) -> bool:
    return role in CMS_USERS


def _editor(w, role, unit) -> bool:
    return role in ("editor", "superuser")


def _superuser(w, role, unit) -> bool:
    return role == "superuser"


def _import_owner(w, role, unit) -> bool:
    """An import is seen only by the administrator who made it."""
    return role == "communeA"


def _export_owner(w, role, unit) -> bool:
    """The requester of an export of a unit still in their scope, or a superuser."""
    return role in ("communeA", "superuser")


def _closed(w, role, unit) -> bool:
    return False


PUBLIC = Rule(_anyone)
LOGGED_IN = Rule(_logged_in)
LEARNER_OWN = Rule(_learner_own)
SCOPED = Rule(_scoped)
UNIT_ADMIN = Rule(_unit_admin)
CMS = Rule(_cms)
EDITOR = Rule(_editor)
SUPERUSER = Rule(_superuser)
CLOSED = Rule(_closed)


def _learner_village(w, role, unit) -> bool:
    """About the learner, who lives in the first village: their admins."""
    return w.in_scope(role, w.tree.villages[0])


def _certificate_reader(w, role, unit) -> bool:
    return role == "learner" or w.in_scope(role, w.tree.villages[0])


def _snapshot(w, role, unit) -> bool:
    return w.in_scope(role, w.tree.communes[0])


def _province_admin(w, role, unit) -> bool:
    return role in ("provinceA", "provinceB", "superuser")


def _names(*names: str, rule: Rule) -> dict[str, Rule]:
    return dict.fromkeys(names, rule)


def _under(namespace: str, *names: str, rule: Rule) -> dict[str, Rule]:
    return {f"{namespace}:{name}": rule for name in names}


UNIT_FORMS = {
    "unit_village_add": lambda w: {"name": "Thôn Ma Trận", "kind": "thôn"},
    "unit_team_add": lambda w: {"name": "Tổ Ma Trận"},
    "unit_assignment_add": lambda w: {
        "what": f"c{w.objects['course'].pk}",
        "starts_on": "2026-12-01",
        "due_on": "2026-12-31",
        "remind_days_before": "3",
    },
    "unit_target_set": lambda w: {
        "programme": "",
        "learners": "100",
    },
    "report_snapshot_create": lambda w: {"quarter": "2026-Q4"},
}
SNIPPET_VIEWS = (
    "list",
    "list_results",
    "add",
    "edit",
    "delete",
    "usage",
    "history",
    "history_results",
    "copy",
)
CHOOSER_VIEWS = ("choose", "choose_results", "chosen", "chosen_multiple", "create")
DJANGO_ADMIN_MODELS = (
    "mfa_authenticator",
    "auth_group",
    "accounts_user",
    "accounts_consent",
    "wagtaildocs_document",
    "wagtailimages_image",
    "taggit_tag",
    "account_emailaddress",
    "socialaccount_socialapp",
    "socialaccount_socialaccount",
    "socialaccount_socialtoken",
)

RULES: dict[str, Rule] = {
    # ---- the project's own pages
    **_names(
        "healthz", "text_size_toggle", "set_language", "site_colours", rule=PUBLIC
    ),
    **_names("consent", "profile", "place_choose", rule=LOGGED_IN),
    "profile_place_fields": PUBLIC,  # the sign-up form's commune and village lists
    "page_state": PUBLIC,  # a public page's personal part: anyone, their own only
    **_names("course_enrol", "lesson_mark_done", "my_courses", rule=LOGGED_IN),
    "quiz_start": LOGGED_IN,
    **_names("quiz_attempt", "quiz_submit_form", "quiz_result", rule=LEARNER_OWN),
    **_names("quiz_service_worker", "quiz_offline", rule=PUBLIC),
    "my_certificates": LOGGED_IN,
    **_names(
        "certificate_pdf", "certificate_credential", rule=Rule(_certificate_reader)
    ),
    **_names(
        "certificate_verify_form", "certificate_verify", "certificate_png", rule=PUBLIC
    ),
    # Verifiable credentials: what any verifier reads, and the checks.
    **_names(
        "credential_jwks",
        "credential_key",
        "credential_issuer",
        "credential_status_list",
        "credential_verify_page",
        "credential_verify_api",
        rule=PUBLIC,
    ),
    # LTI 1.3 (docs/lti.md): what a school's LMS and its users' browsers
    # reach without an account here; each answers a refusal (400) to
    # anything but a valid launch.
    **_names(
        "lti_login",
        "lti_launch",
        "lti_entry",
        "lti_deep_link_answer",
        "lti_jwks",
        rule=PUBLIC,
    ),
    # The LMS registrations decide who signs in here: superusers only.
    **_under(
        "lti_platform",
        "index",
        "index_results",
        "add",
        "edit",
        "delete",
        "history",
        "history_results",
        "usage",
        rule=SUPERUSER,
    ),
    # ---- the JSON API (django-ninja)
    "api:openapi-json": PUBLIC,
    "api:api-root": CLOSED,  # no docs UI is served (docs_url=None)
    "api:start": LOGGED_IN,
    "api:media_heartbeat": LOGGED_IN,
    "api:package_report": LOGGED_IN,
    "api:package_resume": LOGGED_IN,
    # A content package's files: public like the lessons that show them.
    "content_package_file": PUBLIC,
    "content_package_player": PUBLIC,
    **_names("api:read", "api:result", rule=LEARNER_OWN),
    "api:autosave": Rule(
        _learner_own, method="put", data={"choice_ids": [], "seq": 1}, json=True
    ),
    "api:submit": Rule(_learner_own, method="post", data={"answers": []}, json=True),
    # ---- unit administration (/quan-tri/)
    "unit_admin_home": UNIT_ADMIN,
    "team_detail": Rule(_team),
    # An empty form: the page answers with its errors, nothing is written.
    "team_person_add": Rule(_team_person_adder, data={"full_name": "", "phone": ""}),
    "unit_admin_detail": SCOPED,
    "unit_assignment_remove": SCOPED,
    **{name: Rule(_scoped, data=data) for name, data in UNIT_FORMS.items()},
    **_names(
        "import_start", "import_template_xlsx", "import_template_csv", rule=UNIT_ADMIN
    ),
    **_names(
        "import_detail",
        "import_confirm",
        "import_progress",
        "import_failed",
        "import_password_sheet",
        rule=Rule(_import_owner),
    ),
    "report_home": UNIT_ADMIN,
    **_names("report_snapshot", "report_snapshot_xlsx", rule=Rule(_snapshot)),
    **_names("report_export_job", "report_export_download", rule=Rule(_export_owner)),
    # ---- training classes (hocvuso/training): the class's unit decides; an
    # empty hand-marking form answers with its message, nothing is written.
    # ---- campaigns and the emulation board (hocvuso/campaigns): the board is
    # public; a campaign is managed in its organising unit's subtree.
    "campaign_board": PUBLIC,
    "campaign_board_unit": PUBLIC,
    "campaign_list": UNIT_ADMIN,
    "campaign_add": Rule(_class_organiser),
    "campaign_edit": SCOPED,
    "training_class_list": UNIT_ADMIN,
    "training_class_add": Rule(_class_organiser),
    # Edit and cancel: the filled-in form on GET, nothing changed.
    **_names(
        "training_class_detail",
        "training_class_edit",
        "training_class_cancel",
        "training_class_mark",
        "training_class_qr",
        "training_class_qr_png",
        "training_class_qr_state",
        "training_class_report",
        "training_class_report_xlsx",
        rule=SCOPED,
    ),
    # Where the QR leads: without a token, a page saying how to check in.
    "training_checkin": PUBLIC,
    "training_checkin_code": LOGGED_IN,
    # ---- personal data: the learner's own, the requests, the access log
    **_names(
        "privacy_my_data",
        "privacy_my_data_download",
        "privacy_my_data_correct",
        "privacy_consent_withdraw",
        "privacy_erasure_request",
        rule=LOGGED_IN,
    ),
    "privacy_requests": UNIT_ADMIN,
    "privacy_request_detail": Rule(_learner_village),
    "privacy_request_erase": Rule(_scoped, data={}),
    "privacy_access_log": Rule(_province_admin),
    **_names(
        "report_unit",
        "report_xlsx",
        "report_csv",
        "report_learners",
        "report_live",
        rule=SCOPED,
    ),
    # ---- allauth
    **_names(
        "account_login",
        "account_logout",
        "account_signup",
        "account_inactive",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
        "account_confirm_email",
        "account_email_verification_sent",
        "account_request_login_code",
        rule=PUBLIC,
    ),
    # Stages of a flow: with none under way, back to the login page.
    **_names("account_verify_phone", "account_confirm_login_code", rule=LOGGED_IN),
    **_names(
        "account_email",
        "account_change_password",
        "account_set_password",
        "account_change_phone",
        "account_reauthenticate",
        rule=LOGGED_IN,
    ),
    # ---- identity providers (OpenID Connect): the page before leaving for
    # the provider, the "cancelled" page and allauth's old addresses (301 to
    # the new ones) are for anyone. The callback without a login under way
    # and the error page answer 401 (allauth's refusal) to everyone; the
    # sign-up form without a pending sign-up (our adapter never leaves one)
    # sends to the login page. "Connect a provider" is not offered: a
    # redirect to the profile.
    **_names(
        "openid_connect_login",
        "socialaccount_login_cancelled",
        "socialaccount_connections",
        "tai-khoan/social/connections/",
        "tai-khoan/social/login/cancelled/",
        "tai-khoan/social/login/error/",
        "tai-khoan/social/signup/",
        rule=PUBLIC,
    ),
    **_names(
        "openid_connect_callback",
        "socialaccount_login_error",
        "socialaccount_signup",
        rule=CLOSED,
    ),
    # ---- allauth's two-factor pages: anyone's own account
    **_names(
        "mfa_index",
        "mfa_activate_totp",
        "mfa_deactivate_totp",
        "mfa_download_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_view_recovery_codes",
        "mfa_reauthenticate",
        "mfa_authenticate",
        rule=LOGGED_IN,
    ),
    # ---- Wagtail's public side
    "wagtail_serve": PUBLIC,
    "wagtaildocs_serve": PUBLIC,
    "wagtaildocs_authenticate_with_password": PUBLIC,
    "wagtailcore_authenticate_with_password": PUBLIC,
    "wagtailcore_login": CLOSED,  # shadowed by the redirect to allauth's login
    # ---- Django's admin: staff only (the superuser)
    **_names(
        "admin:index",
        "admin:password_change",
        "admin:password_change_done",
        "admin:jsi18n",
        "admin:app_list",
        "admin:auth_user_password_change",
        "admin:taggit_tag_merge_tags",
        rule=SUPERUSER,
    ),
    **{
        f"admin:{model}_{view}": SUPERUSER
        for model in DJANGO_ADMIN_MODELS
        for view in ("changelist", "add", "history", "delete", "change")
    },
    **{
        f"django-admin/{model.replace('_', '/', 1)}/<path:object_id>/": SUPERUSER
        for model in DJANGO_ADMIN_MODELS
    },
    "admin:logout": PUBLIC,
    # ---- password logins outside allauth only send to allauth's page
    **_names(
        "admin:login", "cms/login/", "_util/login/", "django-admin/login/", rule=CLOSED
    ),
    # No ModelAdmin declares autocomplete_fields, no model get_absolute_url.
    **_names("admin:autocomplete", "admin:view_on_site", rule=CLOSED),
    "django-admin/(?P<url>.*)$": CLOSED,
    # ---- the CMS: what unit administrators may use there
    **_names("wagtailadmin_home", "wagtailadmin_account", rule=CMS),
    "wagtailadmin_dismissibles": CMS,
    "wagtailadmin_editing_sessions:release": CMS,  # only the user's own sessions
    "wagtailadmin_editing_sessions:ping": EDITOR,
    # The form; a grant is checked against the unit (test_admin_scope).
    "extra_time": CMS,
    # Lists only the certificates in scope (empty for an editor).
    "certificates_admin": CMS,
    "certificates_admin_detail": Rule(_learner_village),
    **_names(
        "certificates_admin_regenerate_start",
        "certificates_admin_regenerate",
        rule=SUPERUSER,
    ),
    **_under("orgunits_unit", "index", "index_results", rule=UNIT_ADMIN),
    **_under(
        "orgunits_unit", "edit", "history", "history_results", "usage", rule=SCOPED
    ),
    # Units come from the national list and the village form only.
    **_under("orgunits_unit", "add", "delete", rule=CLOSED),
    **_under("orgunits_team", "index", "index_results", rule=UNIT_ADMIN),
    # Teams are created on the unit's admin page only (unit_team_add).
    "orgunits_team:add": CLOSED,
    **_under(
        "orgunits_team",
        "edit",
        "delete",
        "history",
        "history_results",
        "usage",
        rule=SCOPED,
    ),
    # ---- the CMS for content editors
    "wagtailadmin_error_test": Rule(_editor, raises=True),
    "cms/test404/": EDITOR,
    **_under(
        "wagtailadmin_api:pages",
        "listing",
        "detail",
        "find",
        "action",
        rule=EDITOR,
    ),
    **_under("wagtailadmin_api:documents", "listing", "detail", "find", rule=EDITOR),
    **_under("wagtailadmin_api:images", "listing", "detail", "find", rule=EDITOR),
    **_names(
        "wagtailadmin_explore_root",
        "wagtailadmin_explore",
        "wagtailadmin_explore_results",
        "wagtail_bulk_action",
        rule=EDITOR,
    ),
    **_under(
        "wagtailadmin_pages",
        "add",
        "preview_on_add",
        "type_use",
        "choose_parent",
        "type_use_results",
        "usage",
        "edit",
        "preview_on_edit",
        "view_draft",
        "add_subpage",
        "unpublish",
        "search",
        "search_results",
        "move",
        "move_confirm",
        "set_page_position",
        "copy",
        "confirm_workflow_cancellation",
        "set_privacy",
        "revisions_index",
        "revisions_view",
        "revisions_revert",
        "revisions_unschedule",
        "revisions_compare",
        "workflow_history",
        "workflow_history_detail",
        "history",
        "history_results",
        rule=EDITOR,
    ),
    # Editors hold add, change and publish on pages; moderation is the
    # superuser's (the Moderators group).
    **_under(
        "wagtailadmin_pages",
        "delete",
        "lock",
        "unlock",
        "workflow_action",
        "collect_workflow_action_data",
        "workflow_preview",
        rule=SUPERUSER,
    ),
    "wagtailadmin_pages:convert_alias": CLOSED,  # the site has no alias pages
    **_names(
        "wagtailadmin_choose_page",
        "wagtailadmin_choose_page_child",
        "wagtailadmin_choose_page_search",
        "wagtailadmin_choose_page_chosen_multiple",
        "wagtailadmin_choose_page_external_link",
        "wagtailadmin_choose_page_email_link",
        "wagtailadmin_choose_page_phone_link",
        "wagtailadmin_choose_page_anchor_link",
        "wagtailadmin_tag_autocomplete",
        "wagtailadmin_tag_model_autocomplete",
        rule=EDITOR,
    ),
    # Needs the id of a block definition: 404 for everyone without one.
    "wagtailadmin_block_preview": CLOSED,
    **_under(
        "wagtailadmin_collections",
        "index",
        "add",
        "edit",
        "delete",
        "set_privacy",
        rule=SUPERUSER,
    ),
    **_under(
        "wagtailadmin_workflows",
        "index",
        "index_results",
        "add",
        "enable",
        "disable",
        "edit",
        "usage",
        "usage_results",
        "remove",
        "add_task",
        "select_task_type",
        "task_index",
        "task_index_results",
        "edit_task",
        "disable_task",
        "enable_task",
        rule=SUPERUSER,
    ),
    **_under(
        "wagtailadmin_workflows",
        "task_chooser",
        "task_chooser_results",
        "task_chooser_create",
        "task_chosen",
        rule=EDITOR,
    ),
    "wagtailadmin_reports:locked_pages": SUPERUSER,
    "wagtailadmin_reports:locked_pages_results": SUPERUSER,
    **_under(
        "wagtailadmin_reports",
        "workflow",
        "workflow_results",
        "workflow_tasks",
        "workflow_tasks_results",
        "site_history",
        "site_history_results",
        "aging_pages",
        "aging_pages_results",
        "page_types_usage",
        "page_types_usage_results",
        rule=EDITOR,
    ),
    # Logging out ends on the one login page, whoever asks.
    "wagtailadmin_logout": Rule(_anyone, success_location="/tai-khoan/login/"),
    # Wagtail's own password login is shadowed by a redirect to allauth's.
    "wagtailadmin_login": CLOSED,
    **_names(
        "wagtailadmin_sprite",
        "wagtailadmin_javascript_catalog",
        "wagtailadmin_password_reset",
        "wagtailadmin_password_reset_done",
        "wagtailadmin_password_reset_confirm",
        "wagtailadmin_password_reset_complete",
        rule=PUBLIC,
    ),
    "cms/^.*/$": CLOSED,
    "courses_lessonmedia_retry": SUPERUSER,
    **_names(
        "quizzes_question_import",
        "quizzes_question_import_confirm",
        "quizzes_question_template",
        "quizzes_question_template_xlsx",
        rule=EDITOR,
    ),
    # Translators hold courses.translate_content (tests/quizzes/
    # test_translation_admin.py); of the matrix's roles only the superuser.
    **_names(
        "quizzes_translations",
        "quizzes_translation_download",
        "quizzes_translation_upload",
        "quizzes_translation_stale",
        rule=SUPERUSER,
    ),
    # The national administrator's: creates a site for any province.
    "province_sites_add": SUPERUSER,
    **_under("wagtailforms", "index", "index_results", rule=EDITOR),
    # The site has no form pages.
    **_under(
        "wagtailforms",
        "list_submissions",
        "list_submissions_results",
        "delete_submissions",
        rule=CLOSED,
    ),
    **_under(
        "wagtailredirects",
        "index",
        "index_results",
        "add",
        "edit",
        "delete",
        "start_import",
        rule=SUPERUSER,
    ),
    # Wagtail reads the uploaded file's name from the session without a
    # check: requested out of order it crashes, for the superuser only.
    "wagtailredirects:process_import": Rule(_superuser, raises=True),
    "wagtailsettings:edit": SUPERUSER,
    "wagtailsettings:preview_on_edit": CLOSED,  # settings are not previewable
    **_under("wagtailembeds", "chooser", "chooser_upload", rule=EDITOR),
    "wagtailsnippets:index": EDITOR,
    **_under(
        "wagtaildocs",
        "index",
        "index_results",
        "add",
        "edit",
        "add_multiple",
        "edit_multiple",
        "document_usage",
        rule=EDITOR,
    ),
    **_under(
        "wagtailimages",
        "index",
        "index_results",
        "edit",
        "preview",
        "add",
        "image_usage",
        "add_multiple",
        "edit_multiple",
        rule=EDITOR,
    ),
    # Wagtail's collection ownership policy: changing covers deleting.
    **_under("wagtaildocs", "delete", "delete_multiple", rule=EDITOR),
    **_under("wagtailimages", "delete", "delete_multiple", rule=EDITOR),
    # Only for a file just uploaded by the same user: none here.
    **_under(
        "wagtaildocs",
        "create_multiple_from_uploaded_document",
        "delete_upload_multiple",
        rule=CLOSED,
    ),
    **_under(
        "wagtailimages",
        "create_multiple_from_uploaded_image",
        "delete_upload_multiple",
        rule=CLOSED,
    ),
    # Needs a dynamic image serve view, which the project does not register.
    **_under("wagtailimages", "url_generator", "url_generator_output", rule=CLOSED),
    **_under("wagtaildocs_chooser", *CHOOSER_VIEWS, rule=EDITOR),
    **_under("wagtailimages_chooser", *CHOOSER_VIEWS, "select_format", rule=EDITOR),
    **_under("wagtailsnippets_quizzes_question", *SNIPPET_VIEWS, rule=EDITOR),
    **_under(
        "wagtailsnippets_quizzes_question",
        "preview_on_add",
        "preview_on_edit",
        rule=EDITOR,
    ),
    **_under("wagtailsnippetchoosers_quizzes_question", *CHOOSER_VIEWS, rule=EDITOR),
    # Privacy notices, media files and content packages are the superuser's.
    **_under("wagtailsnippets_accounts_privacynotice", *SNIPPET_VIEWS, rule=SUPERUSER),
    **_under(
        "wagtailsnippetchoosers_accounts_privacynotice", *CHOOSER_VIEWS, rule=SUPERUSER
    ),
    **_under("wagtailsnippets_courses_lessonmedia", *SNIPPET_VIEWS, rule=SUPERUSER),
    **_under("wagtailsnippets_courses_contentpackage", *SNIPPET_VIEWS, rule=SUPERUSER),
    **_under(
        "wagtailsnippetchoosers_courses_contentpackage", *CHOOSER_VIEWS, rule=SUPERUSER
    ),
    **_under(
        "wagtailsnippetchoosers_courses_lessonmedia", *CHOOSER_VIEWS, rule=SUPERUSER
    ),
    **{
        f"{namespace}:{view}": SUPERUSER
        for namespace in ("wagtailsites", "wagtailusers_users", "wagtailusers_groups")
        for view in (
            "index",
            "index_results",
            "add",
            "edit",
            "delete",
            "history",
            "history_results",
            "usage",
            "copy",
        )
        if (namespace, view) != ("wagtailusers_groups", "copy")
    },
}


# ------------------------------------------------------------- the verdicts


def _verdict(response, path: str, rule: Rule) -> str:
    """ "allowed", "denied" or "error"."""
    status = response.status_code
    if status >= 500:
        return "allowed" if rule.raises else "error"
    if status in (401, 403, 404, 405):
        return "denied"
    if 300 <= status < 400:
        location = response.get("Location", "")
        if rule.success_location:
            return "allowed" if location.startswith(rule.success_location) else "denied"
        if location.startswith(LOGIN_PATHS) or "/login/?next=" in location:
            return "denied"
        # Wagtail answers a missing permission with a redirect to its home.
        if path.startswith("/cms/") and path != "/cms/" and location == "/cms/":
            return "denied"
    return "allowed"


def _request(client, w: World, role: str, target: Target, rule: Rule):
    cache.clear()  # no rate limit carries over from one request to the next
    client.logout()
    if role != "anonymous":
        client.force_login(w.users[role])
    data = rule.data(w) if callable(rule.data) else (rule.data or {})
    if rule.json:
        return client.generic(
            rule.method.upper(),
            target.path,
            json.dumps(data),
            content_type="application/json",
        )
    if rule.method == "post":
        return client.post(target.path, data)
    response = client.get(target.path)
    if response.status_code == 405:
        response = client.post(target.path, data)
    return response


def test_every_registered_url_allows_exactly_its_rule_for_every_role(
    client,
    org_tree,
    build_catalog,
    make_quiz,
    privacy_notice,
    settings,
    capsys,
    tmp_path,
):
    # Test media live in memory, where Wagtail's file streaming finds no file.
    settings.WAGTAILDOCS_SERVE_METHOD = "redirect"
    # As deployed: administrators need a second factor (every account has one).
    settings.ADMIN_MFA_REQUIRED = True
    client.raise_request_exception = False
    settings.MEDIA_ROOT = tmp_path  # the content package's files
    world = _world(org_tree, build_catalog, make_quiz, privacy_notice)
    routes = _routes()
    unruled = sorted({r.key for r in routes} - set(RULES))
    stale = sorted(set(RULES) - {r.key for r in routes})
    show = bool(os.environ.get("URL_MATRIX_SHOW"))
    checked = 0
    unexpected_allows, unexpected_denials, errors = [], [], []
    for route in routes:
        rule = RULES.get(route.key, CLOSED)
        for build in targets(world, route):
            for role in ROLES:
                target = build()
                response = _request(client, world, role, target, rule)
                verdict = _verdict(response, target.path, rule)
                checked += 1
                expected = rule.who(world, role, target.unit)
                where = (
                    f"{route.key} {target.path} as {role}: {response.status_code}"
                    f" {response.get('Location', '')}"
                )
                if show:
                    with capsys.disabled():
                        print("SEEN", verdict, where)
                if verdict == "error":
                    errors.append(where)
                elif verdict == "allowed" and not expected:
                    unexpected_allows.append(where)
                elif verdict == "denied" and expected:
                    unexpected_denials.append(where)
    summary = (
        f"URL matrix: {checked} combinations ({len(routes)} registered URLs,"
        f" {len(ROLES)} roles), unexpected allows: {len(unexpected_allows)},"
        f" unexpected denials: {len(unexpected_denials)}, errors: {len(errors)}"
    )
    with capsys.disabled():
        print("\n" + summary)
        for kind, rows in (
            ("unexpected allow", unexpected_allows),
            ("unexpected denial", unexpected_denials),
            ("error", errors),
        ):
            for row in rows:
                print(f"  {kind}: {row}")
    assert unruled == [], f"URLs without a rule: {unruled}\n{summary}"
    assert stale == [], f"Rules for URLs no longer registered: {stale}"
    assert errors == [], summary + "\n" + "\n".join(errors)
    assert unexpected_allows == [], summary + "\n" + "\n".join(unexpected_allows)
    assert unexpected_denials == [], summary + "\n" + "\n".join(unexpected_denials)


# ------------------------------------------- a second province site (issue 22)

HOST_B = "tinh1.localhost"


def _in_province_b(w, role, unit) -> bool:
    return unit.path.startswith(w.tree.provinces[1].path)


# What a province's site changes: its board shows its own province only.
SITE_B_RULES = {"campaign_board_unit": Rule(_in_province_b)}


def test_on_a_province_sites_host_every_admin_keeps_to_their_own_subtree(
    client,
    org_tree,
    build_catalog,
    make_quiz,
    privacy_notice,
    settings,
    capsys,
    tmp_path,
):
    """Every URL about a unit, requested on province B's own host name by
    the administrators of both provinces: the host opens nothing the
    administrator's scope does not (A's admin gets nothing of B there)."""
    from hocvuso.province_sites.models import ProvinceSite

    settings.WAGTAILDOCS_SERVE_METHOD = "redirect"
    settings.ADMIN_MFA_REQUIRED = True
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".localhost"]
    client.raise_request_exception = False
    settings.MEDIA_ROOT = tmp_path  # the content package's files
    world = _world(org_tree, build_catalog, make_quiz, privacy_notice)
    default = Site.objects.get(is_default_site=True)
    ProvinceSite.objects.create(site=default, province=org_tree.provinces[0])
    site_b = Site.objects.create(
        hostname=HOST_B, port=80, root_page_id=default.root_page_id
    )
    ProvinceSite.objects.create(site=site_b, province=org_tree.provinces[1])
    client.defaults["HTTP_HOST"] = HOST_B
    checked, wrong = 0, []
    for route in _routes():
        rule = SITE_B_RULES.get(route.key) or RULES.get(route.key, CLOSED)
        for build in targets(world, route):
            target = build()
            if target.unit is None:
                continue
            for role in sorted(UNIT_ADMINS):
                response = _request(client, world, role, target, rule)
                verdict = _verdict(response, target.path, rule)
                checked += 1
                expected = "allowed" if rule.who(world, role, target.unit) else "denied"
                if verdict != expected:
                    wrong.append(
                        f"{route.key} {target.path} as {role} on {HOST_B}: "
                        f"{response.status_code}, expected {expected}"
                    )
    with capsys.disabled():
        print(f"\nURL matrix on {HOST_B}: {checked} combinations, wrong: {len(wrong)}")
    assert checked > 100
    assert wrong == [], "\n".join(wrong)


def test_a_province_owned_course_opens_only_on_its_site(
    client, org_tree, build_catalog, make_quiz, privacy_notice, settings
):
    """The world's course, owned by province B's site (issue 22): its page,
    lesson, test and their page states, enrolment, "done", the heartbeat and
    the test's start are denied to every role on A's host (404, or the login
    for the anonymous), and its pages open for every role on B's."""
    from django.urls import reverse
    from hocvuso.province_sites.models import ProvinceSite

    settings.ADMIN_MFA_REQUIRED = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".localhost"]
    client.raise_request_exception = False
    world = _world(org_tree, build_catalog, make_quiz, privacy_notice)
    default = Site.objects.get(is_default_site=True)
    site_b = Site.objects.create(
        hostname=HOST_B, port=80, root_page_id=default.root_page_id
    )
    ProvinceSite.objects.create(site=site_b, province=org_tree.provinces[1])
    course, lesson, quiz = (world.objects[k] for k in ("course", "lesson", "quiz"))
    course.owner_site = site_b
    course.save_revision().publish()
    pages = [course, lesson, quiz]
    reads = [p.url for p in pages] + [f"/api/me/state?page={p.pk}" for p in pages]
    writes = [
        (reverse("course_enrol", args=[course.pk]), None),
        (reverse("lesson_mark_done", args=[lesson.pk]), None),
        (
            reverse("api:media_heartbeat"),
            {"media_id": 1, "lesson_id": lesson.pk, "position": 1, "watched": 1},
        ),
        ("/api/attempts", {"quiz_id": quiz.pk}),
    ]
    wrong = []
    for role in ROLES:
        cache.clear()
        client.logout()
        if role != "anonymous":
            client.force_login(world.users[role])
        for path in reads:
            on_a = client.get(path)
            on_b = client.get(path, HTTP_HOST=HOST_B)
            if on_a.status_code != 404:
                wrong.append(f"{role} GET {path} on A: {on_a.status_code}")
            if on_b.status_code == 404 or on_b.status_code >= 500:
                wrong.append(f"{role} GET {path} on B: {on_b.status_code}")
        for path, payload in writes:
            if payload is None:
                response = client.post(path)
            else:
                response = client.post(
                    path, json.dumps(payload), content_type="application/json"
                )
            verdict = _verdict(response, path, PUBLIC)
            if verdict != "denied":
                wrong.append(f"{role} POST {path} on A: {response.status_code}")
    assert wrong == [], "\n".join(wrong)
