"""Wagtail admin screens for the question bank."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from courses.models import CoursePage

from .question_import import SheetError, sheet_rows, template_csv, template_xlsx
from .services import (
    QuestionImportStale,
    question_import_confirm,
    question_import_preview_create,
    questions_import,
)

MAX_UPLOAD = 2 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class QuestionImportForm(forms.Form):
    course = forms.ModelChoiceField(
        CoursePage.objects.order_by("topic_number", "title"),
        label=gettext_lazy("Khóa học"),
    )
    file = forms.FileField(
        label=gettext_lazy("Tệp câu hỏi (.xlsx hoặc .csv)"),
        # Said as the spreadsheet reader says it, not Django's "Tập tin...".
        error_messages={"empty": gettext_lazy("Tệp không có dòng nào.")},
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Chỉ kiểm tra, chưa nhập"), required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(
                _("Tệp lớn hơn %(mb)d MB.") % {"mb": MAX_UPLOAD // (1024 * 1024)}
            )
        return upload


def question_import(request):
    if not request.user.has_perm("quizzes.add_question"):
        raise PermissionDenied
    form = QuestionImportForm(request.POST or None, request.FILES or None)
    result = preview = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = sheet_rows(name=upload.name, file=upload)
        except SheetError as error:
            form.add_error("file", str(error))
        else:
            result = questions_import(
                course=form.cleaned_data["course"],
                rows=rows,
                dry_run=form.cleaned_data["dry_run"],
            )
            if form.cleaned_data["dry_run"]:
                if result.created:
                    preview = question_import_preview_create(
                        user=request.user,
                        course=form.cleaned_data["course"],
                        file_name=upload.name,
                        result=result,
                    )
            else:
                messages.success(
                    request, _("Đã thêm %(n)d câu hỏi.") % {"n": result.created}
                )
    return TemplateResponse(
        request,
        "quizzes/admin/question_import.html",
        {"form": form, "result": result, "preview": preview},
        status=400 if form.errors else 200,
    )


@require_POST
def question_import_confirm_view(request):
    if not request.user.has_perm("quizzes.add_question"):
        raise PermissionDenied
    try:
        result = question_import_confirm(
            user=request.user, token=request.POST.get("token", "")
        )
    except QuestionImportStale as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Đã thêm %(n)d câu hỏi (đã có sẵn: %(u)d).")
            % {"n": result.created, "u": result.unchanged},
        )
    return redirect("quizzes_question_import")


def question_template(request):
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mau-cau-hoi.csv"'
    return response


def question_template_xlsx(request):
    response = HttpResponse(template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-cau-hoi.xlsx"'
    return response
