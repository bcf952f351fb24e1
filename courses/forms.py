from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .media_probe import uploaded_file_check
from .models import MediaStatus
from .package_archive import PackageRefused
from .package_services import (
    package_fields_set,
    package_files_discard,
    package_files_install,
    package_files_unpack,
)


class LessonMediaForm(WagtailAdminModelForm):
    """Probes a new original with ffprobe before anything is stored."""

    # The site's languages, read here rather than as the model's choices: a
    # language added to settings needs no migration (docs/translations.md).
    language = forms.TypedChoiceField(
        label=_("Ngôn ngữ"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        required=False,
        help_text=_(
            "Tiếng Việt cho video, âm thanh gốc; ngôn ngữ khác cho bản dịch "
            "(chọn bản gốc bên dưới)."
        ),
    )

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or settings.LANGUAGE_CODE

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("original")
        kind = cleaned.get("kind")
        changed = {"original", "kind"} & set(self.changed_data)
        if upload and kind and changed:
            try:
                self.probe = uploaded_file_check(upload, kind=kind)
            except ValidationError as error:
                self.add_error("original", error)
        return cleaned

    def save(self, commit=True):
        if getattr(self, "probe", None) is not None:
            # A new original: its old output no longer applies.
            self.instance.status = MediaStatus.QUEUED
            self.instance.progress = 0
            self.instance.failure_reason = ""
            self.instance.duration = self.probe.duration
        return super().save(commit=commit)


class ContentPackageForm(WagtailAdminModelForm):
    """Checks a new package and unpacks it into a scratch folder before
    anything is stored; saving puts the files in place (package_services)."""

    unpacked = None

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("archive")
        if upload and "archive" in self.changed_data and not self.errors:
            try:
                self.unpacked = package_files_unpack(file=upload, size=upload.size)
            except PackageRefused as refused:
                self.add_error("archive", str(refused))
        return cleaned

    def save(self, commit=True):
        if self.unpacked is None:
            return super().save(commit=commit)
        package_fields_set(package=self.instance, info=self.unpacked.info)
        try:
            package = super().save(commit=commit)
        except BaseException:
            package_files_discard(unpacked=self.unpacked)
            raise
        package_files_install(package=package, unpacked=self.unpacked)
        return package
