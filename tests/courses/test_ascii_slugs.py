"""Page URLs are ASCII: a Vietnamese title gives "dinh-danh-dien-tu", not a
percent-encoded slug that breaks in SMS and chat apps (issue 24, item 11)."""

import pytest
from hocvuso.core.text import slug_ascii

from courses.models import GlossaryPage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Định danh điện tử", "dinh-danh-dien-tu"),
        ("ĐĂNG KÝ dịch vụ công", "dang-ky-dich-vu-cong"),
        ("Ứng dụng Zalo: tin nhắn & cuộc gọi", "ung-dung-zalo-tin-nhan-cuoc-goi"),
        ("Thuế, bảo hiểm y tế, ngân hàng số", "thue-bao-hiem-y-te-ngan-hang-so"),
    ],
)
def test_slug_ascii_keeps_every_vietnamese_letter(title, slug):
    assert slug_ascii(title) == slug


def test_a_page_saved_without_a_slug_gets_an_ascii_one(build_catalog):
    catalog = build_catalog(courses=1, lessons=1)
    page = GlossaryPage(title="Định danh điện tử")
    catalog.add_child(instance=page)
    twin = GlossaryPage(title="Định danh điện tử")
    catalog.add_child(instance=twin)

    assert page.slug == "dinh-danh-dien-tu"
    assert twin.slug == "dinh-danh-dien-tu-2"
    assert page.url.endswith("/dinh-danh-dien-tu/")
