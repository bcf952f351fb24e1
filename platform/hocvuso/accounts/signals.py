from allauth.account.signals import authentication_step_completed, password_changed
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.core.signals import request_finished, request_started
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from .middleware import MUST_CHANGE_SESSION_KEY, PHONE_OWNER_COOKIE, PHONE_OWNER_SALT
from .selectors import request_notice_id_end, request_notice_id_start
from .services import account_phone_claim

# After a number was proven (an SMS code, or an identity provider that
# verified it) on an account whose number never was.
PASSWORD_TAKEN_MESSAGE = _(
    "Số điện thoại của bạn đã được xác thực. Mật khẩu đặt trước đó "
    "cho tài khoản này không còn dùng được: hãy đăng nhập bằng mã "
    "SMS, hoặc đặt mật khẩu mới ở mục “Đổi mật khẩu” trong hồ sơ."
)


@receiver(user_logged_in)
def _remember_password_change_required(sender, request, user, **kwargs):
    if getattr(user, "must_change_password", False) and request is not None:
        request.session[MUST_CHANGE_SESSION_KEY] = True


@receiver(user_logged_in)
def _clear_offline_data_of_another_account(sender, request, user, **kwargs):
    if request is None:
        return
    previous = request.get_signed_cookie(
        PHONE_OWNER_COOKIE, default=None, salt=PHONE_OWNER_SALT
    )
    request.offline_data_clear = previous is not None and previous != str(user.pk)
    request.phone_owner = user.pk


@receiver(user_logged_out)
def _clear_offline_data_on_logout(sender, request, user, **kwargs):
    if request is not None:
        request.offline_data_clear = True


@receiver(password_changed)
def _clear_password_change_required(sender, request, user, **kwargs):
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    if request is not None:
        request.session.pop(MUST_CHANGE_SESSION_KEY, None)


@receiver(authentication_step_completed)
def _claim_number_proven_by_code(sender, request, user, method, **kwargs):
    # Sent by a login by SMS code just before allauth marks the number
    # verified, and before the session is made (so it gets the new hash).
    phone = kwargs.get("phone")
    if method != "code" or not phone:
        return
    if account_phone_claim(user=user, phone=phone):
        messages.warning(request, PASSWORD_TAKEN_MESSAGE)


request_started.connect(request_notice_id_start, dispatch_uid="notice_id_request_start")
request_finished.connect(request_notice_id_end, dispatch_uid="notice_id_request_end")
