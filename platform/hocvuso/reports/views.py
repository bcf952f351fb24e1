from dataclasses import replace as dataclass_replace
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hocvuso.campaigns.selectors import (
    campaign_choices_for_scope,
    report_levels_in_campaign,
    report_rows_in_campaign,
)
from hocvuso.core.export_writer import text_exportable, xlsx_bytes
from hocvuso.core.numbers import BIGINT_MAX
from hocvuso.orgunits.decorators import unit_admin_required
from hocvuso.orgunits.models import Unit
from hocvuso.orgunits.selectors import (
    scope_roots_list,
    unit_ancestry_get,
    unit_in_scope_get,
)
from hocvuso.privacy.services import learner_list_access_record

from . import charts, exports
from .figures import SORT_KEYS, count_columns, rows_sorted
from .filters import filters_from_request
from .live import live_counts, live_interval
from .models import ExportJob, ExportKind, ExportStatus, ReportSnapshot
from .periods import quarter_last_ended
from .refresh_jobs import refresh_notice_get
from .selectors import (
    STATUS_LABELS,
    completion_report_rows,
    completions_by_day,
    export_jobs_recent,
    learner_list,
    learners_in_scope_count,
    report_levels,
)
from .services import (
    SnapshotError,
    SnapshotExists,
    export_job_start,
    report_snapshot_create,
    row_from_json,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _unit_or_404(request, code: str) -> Unit:
    unit = unit_in_scope_get(scope=request.scope, code=code)
    if unit is None:
        raise Http404(_("Không tìm thấy đơn vị trong phạm vi quản lý của bạn."))
    return unit


def _ancestry(request, unit):
    return [a for a in unit_ancestry_get(unit=unit) if request.scope.contains(a)]


@unit_admin_required
def report_home(request):
    roots = scope_roots_list(scope=request.scope)
    if len(roots) == 1:
        return redirect("report_unit", roots[0].code)
    return render(request, "reports/report_home.html", {"roots": roots})


def _filtered(request, code):
    unit = _unit_or_404(request, code)
    campaigns = campaign_choices_for_scope(scope=request.scope)
    form, filters = filters_from_request(request, campaigns=campaigns)
    return unit, form, filters


def _report(request, unit, filters):
    """The report's rows and total, restricted to a campaign's units when
    the filters name one."""
    report = completion_report_rows(
        scope=request.scope,
        unit=unit,
        subject=filters.subject,
        period=filters.period,
        audience=filters.audience,
    )
    if filters.campaign is not None:
        report.rows, report.total = report_rows_in_campaign(
            rows=report.rows, campaign=filters.campaign, unit=unit
        )
    return report


def _query(request, **extra) -> str:
    data = request.GET.copy()
    for key, value in extra.items():
        data[key] = value
    return urlencode(data, doseq=True)


def _toggled(request, key: str, on: bool) -> str:
    """The page's query with `key=1` set (on) or removed (off)."""
    data = request.GET.copy()
    data.pop(key, None)
    if on:
        data[key] = "1"
    return urlencode(data, doseq=True)


def _sort_links(request, sort: str, descending: bool) -> dict[str, str]:
    """The query of each sortable header: the page's filters with only this
    header's order, so the query stays the same length however often one
    clicks; a second click on the sorted column reverses it."""
    data = request.GET.copy()
    for key in ("sort", "desc", "page"):
        data.pop(key, None)
    links = {}
    for key in SORT_KEYS:
        data["sort"] = key
        if key == sort and not descending:
            data["desc"] = "1"
        else:
            data.pop("desc", None)
        links[key] = urlencode(data, doseq=True)
    return links


def _table_headers(
    *, kind: str, with_target: bool, links=None, sort="", descending=False
) -> list[dict]:
    """The report table's header cells: label, sort key, the query of its
    link (None when not sortable) and its aria-sort state."""
    columns = [("name", "Đơn vị"), ("in_scope", "Số học viên được giao / đăng ký")]
    if with_target:
        columns.append(("", "Chỉ tiêu"))
    columns += [(f"{key}_pct", label) for key, label in count_columns(kind)]
    columns.append(("average", "Điểm trung bình"))
    state = "descending" if descending else "ascending"
    return [
        {
            "key": key,
            "label": label,
            "num": key != "name",
            "query": links.get(key) if links and key else None,
            "state": state if links and key == sort else "",
        }
        for key, label in columns
    ]


@unit_admin_required
def report_page(request, code):
    unit, form, filters = _filtered(request, code)
    context = {
        "unit": unit,
        "form": form,
        "ancestry": _ancestry(request, unit),
        "refresh": refresh_notice_get(unit=unit),
    }
    if filters is not None:
        report = _report(request, unit, filters)
        sort = request.GET.get("sort", "name")
        sort = sort if sort in SORT_KEYS else "name"
        descending = request.GET.get("desc") == "1"
        rows = rows_sorted(report.rows, sort, descending)
        hide_empty = request.GET.get("hide_empty") == "1"
        empty = sum(1 for r in rows if not r.figures.in_scope)
        if hide_empty:
            rows = [r for r in rows if r.figures.in_scope]
        with_target = report.total.target is not None or any(
            r.target is not None for r in rows
        )
        running, cumulative = 0, []
        for day, n in completions_by_day(
            unit=unit,
            subject=filters.subject,
            period=filters.period,
            audience=filters.audience,
        ):
            running += n
            cumulative.append((day.strftime("%d/%m/%Y"), running))
        context.update(
            report=report,
            rows=rows,
            sort=sort,
            descending=descending,
            filters=filters,
            query=_query(request),
            hide_empty=hide_empty,
            empty_count=empty,
            hide_empty_query=_toggled(request, "hide_empty", not hide_empty),
            with_target=with_target,
            headers=_table_headers(
                kind=filters.subject.kind,
                with_target=with_target,
                links=_sort_links(request, sort, descending),
                sort=sort,
                descending=descending,
            ),
            chart_rate=charts.bar_chart(
                [
                    (r.name, r.cells()[1]["pct"] or 0)
                    for r in rows
                    if r.figures.in_scope
                ],
                max_value=100,
            ),
            chart_cumulative=charts.line_chart(cumulative),
            chart_scores=charts.bar_chart(
                [
                    (f"{10 * b}–{10 * b + 9 if b < 9 else 100}", n)
                    for b, n in enumerate(report.total.figures.bands)
                ],
                unit="",
            ),
            quarter=quarter_last_ended(timezone.localdate()),
            snapshots=ReportSnapshot.objects.filter(
                unit=unit, subject_key=filters.subject.key, replaced_at__isnull=True
            ).select_related("created_by")[:8],
        )
    return render(request, "reports/report_unit.html", context)


def _file_name(unit, filters, ext) -> str:
    return exports.report_file_name(
        unit_code=unit.code, subject=filters.subject, ext=ext, at=None
    )


_with_target = exports.levels_with_target


def _in_background(request, unit, filters, kind, extra=None):
    """A redirect to a new background job when the export covers at least
    REPORTS_EXPORT_ASYNC_FROM learners; None to build it in the request."""
    count = learners_in_scope_count(
        scope=request.scope,
        unit=unit,
        subject=filters.subject,
        audience=filters.audience,
    )
    if count is None or count < settings.REPORTS_EXPORT_ASYNC_FROM:
        return None
    job = export_job_start(
        user=request.user,
        unit=unit,
        filters=filters.as_data() | (extra or {}),
        kind=kind,
    )
    return redirect("report_export_job", job.pk)


@unit_admin_required
def report_export_xlsx(request, code):
    unit, form, filters = _filtered(request, code)
    if filters is None:
        raise Http404(_("Bộ lọc không hợp lệ."))
    if job := _in_background(request, unit, filters, ExportKind.REPORT_XLSX):
        return job
    levels = report_levels(
        scope=request.scope,
        unit=unit,
        subject=filters.subject,
        period=filters.period,
        audience=filters.audience,
    )
    if filters.campaign is not None:
        levels = report_levels_in_campaign(
            levels=levels, campaign=filters.campaign, unit=unit
        )
    content = exports.report_xlsx(
        title=f"{_('Báo cáo hoàn thành')} — {unit.name}",
        filters=filters.describe(),
        generated_at=timezone.now(),
        levels=levels,
        with_target=_with_target(levels),
        kind=filters.subject.kind,
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{_file_name(unit, filters, "xlsx")}"'
    )
    return response


@unit_admin_required
def report_export_csv(request, code):
    unit, form, filters = _filtered(request, code)
    if filters is None:
        raise Http404(_("Bộ lọc không hợp lệ."))
    if job := _in_background(request, unit, filters, ExportKind.REPORT_CSV):
        return job
    report = _report(request, unit, filters)
    with_target = report.total.target is not None or any(
        r.target is not None for r in report.rows
    )
    response = StreamingHttpResponse(
        exports.report_csv(
            rows=report.rows,
            total=report.total,
            filters=filters.describe(),
            generated_at=report.generated_at,
            with_target=with_target,
            kind=filters.subject.kind,
        ),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{_file_name(unit, filters, "csv")}"'
    )
    return response


PAGE_SIZE = 50


def _page_number(raw: str) -> int:
    """1 for anything that is not a number; a page whose offset would not fit
    in a database integer does not exist."""
    if not (raw.isascii() and raw.isdigit()):
        return 1
    if int(raw) > BIGINT_MAX // PAGE_SIZE:
        raise Http404(_("Không có trang này."))
    return max(int(raw), 1)


@unit_admin_required
def learner_page(request, code):
    unit, form, filters = _filtered(request, code)
    if filters is None:
        raise Http404(_("Bộ lọc không hợp lệ."))
    status = request.GET.get("status", "")
    search = text_exportable(request.GET.get("q", "")[:100])
    direct = request.GET.get("direct") == "1"
    fmt = request.GET.get("format", "")
    kwargs = dict(
        scope=request.scope,
        viewer=request.user,
        unit=unit,
        subject=filters.subject,
        audience=filters.audience,
        status=status,
        search=search,
        direct=direct,
        period=filters.period,
    )
    if fmt in ("xlsx", "csv"):
        kind = ExportKind.LEARNERS_XLSX if fmt == "xlsx" else ExportKind.LEARNERS_CSV
        extra = {"status": status, "q": search, "direct": "1" if direct else ""}
        if job := _in_background(request, unit, filters, kind, extra):
            return job
        rows = learner_list(**kwargs)
        learner_list_access_record(
            actor=request.user,
            unit=unit,
            people_with_full_phone=sum(row.phone_full for row in rows),
            exported=True,
        )
        describe = filters.describe() + [(_("Đơn vị"), unit.name)]
        if fmt == "xlsx":
            response = HttpResponse(
                exports.learners_xlsx(
                    title=f"{_('Danh sách học viên')} — {unit.name}",
                    filters=describe,
                    generated_at=timezone.now(),
                    rows=rows,
                    status_labels=STATUS_LABELS,
                ),
                content_type=XLSX,
            )
        else:
            response = StreamingHttpResponse(
                exports.learners_csv(
                    filters=describe,
                    generated_at=timezone.now(),
                    rows=rows,
                    status_labels=STATUS_LABELS,
                ),
                content_type="text/csv; charset=utf-8",
            )
        name = exports.learners_file_name(
            unit_code=unit.code, subject=filters.subject, ext=fmt
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    page_number = _page_number(request.GET.get("page", ""))
    rows = learner_list(
        **kwargs, limit=PAGE_SIZE + 1, offset=(page_number - 1) * PAGE_SIZE
    )
    has_next = len(rows) > PAGE_SIZE
    learner_list_access_record(
        actor=request.user,
        unit=unit,
        people_with_full_phone=sum(row.phone_full for row in rows[:PAGE_SIZE]),
        exported=False,
    )
    return render(
        request,
        "reports/learner_list.html",
        {
            "unit": unit,
            "filters": filters,
            "rows": rows[:PAGE_SIZE],
            "status": status,
            "search": search,
            "direct": direct,
            "statuses": STATUS_LABELS,
            "page_number": page_number,
            "has_next": has_next,
            "next_query": _query(request, page=page_number + 1),
            "prev_query": _query(request, page=page_number - 1),
            "query": _query(request),
            "ancestry": _ancestry(request, unit),
        },
    )


@require_POST
@unit_admin_required
def snapshot_create(request, code):
    unit, form, filters = _filtered(request, code)
    if filters is None:
        raise Http404(_("Bộ lọc không hợp lệ."))
    # The quarter's figures on file are the whole unit's, whatever campaign
    # the page was showing.
    filters = dataclass_replace(filters, campaign=None)
    quarter = request.POST.get("quarter", "")[:20]
    try:
        snapshot = report_snapshot_create(
            scope=request.scope,
            user=request.user,
            unit=unit,
            filters=filters,
            quarter=quarter,
            replace=request.POST.get("replace") == "1",
        )
    except SnapshotExists as exc:
        return render(
            request,
            "reports/snapshot_confirm.html",
            {"unit": unit, "existing": exc.snapshot, "query": _query(request)},
            status=409,
        )
    except SnapshotError as exc:
        messages.error(request, str(exc))
        return redirect(f"{reverse('report_unit', args=[unit.code])}?{_query(request)}")
    messages.success(request, _("Đã chốt số liệu quý %s.") % snapshot.quarter)
    return redirect("report_snapshot", snapshot.pk)


def _snapshot_or_404(request, pk) -> ReportSnapshot:
    snapshot = get_object_or_404(
        ReportSnapshot.objects.select_related("unit", "created_by", "replaced_by"),
        pk=pk,
    )
    if not request.scope.contains(snapshot.unit):
        raise Http404(_("Không tìm thấy bản chốt trong phạm vi quản lý của bạn."))
    return snapshot


def _snapshot_levels(snapshot):
    return [(name, [row_from_json(r) for r in rows]) for name, rows in snapshot.levels]


@unit_admin_required
def snapshot_detail(request, pk):
    snapshot = _snapshot_or_404(request, pk)
    levels = _snapshot_levels(snapshot)
    return render(
        request,
        "reports/snapshot_detail.html",
        {
            "snapshot": snapshot,
            "levels": levels,
            "with_target": _with_target(levels),
            "headers": _table_headers(
                kind=snapshot.subject_key.partition(":")[0],
                with_target=_with_target(levels),
            ),
        },
    )


@unit_admin_required
def snapshot_xlsx(request, pk):
    snapshot = _snapshot_or_404(request, pk)
    levels = _snapshot_levels(snapshot)
    title = f"{_('Chốt số liệu quý')} {snapshot.quarter} — {snapshot.unit.name}"
    wb = exports.report_workbook(
        title=title,
        filters=[tuple(f) for f in snapshot.filters]
        + [(_("Người chốt"), str(snapshot.created_by))],
        generated_at=snapshot.created_at,
        levels=levels,
        with_target=_with_target(levels),
        kind=snapshot.subject_key.partition(":")[0],
    )
    if snapshot.training:
        exports.training_sheet_add(
            wb,
            title=title,
            generated_at=snapshot.created_at,
            training=snapshot.training,
        )
    content = xlsx_bytes(wb)
    response = HttpResponse(content, content_type=XLSX)
    name = f"chot-{slugify(snapshot.unit.code)}-{snapshot.quarter}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@unit_admin_required
def live_page(request, code):
    unit = _unit_or_404(request, code)
    if request.GET.get("format") == "json":  # the page's polling without a websocket
        response = JsonResponse(live_counts(unit=unit))
        response["Cache-Control"] = "private, no-store"
        return response
    return render(
        request,
        "reports/live.html",
        {"unit": unit, "counts": live_counts(unit=unit), "interval": live_interval()},
    )


def _export_job_or_404(request, pk) -> ExportJob:
    """Only the requester (or a superuser) sees a job, and only while its
    unit is in their scope; everyone else gets the same 404 as for a job
    that does not exist."""
    job = ExportJob.objects.select_related("unit").filter(pk=pk).first()
    if (
        job is None
        or not (job.requested_by_id == request.user.pk or request.user.is_superuser)
        or not request.scope.contains(job.unit)
    ):
        raise Http404(_("Không tìm thấy tệp xuất."))
    return job


def _export_job_again_url(job: ExportJob) -> str:
    """The export link that queued the job, to try again after a failure."""
    query = urlencode(
        {k: v for k, v in job.filters.items() if k not in ("status", "q", "direct")}
    )
    if job.kind in (ExportKind.REPORT_XLSX, ExportKind.REPORT_CSV):
        name = "report_xlsx" if job.kind == ExportKind.REPORT_XLSX else "report_csv"
        return f"{reverse(name, args=[job.unit.code])}?{query}"
    fmt = "xlsx" if job.kind == ExportKind.LEARNERS_XLSX else "csv"
    extra = urlencode(
        {
            "status": job.filters.get("status", ""),
            "q": job.filters.get("q", ""),
            "direct": job.filters.get("direct", ""),
        }
    )
    url = reverse("report_learners", args=[job.unit.code])
    return f"{url}?{query}&{extra}&format={fmt}"


@never_cache
@unit_admin_required
def export_job_page(request, pk):
    job = _export_job_or_404(request, pk)
    context = {"job": job, "again_url": _export_job_again_url(job)}
    if request.htmx:
        return render(request, "reports/_export_job_progress.html", context)
    context["recent"] = [  # the job itself is the page's subject
        j
        for j in export_jobs_recent(user=request.user, scope=request.scope)
        if j.pk != job.pk
    ]
    return render(request, "reports/export_job.html", context)


@unit_admin_required
def export_job_download(request, pk):
    job = _export_job_or_404(request, pk)
    if job.status != ExportStatus.DONE or not job.file:
        raise Http404(_("Tệp chưa sẵn sàng."))
    response = FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.file_name
    )
    response["Cache-Control"] = "private, no-store"
    return response
