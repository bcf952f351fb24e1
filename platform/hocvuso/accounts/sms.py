"""Pluggable SMS backends, chosen by settings.SMS_BACKEND.

- ConsoleBackend: prints the message (development).
- LocmemBackend: keeps messages in `outbox` (tests read codes from it).
- HttpGatewayBackend: POSTs JSON to SMS_GATEWAY_URL with a bearer token; the
  shape most Vietnamese brand-name SMS gateways accept behind a small adapter.
"""

import json
import logging
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmsMessage:
    to: str
    text: str


class SmsError(RuntimeError):
    pass


outbox: list[SmsMessage] = []


class ConsoleBackend:
    def send(self, message: SmsMessage) -> None:
        print(f"[SMS → {message.to}] {message.text}", flush=True)


class LocmemBackend:
    def send(self, message: SmsMessage) -> None:
        outbox.append(message)


class HttpGatewayBackend:
    def send(self, message: SmsMessage) -> None:
        if not settings.SMS_GATEWAY_URL:
            raise SmsError("SMS_GATEWAY_URL is not set")
        body = json.dumps(
            {"to": message.to, "text": message.text, "sender": settings.SMS_SENDER_NAME}
        ).encode()
        request = urllib.request.Request(
            settings.SMS_GATEWAY_URL,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                if response.status >= 300:
                    raise SmsError(f"gateway answered {response.status}")
        except OSError as exc:
            raise SmsError(str(exc)) from exc


def sms_backend_get():
    return import_string(settings.SMS_BACKEND)()
