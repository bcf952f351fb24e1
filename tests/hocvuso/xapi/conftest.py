"""A province site (the default site, province 0 of the org_tree fixture)
sending to the LRS stand-in, a second province site that sends nothing, and
a course with a final test."""

from dataclasses import dataclass

import pytest
from hocvuso.province_sites.models import ProvinceSite
from hocvuso.xapi.models import LrsSettings
from wagtail.models import Site

from courses.models import CoursePage
from quizzes.models import QuizPage
from tests.xapi_lrs import LrsStandIn


@dataclass
class XapiWorld:
    tree: object
    site: Site
    other_site: Site
    config: LrsSettings
    course: CoursePage
    quiz: QuizPage


@pytest.fixture
def lrs():
    stand_in = LrsStandIn().start()
    yield stand_in
    stand_in.stop()


@pytest.fixture
def xapi_world(org_tree, make_quiz, lrs) -> XapiWorld:
    quiz = make_quiz(questions=4, draw=4)
    site = Site.objects.get(is_default_site=True)
    other = Site.objects.create(
        hostname="tinh1.localhost", port=80, root_page=site.root_page
    )
    ProvinceSite.objects.create(site=site, province=org_tree.provinces[0])
    ProvinceSite.objects.create(site=other, province=org_tree.provinces[1])
    config = LrsSettings.objects.create(
        site=site, enabled=True, endpoint=lrs.url, key=lrs.key, secret=lrs.secret
    )
    return XapiWorld(
        tree=org_tree,
        site=site,
        other_site=other,
        config=config,
        course=CoursePage.objects.get(),
        quiz=quiz,
    )
