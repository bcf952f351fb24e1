"""A lesson page as a browser sees it: the shared page, then its personal
state (core.page_state), which page_state.js puts in place."""

import re

from django.test import Client
from django.test.client import ClientHandler
from hocvuso.core.page_state_handler import PageStateHandler


class ShortChainClientHandler(ClientHandler):
    """The test client over the short middleware chain that the site's WSGI
    application uses for the learner's frequent requests."""

    def load_middleware(self, is_async=False):
        PageStateHandler.load_middleware(self, is_async)


def short_chain_client() -> Client:
    client = Client()
    client.handler = ShortChainClientHandler(enforce_csrf_checks=False)
    return client


def page_state(client: Client, page) -> dict:
    response = client.get(f"/api/me/state?page={page.pk}")
    assert response.status_code == 200, response.content[:200]
    return response.json()


def visit(client: Client, page) -> tuple[str, dict]:
    """(the page's text with its personal parts in place, the state)."""
    response = client.get(page.url)
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    state = page_state(client, page)
    for name, part in state["parts"].items():
        html = re.sub(
            rf'(<[^>]+data-state-part="{name}"[^>]*>).*?(</(?:div|nav)>)',
            lambda m, part=part: m.group(1) + part + m.group(2),
            html,
            count=1,
            flags=re.S,
        )
    return re.sub(r"\s+", " ", html), state
