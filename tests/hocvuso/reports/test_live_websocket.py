"""The training-day dashboard pushes counts for the admin's subtree only."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing.websocket import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from hocvuso.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


def _socket(user, code) -> WebsocketCommunicator:
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return WebsocketCommunicator(
        application,
        f"/ws/bao-cao/truc-tiep/{code}/",
        headers=[
            (b"cookie", cookie.encode()),
            (b"origin", b"http://localhost"),
            (b"host", b"localhost"),
        ],
    )


def test_commune_admin_gets_own_subtree_and_is_refused_elsewhere(org_tree):
    async_to_sync(_scenario)(org_tree)


async def _scenario(org_tree):
    admin = org_tree.admins["commune0.0"]
    own, other = org_tree.communes[0], org_tree.communes[1]
    ws = await sync_to_async(_socket)(admin, own.code)
    connected, _ = await ws.connect()
    assert connected
    data = await ws.receive_json_from(timeout=5)
    villages = {r["code"] for r in data["rows"]}
    assert villages == {
        v.code for v in org_tree.villages if v.path.startswith(own.path)
    }
    await ws.disconnect()
    ws = await sync_to_async(_socket)(admin, other.code)
    connected, _ = await ws.connect()
    assert not connected
