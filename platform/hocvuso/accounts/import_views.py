"""Bulk import pages for province and commune administrators (/quan-tri/nhap/)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hocvuso.orgunits.decorators import unit_admin_required

from .import_files import csv_bytes, headers, template_xlsx
from .import_forms import ImportConfirmForm, ImportUploadForm
from .import_messages import TEMPLATE_GUIDE
from .models import ImportJob, ImportStatus
from .selectors import import_job_get, import_jobs_list
from .services import (
    ImportFileError,
    import_job_confirm,
    import_job_create,
    import_job_passwords_clear,
)

ROWS_PER_PAGE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _job_or_404(request, job_id: int) -> ImportJob:
    job = import_job_get(user=request.user, job_id=job_id)
    if job is None:
        raise Http404(_("Không tìm thấy lượt nhập này."))
    return job


@unit_admin_required
def import_start(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_job_create(
                user=request.user, file_name=upload.name, file=upload
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("import_detail", job_id=job.pk)
    return render(
        request,
        "accounts/import_start.html",
        {"form": form, "jobs": import_jobs_list(user=request.user)},
        status=400 if form.errors else 200,
    )


@unit_admin_required
def import_template_xlsx(request):
    content = template_xlsx([str(line) for line in TEMPLATE_GUIDE])
    return _download(content, "mau-danh-sach.xlsx", XLSX)


@unit_admin_required
def import_template_csv(request):
    return _download(csv_bytes(headers(), []), "mau-danh-sach.csv", "text/csv")


@unit_admin_required
def import_detail(request, job_id: int):
    job = _job_or_404(request, job_id)
    rows = Paginator(job.outcomes, ROWS_PER_PAGE).get_page(request.GET.get("trang"))
    return render(
        request,
        "accounts/import_detail.html",
        {
            "job": job,
            "rows": rows,
            "form": ImportConfirmForm(),
            "preview": job.status == ImportStatus.PREVIEW,
        },
    )


@require_POST
@unit_admin_required
def import_confirm(request, job_id: int):
    job = _job_or_404(request, job_id)
    form = ImportConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn cách gửi thông tin đăng nhập."))
        return redirect("import_detail", job_id=job.pk)
    try:
        import_job_confirm(job=job, delivery=form.cleaned_data["delivery"])
    except ImportFileError as error:
        messages.error(request, str(error))
    return redirect("import_detail", job_id=job.pk)


@unit_admin_required
def import_progress(request, job_id: int):
    """htmx: the progress bar, polled until the run is over."""
    job = _job_or_404(request, job_id)
    return render(request, "accounts/_import_progress.html", {"job": job})


@unit_admin_required
def import_failed_rows(request, job_id: int):
    job = _job_or_404(request, job_id)
    rows = [
        [*row["cells"].values(), " ".join(row["errors"])]
        for row in job.outcomes
        if row["errors"]
    ]
    content = csv_bytes([*headers(), _("lỗi")], rows)
    return _download(content, f"dong-loi-{job.pk}.csv", "text/csv")


@unit_admin_required
def import_password_sheet(request, job_id: int):
    job = _job_or_404(request, job_id)
    if request.method == "POST":
        import_job_passwords_clear(job=job)
        messages.success(request, _("Đã xóa danh sách mật khẩu ban đầu khỏi hệ thống."))
        return redirect("import_detail", job_id=job.pk)
    return render(request, "accounts/import_password_sheet.html", {"job": job})
