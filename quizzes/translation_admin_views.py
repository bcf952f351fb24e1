"""The CMS's "Bản dịch" screens: the translator's PO round trip of
`course_translation` (translation_po.py) for people without a shell."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.models import CoursePage
from courses.translation import content_languages, language_name
from courses.translators import TRANSLATE_PERMISSION

from .translation_po import (
    PO_MAX_BYTES,
    course_po_export,
    course_po_import,
    stale_segments,
    translation_counts,
)


class TranslationUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp bản dịch (.po)"),
        error_messages={"empty": gettext_lazy("Tệp trống.")},
    )
    reviewed = forms.BooleanField(
        label=gettext_lazy("Người dịch đã kiểm tra bản dịch (bỏ nhãn “Bản dịch mẫu”)"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".po"):
            raise forms.ValidationError(_("Hãy chọn tệp .po đã tải về từ trang này."))
        return upload


def _translator(request) -> None:
    if not request.user.has_perm(TRANSLATE_PERMISSION):
        raise PermissionDenied


def _course_language(course_id: int, language: str) -> CoursePage:
    if language not in content_languages():
        raise Http404
    return get_object_or_404(CoursePage, pk=course_id)


def translations(request):
    _translator(request)
    rows = [
        {
            "course": course,
            "languages": [
                {
                    "code": code,
                    "name": language_name(code),
                    "counts": translation_counts(course=course, language=code),
                }
                for code in content_languages()
            ],
        }
        for course in CoursePage.objects.order_by("topic_number", "title")
    ]
    return TemplateResponse(request, "quizzes/admin/translations.html", {"rows": rows})


def translation_download(request, course_id: int, language: str):
    _translator(request)
    course = _course_language(course_id, language)
    response = HttpResponse(
        course_po_export(course=course, language=language),
        content_type="text/x-gettext-translation; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="khoa-hoc-{course.pk}.{language}.po"'
    )
    return response


def translation_upload(request, course_id: int, language: str):
    _translator(request)
    course = _course_language(course_id, language)
    form = TranslationUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = course_po_import(
                course=course,
                language=language,
                # One byte over the cap is enough for the import to refuse it.
                data=form.cleaned_data["file"].read(PO_MAX_BYTES + 1),
                reviewed=form.cleaned_data["reviewed"] or None,
            )
        except ValidationError as refused:
            form.add_error("file", refused)
    return TemplateResponse(
        request,
        "quizzes/admin/translation_upload.html",
        {
            "course": course,
            "language": language,
            "language_name": language_name(language),
            "form": form,
            "report": report,
        },
        status=400 if form.errors else 200,
    )


def translation_stale(request, course_id: int, language: str):
    _translator(request)
    course = _course_language(course_id, language)
    return TemplateResponse(
        request,
        "quizzes/admin/translation_stale.html",
        {
            "course": course,
            "language": language,
            "language_name": language_name(language),
            "segments": stale_segments(course=course, language=language),
        },
    )
