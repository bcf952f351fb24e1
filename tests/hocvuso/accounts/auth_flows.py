"""What the sign-in tests share: the allauth pages and reading what a
learner would see (the page's text, the code in the last SMS)."""

import re

from hocvuso.accounts import sms

SIGNUP = "/tai-khoan/signup/"
VERIFY = "/tai-khoan/phone/verify/"
LOGIN = "/tai-khoan/login/"
LOGIN_CODE = "/tai-khoan/login/code/"
LOGIN_CODE_CONFIRM = "/tai-khoan/login/code/confirm/"


def last_code() -> str:
    assert sms.outbox, "no SMS was sent"
    return re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())
