"""Uploads in the CMS are probed with ffprobe: bad files get a Vietnamese
message and nothing is stored."""

from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.models import LessonMedia, MediaStatus

from .media_helpers import make_clip, make_tone

pytestmark = pytest.mark.django_db
ADD = "wagtailsnippets_courses_lessonmedia:add"


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("uploads")
    clip = make_clip(root / "clip.mp4", seconds=10)
    truncated = root / "cut.mp4"
    truncated.write_bytes(clip.read_bytes()[: clip.stat().st_size // 2])
    text = root / "text.mp4"
    text.write_text("Đây là văn bản, không phải video.\n" * 50)
    return {
        "clip": clip,
        "truncated": truncated,
        "text": text,
        "tone": make_tone(root / "tone.m4a"),
    }


@pytest.fixture
def editor(client, django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    admin = django_user_model.objects.create_superuser(
        username="bientap", password="x", phone="+84900000999"
    )
    client.force_login(admin)
    return client


def _upload(client, path: Path, *, kind: str = "video", name: str | None = None):
    upload = SimpleUploadedFile(name or path.name, path.read_bytes())
    return client.post(
        reverse(ADD), {"title": "Bài giảng", "kind": kind, "original": upload}
    )


def _stored() -> set[str]:
    """Every file under media_originals/ (the in-memory storage is shared by
    the whole test session)."""
    found, folders = set(), ["media_originals"]
    while folders:
        folder = folders.pop()
        if not default_storage.exists(folder):
            continue
        dirs, files = default_storage.listdir(folder)
        folders += [f"{folder}/{d}" for d in dirs]
        found |= {f"{folder}/{f}" for f in files}
    return found


@pytest.fixture
def nothing_stored():
    before = _stored()

    def check() -> None:
        assert not LessonMedia.objects.exists()
        assert _stored() == before

    return check


@pytest.mark.parametrize(
    ("key", "kind", "message"),
    [
        ("text", "video", "Tệp này không phải video hoặc âm thanh hợp lệ."),
        ("truncated", "video", "Tệp bị hỏng hoặc tải lên chưa trọn vẹn."),
        ("tone", "video", "Tệp này chỉ có âm thanh, không có hình."),
    ],
)
def test_bad_files_are_refused_with_their_message(
    editor,
    files,
    key,
    kind,
    message,
    nothing_stored,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _upload(editor, files[key], kind=kind)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert callbacks == []
    nothing_stored()


def test_oversized_and_overlong_files_are_refused(
    editor, files, settings, nothing_stored
):
    settings.MEDIA_MAX_UPLOAD_MB = 0.01
    response = _upload(editor, files["clip"])
    assert "Tệp quá lớn: tối đa 0.01 MB." in response.content.decode()
    nothing_stored()

    settings.MEDIA_MAX_UPLOAD_MB = 500
    settings.MEDIA_MAX_DURATION_MINUTES = 0.1
    response = _upload(editor, files["clip"])
    assert "Tệp quá dài: tối đa 0.1 phút." in response.content.decode()
    nothing_stored()


def test_a_good_upload_is_stored_and_transcoded(
    editor, files, django_capture_on_commit_callbacks
):
    # The name says nothing: a real MP4 called .bin is accepted.
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(editor, files["clip"], name="bai-giang.bin")
    assert response.status_code == 302
    assert len(_stored()) >= 1
    media = LessonMedia.objects.get()
    assert media.status == MediaStatus.READY
    listing = editor.get(reverse("wagtailsnippets_courses_lessonmedia:list"))
    assert "Sẵn sàng" in listing.content.decode()


def test_failed_media_can_be_retried_from_the_cms(
    editor, files, django_capture_on_commit_callbacks
):
    media = LessonMedia.objects.create(
        title="Lỗi",
        kind="video",
        original=SimpleUploadedFile("a.mp4", files["clip"].read_bytes()),
        status=MediaStatus.FAILED,
        failure_reason="Chuyển mã thất bại: thử",
    )
    listing = editor.get(reverse("wagtailsnippets_courses_lessonmedia:list"))
    assert "Lỗi: Chuyển mã thất bại: thử" in listing.content.decode()
    url = reverse("courses_lessonmedia_retry", args=[media.pk])
    assert url in listing.content.decode()
    assert editor.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(url)
    media.refresh_from_db()
    assert media.status == MediaStatus.READY
