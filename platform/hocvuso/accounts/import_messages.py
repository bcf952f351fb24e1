"""The Vietnamese messages for the import's error codes (import_rows.py)."""

from django.utils.translation import gettext_lazy as _

from .phone import INVALID_PHONE

ROW_ERRORS = {
    "missing_name": _("Thiếu họ và tên."),
    "name_too_long": _("Họ và tên dài quá %(max)s ký tự."),
    "name_invalid": _(
        "Họ và tên “%(value)s” có chữ số hoặc ký tự đặc biệt; chỉ ghi chữ cái và dấu cách."
    ),
    "control_character": _(
        "Ô “%(column)s” có ký tự điều khiển hoặc ký tự không đọc được; "
        "hãy gõ lại ô này."
    ),
    "missing_phone": _("Thiếu số điện thoại."),
    "bad_phone": INVALID_PHONE,
    "duplicate_phone": _("Số điện thoại trùng với dòng %(row)s trong tệp."),
    "bad_year": _("Năm sinh “%(value)s” không hợp lệ; hãy ghi 4 chữ số, ví dụ 1985."),
    "year_out_of_range": _("Năm sinh phải trong khoảng %(min)s–%(max)s."),
    "missing_commune": _("Thiếu mã xã."),
    "bad_commune_code": _("Mã xã “%(value)s” phải gồm 5 chữ số, ví dụ 21025."),
    "unknown_commune": _("Không có xã, phường mã %(value)s trong danh mục."),
    "out_of_scope": _("Xã, phường mã %(value)s không thuộc phạm vi quản lý của bạn."),
    "unknown_village": _("%(commune)s không có thôn, tổ dân phố “%(value)s”."),
    "unknown_team": _("%(commune)s không có tổ công nghệ số “%(value)s”."),
    "team_elsewhere": _("Tổ “%(value)s” không thuộc thôn, tổ dân phố “%(village)s”."),
    "bad_role": _(
        "Vai trò “%(value)s” không hợp lệ; hãy ghi “tổ trưởng”, “thành viên” hoặc để trống."
    ),
    "role_without_team": _(
        "Vai trò “%(value)s” chỉ dùng cho thành viên một tổ: hãy ghi tên tổ CNSCĐ."
    ),
    "duplicate_leader": _("Tổ “%(team)s” đã có tổ trưởng ở dòng %(row)s."),
    "protected_account": _(
        "Số điện thoại thuộc một tài khoản quản trị; không thể sửa bằng tệp."
    ),
    "phone_out_of_scope": _(
        "Số điện thoại đã thuộc một tài khoản ngoài phạm vi quản lý của bạn."
    ),
    "write_failed": _(
        "Không ghi được dòng này (tên đăng nhập đã có người dùng); không có gì bị thay đổi."
    ),
}

ROW_WARNINGS = {
    "member_without_team": _(
        "Vai trò “%(value)s” nhưng không ghi tổ CNSCĐ: sẽ nhập như người dân."
    ),
}

FILE_ERRORS = {
    "missing_columns": _(
        "Tệp thiếu cột: %(columns)s. Hãy dùng tệp mẫu và giữ nguyên dòng tiêu đề."
    ),
    "too_large": _("Tệp lớn quá %(max)s MB."),
}

TEMPLATE_GUIDE = [
    _("Mỗi dòng là một người. Giữ nguyên dòng tiêu đề của trang “Danh sách”."),
    _("họ và tên: bắt buộc, chỉ chữ cái và dấu cách."),
    _(
        "số điện thoại: bắt buộc, số di động Việt Nam, ví dụ 0912 345 678; mỗi số một dòng."
    ),
    _("năm sinh: không bắt buộc, 4 chữ số, ví dụ 1985."),
    _("mã xã: bắt buộc, mã 5 chữ số của xã, phường trong danh mục đơn vị hành chính."),
    _("thôn/tổ dân phố: không bắt buộc, tên đúng như trong danh sách thôn của xã."),
    _("tổ CNSCĐ: tên Tổ công nghệ số cộng đồng; để trống nếu là người dân."),
    _(
        "vai trò: “tổ trưởng” hoặc “thành viên” (mặc định là thành viên khi có tổ); "
        "không ghi tổ thì người đó được nhập như người dân."
    ),
    _(
        "Nhập lại cùng một tệp không thay đổi gì; dòng có số điện thoại đã có sẽ cập nhật tài khoản đó."
    ),
]
