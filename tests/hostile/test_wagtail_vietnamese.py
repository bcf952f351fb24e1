"""Issue 15 (files), item 11: Wagtail's own messages on the upload screens
are Vietnamese in the Vietnamese CMS."""

import pytest
from wagtail.documents.models import Document
from wagtail.images.models import Image

from . import corpus
from .test_uploads import DOCUMENT_PATHS, IMAGE_PATHS, post_file, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, make_learner):
    client.force_login(make_learner(is_superuser=True, is_staff=True))
    return client


@pytest.mark.parametrize(
    ("paths", "path", "name", "content", "vietnamese", "english"),
    [
        (
            IMAGE_PATHS,
            "add",
            "anh.bmp",
            None,
            [
                "Định dạng ảnh không được hỗ trợ. Chỉ nhận:",
                "Không tạo được ảnh vì có lỗi.",
            ],
            ["Not a supported image format", "could not be created"],
        ),
        (
            IMAGE_PATHS,
            "multiple",
            "pixel-bomb.png",
            "pixel bomb",
            ["Ảnh có quá nhiều điểm ảnh (không rõ số lượng)"],
            ["too many pixels", "unknown number"],
        ),
        (
            IMAGE_PATHS,
            "chooser",
            "anh.bmp",
            None,
            ["Định dạng ảnh không được hỗ trợ."],
            ["Not a supported image format"],
        ),
        (
            DOCUMENT_PATHS,
            "add",
            "cai-dat.exe",
            b"MZ",
            [
                "Không nhận tệp đuôi “exe”. Chỉ nhận các đuôi: pdf, docx",
                "Không tạo được tài liệu vì có lỗi.",
            ],
            ["is not allowed", "could not be created"],
        ),
        (
            DOCUMENT_PATHS,
            "multiple",
            "cai-dat.exe",
            b"MZ",
            ["Không nhận tệp đuôi “exe”."],
            ["is not allowed"],
        ),
    ],
)
def test_wagtail_upload_messages_are_vietnamese(
    editor, paths, path, name, content, vietnamese, english
):
    if content is None:
        content = corpus.png()
    elif content == "pixel bomb":
        content = corpus.pixel_bomb()
    response = post_file(editor, paths[path], name, content)
    page = text(response)
    for message in vietnamese:
        assert message in page
    for message in english:
        assert message not in page
    assert not Image.objects.exists() and not Document.objects.exists()
