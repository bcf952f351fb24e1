from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from certificates.render import qr_png
from courses.models import ProgrammePage
from hocvuso.accounts.phone import phone_normalize
from hocvuso.orgunits.decorators import unit_admin_required
from hocvuso.orgunits.models import Unit, UnitLevel
from hocvuso.orgunits.selectors import unit_children_in_scope, unit_in_scope_get
from hocvuso.province_sites.selectors import courses_in_scope

from . import checkin, exports
from .forms import CancelForm, CodeForm, TrainingClassForm
from .models import CheckinMethod, TrainingClass
from .selectors import (
    class_get,
    class_in_scope_get,
    class_invited_count,
    class_people_list,
    class_person_get,
    class_present_count,
    class_report,
    classes_in_scope,
    classes_open_list,
    person_in_scope_id,
)
from .services import (
    CheckinError,
    TrainingError,
    attendance_mark,
    attendance_unmark,
    class_has_started,
    notice_is_late,
    training_class_cancel,
    training_class_create,
    training_class_update,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PENDING = "training_checkin"
WRONG_CODES_ALLOWED = 10
WRONG_CODES_WINDOW = 600
REPORT_DAYS_DEFAULT = 30
REPORT_DAYS_MAX = 365


def _class_or_404(request, pk: int) -> TrainingClass:
    training_class = class_in_scope_get(scope=request.scope, pk=pk)
    if training_class is None:
        raise Http404(_("Không tìm thấy lớp trong phạm vi quản lý của bạn."))
    return training_class


@unit_admin_required
def class_list(request):
    classes = classes_in_scope(scope=request.scope).order_by("-starts_at")[:200]
    return render(request, "training/class_list.html", {"classes": classes})


def _class_form(
    request, unit: Unit, data=None, *, editing: TrainingClass | None = None, **kwargs
) -> TrainingClassForm:
    children = unit_children_in_scope(scope=request.scope, unit=unit).order_by("name")
    courses = list(courses_in_scope(scope=request.scope))
    programmes = list(ProgrammePage.objects.live().order_by("title"))
    # A class keeps its subject even if that page was unpublished since.
    if editing is not None and editing.course and editing.course not in courses:
        courses.append(editing.course)
    if (
        editing is not None
        and editing.programme
        and editing.programme not in programmes
    ):
        programmes.append(editing.programme)
    return TrainingClassForm(
        data,
        courses=courses,
        programmes=programmes,
        units=[unit, *children],
        people_lookup=lambda phone: person_in_scope_id(
            scope=request.scope, phone=phone
        ),
        **kwargs,
    )


def _capacity_warning(request, training_class: TrainingClass) -> None:
    invited = class_invited_count(training_class=training_class)
    if invited > training_class.capacity:
        messages.warning(
            request,
            _("Số người được mời (%(n)d) nhiều hơn số chỗ (%(c)d).")
            % {"n": invited, "c": training_class.capacity},
        )


@unit_admin_required
def class_add(request, code: str):
    unit = unit_in_scope_get(scope=request.scope, code=code)
    if unit is None or unit.level == UnitLevel.VILLAGE:
        raise Http404(_("Lớp tập huấn do tỉnh hoặc xã, phường tổ chức."))
    form = _class_form(
        request, unit, request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            training_class = training_class_create(
                created_by=request.user,
                unit=unit,
                **_class_fields(form.cleaned_data),
            )
        except TrainingError as error:
            form.add_error(None, str(error))
        else:
            invited = class_invited_count(training_class=training_class)
            messages.success(
                request,
                _(
                    "Đã tạo lớp “%(title)s”, mời %(n)d người; tin nhắn mời được gửi "
                    "đến những người có số điện thoại."
                )
                % {"title": training_class.title, "n": invited},
            )
            if notice_is_late(starts_at=training_class.starts_at):
                messages.warning(
                    request,
                    _(
                        "Lớp bắt đầu sau chưa đến 7 ngày: kế hoạch yêu cầu thông báo "
                        "trước ít nhất một tuần."
                    ),
                )
            _capacity_warning(request, training_class)
            return redirect("training_class_detail", pk=training_class.pk)
    return render(
        request,
        "training/class_add.html",
        {"unit": unit, "form": form},
        status=400 if form.is_bound else 200,
    )


def _class_fields(data: dict) -> dict:
    """The class form's cleaned data as the create and update services take it."""
    return {
        "title": data["title"],
        "course": data["course"],
        "programme": data["programme"],
        "kind": data["kind"],
        "place": data["place"],
        "conference_link": data["conference_link"],
        "starts_at": data["starts_at"],
        "ends_at": data["ends_at"],
        "trainer": data["trainer"],
        "capacity": data["capacity"],
        "invited_units": data["invited_units"],
        "chosen_user_ids": data["phones"],
    }


def _form_initial(training_class: TrainingClass) -> dict:
    subject = (
        f"c{training_class.course_id}"
        if training_class.course_id
        else f"p{training_class.programme_id}"
    )
    return {
        "title": training_class.title,
        "what": subject,
        "kind": training_class.kind,
        "place": training_class.place,
        "conference_link": training_class.conference_link,
        "starts_at": timezone.localtime(training_class.starts_at),
        "ends_at": timezone.localtime(training_class.ends_at),
        "trainer": training_class.trainer,
        "capacity": training_class.capacity,
        "units": list(training_class.invited_units.values_list("code", flat=True)),
        "phones": "",
    }


@unit_admin_required
def class_edit(request, pk: int):
    """The creation form again, filled in. Before the class: everything,
    the invitees told of a new time or place by SMS; once it has started,
    only the title, the trainer and the capacity (the rest is disabled)."""
    training_class = _class_or_404(request, pk)
    if training_class.is_cancelled:
        messages.error(request, _("Lớp đã bị hủy, không sửa được nữa."))
        return redirect("training_class_detail", pk=pk)
    started = class_has_started(training_class, now=timezone.now())
    form = _class_form(
        request,
        training_class.unit,
        request.POST if request.method == "POST" else None,
        editing=training_class,
        initial=_form_initial(training_class),
        started=started,
        others_invited=class_invited_count(training_class=training_class) > 0,
    )
    if request.method == "POST" and form.is_valid():
        try:
            change = training_class_update(
                training_class=training_class,
                changed_by=request.user,
                **_class_fields(form.cleaned_data),
            )
        except TrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu thay đổi của lớp."))
            if change.notified:
                messages.success(
                    request,
                    _("Đã gửi tin nhắn báo đổi lịch đến %(n)d người được mời.")
                    % {"n": change.notified},
                )
            if change.added or change.removed:
                messages.success(
                    request,
                    _(
                        "Danh sách mời: thêm %(added)d người (đã gửi tin nhắn mời), "
                        "bỏ %(removed)d người."
                    )
                    % {"added": change.added, "removed": change.removed},
                )
            _capacity_warning(request, change.training_class)
            return redirect("training_class_detail", pk=pk)
    return render(
        request,
        "training/class_edit.html",
        {"training_class": training_class, "form": form, "started": started},
        status=400 if form.is_bound else 200,
    )


@unit_admin_required
def class_cancel(request, pk: int):
    training_class = _class_or_404(request, pk)
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = training_class_cancel(
                training_class=training_class,
                cancelled_by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except TrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Đã hủy lớp “%(title)s”; tin nhắn báo hủy gửi đến %(n)d người.")
                % {"title": training_class.title, "n": sent},
            )
            return redirect("training_class_detail", pk=pk)
    return render(
        request,
        "training/class_cancel.html",
        {"training_class": training_class, "form": form},
        status=400 if form.is_bound else 200,
    )


@unit_admin_required
def class_detail(request, pk: int):
    training_class = _class_or_404(request, pk)
    return render(
        request,
        "training/class_detail.html",
        {
            "training_class": training_class,
            "people": class_people_list(training_class=training_class),
            "invited_units": training_class.invited_units.order_by("name"),
        },
    )


def _person_to_mark(request, training_class: TrainingClass):
    """By id, someone on the class's list; by phone number (a walk-in),
    any account of the admin's subtree. None for anything else."""
    phone = request.POST.get("phone", "").strip()
    if phone:
        try:
            user_id = person_in_scope_id(
                scope=request.scope, phone=phone_normalize(phone)
            )
        except ValidationError:
            return None
        return get_user_model().objects.filter(pk=user_id).first() if user_id else None
    raw = request.POST.get("user", "")
    if not (raw.isascii() and raw.isdigit() and len(raw) < 19):
        return None
    return class_person_get(training_class=training_class, user_id=int(raw))


@require_POST
@unit_admin_required
def class_mark(request, pk: int):
    """The trainer's hand: for people without a phone or without data."""
    training_class = _class_or_404(request, pk)
    user = _person_to_mark(request, training_class)
    if user is None:
        messages.error(
            request,
            _(
                "Hãy chọn một người trong danh sách, hoặc nhập số điện thoại của một "
                "tài khoản trong phạm vi quản lý của bạn."
            ),
        )
    elif request.POST.get("action") == "absent":
        attendance_unmark(training_class=training_class, user_id=user.pk)
        messages.success(request, _("Đã bỏ đánh dấu có mặt: %(n)s.") % {"n": user})
    else:
        try:
            attendance_mark(
                training_class=training_class,
                user=user,
                method=CheckinMethod.MANUAL,
                marked_by=request.user,
            )
        except CheckinError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã đánh dấu có mặt: %(n)s.") % {"n": user})
    return redirect("training_class_detail", pk=pk)


@unit_admin_required
def class_qr(request, pk: int):
    training_class = _class_or_404(request, pk)
    if training_class.is_cancelled:
        messages.error(request, _("Lớp đã bị hủy, không điểm danh được."))
        return redirect("training_class_detail", pk=pk)
    return render(
        request,
        "training/class_qr.html",
        {
            "training_class": training_class,
            "code": checkin.spoken_code(training_class.pk, at=timezone.now()),
            "present": class_present_count(training_class=training_class),
            "refresh_ms": checkin.QR_REFRESH * 1000,
        },
    )


def _checkin_url(request, class_id: int) -> str:
    return request.build_absolute_uri(
        reverse("training_checkin") + "?t=" + checkin.qr_token(class_id)
    )


@never_cache
@unit_admin_required
def class_qr_png(request, pk: int):
    training_class = _class_or_404(request, pk)
    return HttpResponse(
        qr_png(_checkin_url(request, training_class.pk), scale=8),
        content_type="image/png",
    )


@never_cache
@unit_admin_required
def class_qr_state(request, pk: int):
    training_class = _class_or_404(request, pk)
    return JsonResponse(
        {
            "code": checkin.spoken_code(training_class.pk, at=timezone.now()),
            "present": class_present_count(training_class=training_class),
            "url": _checkin_url(request, training_class.pk),
        }
    )


def _report_days(request) -> int:
    raw = request.GET.get("ngay", "")
    if raw.isascii() and raw.isdigit() and len(raw) <= 3:
        return min(max(int(raw), 1), REPORT_DAYS_MAX)
    return REPORT_DAYS_DEFAULT


@unit_admin_required
def class_report_view(request, pk: int):
    training_class = _class_or_404(request, pk)
    days = _report_days(request)
    return render(
        request,
        "training/class_report.html",
        {
            "training_class": training_class,
            "report": class_report(training_class=training_class, days=days),
        },
    )


@unit_admin_required
def class_report_xlsx(request, pk: int):
    training_class = _class_or_404(request, pk)
    report = class_report(training_class=training_class, days=_report_days(request))
    response = HttpResponse(
        exports.class_report_xlsx(training_class=training_class, report=report),
        content_type=XLSX,
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.class_report_file_name(training_class)}"'
    )
    return response


def _checked_in(request, training_class: TrainingClass, method: str):
    try:
        attendance, _created = attendance_mark(
            training_class=training_class, user=request.user, method=method
        )
    except CheckinError as error:
        return _refused(request, str(error))
    return render(
        request,
        "training/checkin_done.html",
        {"training_class": training_class, "attendance": attendance},
    )


def _refused(request, message: str):
    return render(
        request, "training/checkin_refused.html", {"message": message}, status=403
    )


@never_cache
def checkin_view(request):
    """Where the QR leads. A fresh token marks the learner present; one
    scanned while logged out is remembered for LOGIN_GRACE while they log in.
    Marking on GET is deliberate: a phone camera opens a link, and the signed,
    30-second token (not a form) is what proves the learner is in the room."""
    now = timezone.now()
    token = request.GET.get("t")
    if token is not None:
        try:
            class_id = checkin.qr_token_class_id(token)
        except checkin.TokenRefused:
            return _refused(
                request,
                _(
                    "Mã QR này đã hết hạn hoặc không hợp lệ. Mã QR đổi sau vài giây: "
                    "hãy quét mã đang hiện trên màn hình của lớp, hoặc nhập mã số "
                    "giảng viên đọc."
                ),
            )
        training_class = class_get(pk=class_id)
        if training_class is None:
            return _refused(request, _("Không tìm thấy lớp học này."))
        if not request.user.is_authenticated:
            request.session[PENDING] = checkin.pending_scan(class_id, at=now)
            return redirect_to_login(reverse("training_checkin"))
        return _checked_in(request, training_class, CheckinMethod.QR)
    if request.user.is_authenticated and PENDING in request.session:
        pending = request.session.pop(PENDING)
        class_id = checkin.pending_scan_class_id(pending, at=now)
        training_class = class_get(pk=class_id) if class_id else None
        if training_class is None:
            return _refused(
                request,
                _(
                    "Đã quá lâu từ lúc quét mã QR. Hãy quét lại mã đang hiện trên "
                    "màn hình của lớp."
                ),
            )
        return _checked_in(request, training_class, CheckinMethod.QR)
    return render(request, "training/checkin_landing.html")


@never_cache
@login_required
def checkin_code_view(request):
    """The code read out in a video conference, for whichever class is open."""
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        key = f"training-wrong-code:{request.user.pk}"
        if (cache.get(key) or 0) >= WRONG_CODES_ALLOWED:
            form.add_error(
                "code", _("Bạn đã nhập sai quá nhiều lần. Hãy thử lại sau ít phút.")
            )
        else:
            now = timezone.now()
            code = form.cleaned_data["code"]
            for training_class in classes_open_list(at=now):
                if checkin.spoken_code_matches(training_class.pk, code, at=now):
                    return _checked_in(request, training_class, CheckinMethod.CODE)
            cache.add(key, 0, WRONG_CODES_WINDOW)
            cache.incr(key)
            form.add_error(
                "code",
                _("Mã không đúng hoặc đã hết hạn. Hãy nhập mã giảng viên vừa đọc."),
            )
    return render(
        request,
        "training/checkin_code.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )
