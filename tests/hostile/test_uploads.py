"""Issue 15 (files): images are checked before decoding and stored as pixels
only; captions are .vtt under a generated name; file names of 4-byte
characters are stored; the development media server sends known types only."""

import io
import json
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from hocvuso.core.media import media_serve
from hocvuso.settings import base
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from courses.models import LessonMedia

from ..courses.media_helpers import make_clip
from . import corpus

pytestmark = pytest.mark.django_db
ADD_MEDIA = "wagtailsnippets_courses_lessonmedia:add"

# (url, form field names for title and file): every way the CMS takes an
# image; the certificate seal is picked with the chooser's upload tab.
IMAGE_PATHS = {
    "add": ("/cms/images/add/", "title", "file"),
    "multiple": ("/cms/images/multiple/add/", None, "files[]"),
    "chooser": (
        "/cms/images/chooser/create/",
        "image-chooser-upload-title",
        "image-chooser-upload-file",
    ),
}
DOCUMENT_PATHS = {
    "add": ("/cms/documents/add/", "title", "file"),
    "multiple": ("/cms/documents/multiple/add/", None, "files[]"),
    "chooser": (
        "/cms/documents/chooser/create/",
        "document-chooser-upload-title",
        "document-chooser-upload-file",
    ),
}


@pytest.fixture
def editor(client, make_learner):
    client.raise_request_exception = False
    client.force_login(make_learner(is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def disk(settings, tmp_path):
    """The project's real storage, on disk, as in production."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": base.STORAGES["default"]}
    return tmp_path


def text(response) -> str:
    """What the editor reads, whether the page is HTML or the uploader's JSON."""
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def post_file(client, path: tuple, name: str, content: bytes):
    url, title, field = path
    data = {field: SimpleUploadedFile(name, content)}
    if title:
        data[title] = "Tệp thử"
    return client.post(url, data, headers={"x-requested-with": "XMLHttpRequest"})


@pytest.mark.parametrize("path", IMAGE_PATHS)
def test_pixel_bomb_is_refused_on_every_image_upload_path(editor, path):
    response = post_file(
        editor, IMAGE_PATHS[path], "pixel-bomb.png", corpus.pixel_bomb()
    )
    assert response.status_code < 500
    assert "quá nhiều điểm ảnh" in text(response)
    assert not Image.objects.exists()


@pytest.mark.parametrize("path", IMAGE_PATHS)
def test_polyglot_png_is_stored_as_pixels_only(editor, path):
    response = post_file(
        editor, IMAGE_PATHS[path], "polyglot.png", corpus.polyglot_png()
    )
    assert response.status_code < 400
    image = Image.objects.get()
    with image.file.open("rb") as stored:
        content = stored.read()
    assert corpus.POLYGLOT_TAIL not in content
    with PILImage.open(io.BytesIO(content)) as decoded:
        assert (decoded.format, decoded.size) == ("PNG", (40, 30))
    assert (image.width, image.height) == (40, 30)


def test_image_from_the_multiple_uploader_can_be_titled(editor):
    post_file(editor, IMAGE_PATHS["multiple"], "anh.png", corpus.png())
    image = Image.objects.get()
    response = editor.post(
        f"/cms/images/multiple/{image.pk}/",
        {f"image-{image.pk}-title": "Ảnh bìa", f"image-{image.pk}-tags": ""},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.json()["success"] is True
    image.refresh_from_db()
    assert image.title == "Ảnh bìa"


@pytest.mark.parametrize(
    ("paths", "extension", "content", "model"),
    [
        (DOCUMENT_PATHS, "pdf", b"%PDF-1.4\n%%EOF\n", Document),
        (IMAGE_PATHS, "png", corpus.png(), Image),
    ],
)
@pytest.mark.parametrize("path", ["add", "multiple", "chooser"])
def test_four_byte_file_names_are_stored(
    editor, disk, paths, extension, content, model, path
):
    name = corpus.four_byte_name(extension, length=100)
    response = post_file(editor, paths[path], name, content)
    assert response.status_code < 400
    stored = Path(disk / model.objects.get().file.name)
    assert stored.is_file()
    assert len(stored.name.encode()) <= 255


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    return make_clip(tmp_path_factory.mktemp("clip") / "clip.mp4", seconds=2)


def _add_media(client, clip: Path, captions: tuple[str, bytes], name="bai.mp4"):
    return client.post(
        reverse(ADD_MEDIA),
        {
            "title": "Bài giảng",
            "kind": "video",
            "original": SimpleUploadedFile(name, clip.read_bytes()),
            "captions": SimpleUploadedFile(*captions),
        },
    )


@pytest.mark.parametrize("key", ["html as vtt", "vtt named svg", "binary vtt"])
def test_captions_must_be_vtt(editor, clip, key):
    response = _add_media(editor, clip, corpus.captions()[key]())
    assert response.status_code == 200
    assert "Phụ đề phải là tệp WebVTT (.vtt)." in response.content.decode()
    assert not LessonMedia.objects.exists()


def test_captions_are_stored_under_a_generated_name(editor, clip):
    response = _add_media(editor, clip, ("phụ đề <b>.vtt", b"WEBVTT\n\n"))
    assert response.status_code == 302
    name = LessonMedia.objects.get().captions.name
    assert name.startswith("media_captions/") and name.endswith(".vtt")
    assert "phụ" not in name and "<" not in name
    assert default_storage.exists(name)


def test_four_byte_media_file_name_is_stored(editor, disk, clip):
    # 67 characters pass the field's 100-character limit; 256 bytes do not fit
    # in one file name on disk.
    name = corpus.four_byte_name("mp4", length=63)
    response = _add_media(editor, clip, ("phu-de.vtt", b"WEBVTT\n\n"), name=name)
    assert response.status_code == 302
    stored = Path(disk / LessonMedia.objects.get().original.name)
    assert stored.is_file()


@pytest.mark.parametrize("name", ["evil.html", "logo.svg", "trang.htm", "x.js", "a"])
def test_media_server_sends_only_known_types(settings, tmp_path, name):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "media_captions").mkdir()
    (tmp_path / "media_captions" / name).write_bytes(b"<script>alert(1)</script>")
    path = f"media_captions/{name}"
    with pytest.raises(Http404):
        media_serve(RequestFactory().get("/media/" + path), path)
    (tmp_path / "media_captions" / "a.vtt").write_bytes(b"WEBVTT\n")
    response = media_serve(RequestFactory().get("/media/x"), "media_captions/a.vtt")
    assert response["Content-Type"] == "text/vtt"
