"""The messages H5P's own core shows inside a played H5P file, in the
learner's language (English ones are H5P's own, in the en catalogue).

Only those the player page can show: it turns off the copyright, embed,
download and full-screen controls, whose texts stay H5P's."""

from django.utils.translation import gettext_lazy as _

_TEXTS = {
    "close": _("Đóng"),
    "showMore": _("Xem thêm"),
    "showLess": _("Thu gọn"),
    "contentChanged": _("Nội dung này đã thay đổi từ lần học trước."),
    "startingOver": _("Bạn sẽ làm lại từ đầu."),
    "confirmDialogHeader": _("Xác nhận thao tác"),
    "confirmDialogBody": _(
        "Bạn có chắc muốn tiếp tục? Thao tác này không hoàn tác được."
    ),
    "cancelLabel": _("Hủy"),
    "confirmLabel": _("Xác nhận"),
    "contentCopied": _("Đã chép nội dung vào bộ nhớ tạm."),
    "connectionLost": _(
        "Mất kết nối. Kết quả được giữ lại và sẽ gửi khi có kết nối trở lại."
    ),
    "connectionReestablished": _("Đã kết nối lại."),
    "resubmitScores": _("Đang gửi lại các kết quả đã giữ."),
    "offlineDialogHeader": _("Mất kết nối tới máy chủ"),
    "offlineDialogBody": _(
        "Chưa gửi được kết quả bài làm của bạn. Hãy kiểm tra kết nối Internet."
    ),
    # H5P puts the seconds left in place of :num.
    "offlineDialogRetryMessage": _("Thử lại sau :num giây…"),
    "offlineDialogRetryButtonLabel": _("Thử lại ngay"),
    "offlineSuccessfulSubmit": _("Đã gửi kết quả."),
}


def h5p_texts() -> dict:
    """h5p-standalone's `translations` option, in the active language."""
    return {"H5P": {key: str(text) for key, text in _TEXTS.items()}}
