"""Demo site, privacy notice and accounts for the embedded default.

Every step is idempotent: a second run finds what the first one made.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Collection, Locale, Page, Site

from courses.demo import SeedCounts
from hocvuso.accounts.models import LearnerType, PrivacyNotice, User
from hocvuso.orgunits.models import AdminRole, AdminRoleKind, Unit
from hocvuso.orgunits.services import village_create

from .models import HomePage

DEMO_PASSWORD = "Hocvuso@2025"
DEMO_PROVINCE = "51"  # Tỉnh Quảng Ngãi, the plan in shared/seeds with 96 communes
DEMO_COMMUNE = "21025"  # Phường Cẩm Thành
DEMO_VILLAGES = [
    ("Tổ dân phố 1", "tổ dân phố"),
    ("Tổ dân phố 2", "tổ dân phố"),
    ("Tổ dân phố 3", "tổ dân phố"),
]

PRIVACY_NOTICE_BODY = """
<p>Nền tảng “Bình dân học vụ số” xử lý dữ liệu cá nhân của bạn theo Luật Bảo vệ dữ liệu
cá nhân số 91/2025/QH15 (có hiệu lực từ ngày 1/1/2026).</p>
<h3>Chúng tôi thu thập những gì</h3>
<ul>
<li>Số điện thoại, họ và tên, năm sinh, nơi sinh sống (tỉnh, xã, thôn).</li>
<li>Quá trình học: bài đã mở, bài đã hoàn thành, bài kiểm tra và điểm số.</li>
</ul>
<h3>Để làm gì</h3>
<ul>
<li>Tạo và bảo vệ tài khoản học của bạn, gửi mã xác thực qua tin nhắn SMS.</li>
<li>Ghi nhận tiến độ, cấp chứng nhận hoàn thành khóa học.</li>
<li>Lập báo cáo tỉ lệ hoàn thành cho Ủy ban nhân dân xã và tỉnh nơi bạn sinh sống.</li>
</ul>
<h3>Ai được xem</h3>
<p>Chỉ bạn và cán bộ quản lý của đơn vị bạn (xã, tỉnh) theo đúng phạm vi được giao.
Chúng tôi không bán hay chia sẻ dữ liệu của bạn cho bên khác vì mục đích quảng cáo.</p>
<h3>Quyền của bạn</h3>
<p>Bạn có quyền xem, sửa thông tin cá nhân, rút lại sự đồng ý và yêu cầu xóa tài khoản
bằng cách liên hệ cán bộ phụ trách của xã. Rút lại sự đồng ý không ảnh hưởng đến việc xử lý
đã thực hiện trước đó.</p>
"""


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    phone: str
    learner_type: str
    role: str | None
    role_unit: str | None
    staff: bool = False


DEMO_ACCOUNTS = [
    DemoAccount(
        "hocvien",
        "Nguyễn Thị Hồng Nhung",
        "+84901000001",
        LearnerType.CITIZEN,
        None,
        None,
    ),
    DemoAccount(
        "thanhvien", "Đặng Văn Lộc", "+84901000002", LearnerType.TEAM_MEMBER, None, None
    ),
    DemoAccount(
        "quantrixa",
        "Trần Minh Đức",
        "+84901000003",
        LearnerType.CITIZEN,
        AdminRoleKind.COMMUNE_ADMIN,
        DEMO_COMMUNE,
    ),
    DemoAccount(
        "quantritinh",
        "Lê Thị Thu Hà",
        "+84901000004",
        LearnerType.CITIZEN,
        AdminRoleKind.PROVINCE_ADMIN,
        DEMO_PROVINCE,
        staff=True,
    ),
]


def _root_create() -> Page:
    """Wagtail's migrations make the tree roots and the default locale; a
    database emptied after migrating (as test runs do) needs them again."""
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    return Page.add_root(
        instance=Page(
            title="Root",
            slug="root",
            content_type=(ContentType.objects.get_for_model(Page)),
        )
    )


@transaction.atomic
def demo_site_seed() -> HomePage:
    """A HomePage as the default site's root, replacing Wagtail's welcome page."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node() or _root_create()
        home = HomePage(
            title="Học kỹ năng số cho mọi người",
            slug="trang-chu",
            intro="<p>Khóa học ngắn, miễn phí, học trên điện thoại: chuyển đổi số, "
            "kỹ năng số cơ bản, an toàn số, trí tuệ nhân tạo (AI), dịch vụ công "
            "trực tuyến và bảo vệ thông tin cá nhân.</p>",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            root_page=home,
            is_default_site=True,
            site_name="Bình dân học vụ số",
        )
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = "Bình dân học vụ số"
        site.save()
        if old_root.specific_class is Page and not old_root.get_children().exists():
            old_root.delete()  # Wagtail's "Welcome" placeholder
    return home


def demo_privacy_notice_seed() -> PrivacyNotice:
    notice, _created = PrivacyNotice.objects.get_or_create(
        version="1.0",
        defaults={
            "title": "Thông báo về xử lý dữ liệu cá nhân",
            "body": PRIVACY_NOTICE_BODY.strip(),
            "published_at": datetime(2026, 1, 1, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
        },
    )
    return notice


@transaction.atomic
def demo_villages_seed() -> list[Unit]:
    commune = Unit.objects.get(code=DEMO_COMMUNE)
    return [
        village_create(commune=commune, name=name, kind=kind)
        for name, kind in DEMO_VILLAGES
    ]


DEMO_TRANSLATOR = "nguoidich"


def _demo_translator_seed(*, counts: SeedCounts) -> User:
    """A member of the translators' group (courses/translators.py): the CMS's
    "Bản dịch" screens and nothing else. Lives nowhere, as an administrator:
    not a learner of any unit's report."""
    from courses.translators import translators_group_ensure

    user = User.objects.filter(username=DEMO_TRANSLATOR).first()
    if user is None:
        counts.created += 1
        user = User(
            username=DEMO_TRANSLATOR,
            full_name="Võ Thị Minh Thư",
            phone="+84901000007",
            phone_verified=True,
            learner_type=LearnerType.CITIZEN,
            unit=None,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    else:
        counts.unchanged += 1
    user.groups.add(translators_group_ensure())
    return user


@transaction.atomic
def demo_accounts_seed(*, village: Unit, counts: SeedCounts) -> list[User]:
    users = []
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is not None:
            counts.unchanged += 1
        else:
            counts.created += 1
            user = User(
                username=account.username,
                full_name=account.full_name,
                phone=account.phone,
                phone_verified=True,
                learner_type=account.learner_type,
                # An administrator's account lives nowhere: it would otherwise
                # count as a learner of the village in every report.
                unit=None if account.role else village,
                is_staff=account.staff,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        if account.role:
            AdminRole.objects.get_or_create(
                user=user,
                role=account.role,
                unit=Unit.objects.get(code=account.role_unit),
            )
        users.append(user)
    users.append(_demo_translator_seed(counts=counts))
    admin = User.objects.filter(username="admin").first()
    if admin is not None:
        counts.unchanged += 1
    else:
        counts.created += 1
        admin = User.objects.create_superuser(
            username="admin", password=DEMO_PASSWORD, full_name="Quản trị nội dung"
        )
    users.append(admin)
    return users
