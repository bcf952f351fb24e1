"""Issue 23: `reports_check` (and its nightly task) finds where the
maintained figures differ from the grouped SQL, and `reports_backfill`
repairs them; until an upgraded installation is backfilled the report
computes from the raw rows."""

import logging
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from hocvuso.reports import maintained
from hocvuso.reports.models import LearnerFact, MaintainedState, UnitDay, UnitFigure
from hocvuso.reports.tasks import counters_compact_task, maintained_figures_check_task

from courses.models import CourseCompletion

pytestmark = pytest.mark.django_db


def _behind_the_services_back(dataset):
    """A completion written straight to the table (as a restore or a manual
    fix would): the maintained figures do not know it."""
    done = set(CourseCompletion.objects.values_list("user_id", flat=True))
    enrolled = dataset.courses[0].enrolments.exclude(user_id__in=done).first()
    CourseCompletion.objects.create(
        user_id=enrolled.user_id,
        course=dataset.courses[0],
        completed_at=timezone.now() - timedelta(days=1),
    )


def test_the_check_finds_a_difference_and_the_backfill_repairs_it(dataset, capsys):
    call_command("reports_check")
    assert "khớp" in capsys.readouterr().out
    _behind_the_services_back(dataset)
    with pytest.raises(CommandError, match="chênh lệch"):
        call_command("reports_check")
    assert "completed: số liệu duy trì" in capsys.readouterr().out
    call_command("reports_backfill", batch=50)
    assert "người học" in capsys.readouterr().out
    call_command("reports_check", sample=5)


def test_the_nightly_task_logs_each_difference(dataset, caplog):
    assert maintained_figures_check_task(sample=3) == 0
    _behind_the_services_back(dataset)
    with caplog.at_level(logging.ERROR, logger="hocvuso.reports.tasks"):
        found = maintained_figures_check_task(sample=10_000)
    assert found > 0
    assert "Số liệu báo cáo chênh lệch" in caplog.text


def test_before_the_backfill_the_report_reads_the_raw_rows(client, org_tree, dataset):
    """An upgraded installation: figures not ready, the page is still right."""
    MaintainedState.objects.update(ready_at=None)
    _behind_the_services_back(dataset)
    client.force_login(org_tree.admins["province0"])
    url = reverse("report_unit", args=[org_tree.provinces[0].code])
    query = f"?subject=course:{dataset.courses[0].pk}&audience="
    raw = client.get(url + query).context["report"].total.figures.completed
    maintained.backfill()
    assert maintained.is_ready()
    assert client.get(url + query).context["report"].total.figures.completed == raw


def _chart(client, url):
    return client.get(url).context["chart_cumulative"]


def test_an_upgrade_draws_the_chart_from_the_raw_rows_until_the_backfill(
    client, org_tree, dataset, capsys
):
    """Installed before the per-day counters (migration 0007 on a site with
    completions): the chart reads the raw rows, the check reports every day
    missing, and the backfill fills the counters without changing the chart."""
    client.force_login(org_tree.admins["province0"])
    url = reverse("report_unit", args=[org_tree.provinces[0].code])
    url += f"?subject=course:{dataset.courses[0].pk}&audience="
    before = _chart(client, url)
    assert before
    UnitDay.objects.all().delete()
    LearnerFact.objects.update(completed_on=None)
    MaintainedState.objects.update(days_ready_at=None)
    assert _chart(client, url) == before
    with pytest.raises(CommandError, match="chênh lệch"):
        call_command("reports_check")
    assert "completed " in capsys.readouterr().out
    call_command("reports_backfill", batch=50)
    assert maintained.days_ready()
    assert _chart(client, url) == before
    call_command("reports_check")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the fold is PostgreSQL's SQL"
)
def test_folding_the_shards_keeps_every_figure(dataset):
    spread = UnitFigure.objects.filter(shard__gt=0).count()
    spread_days = UnitDay.objects.filter(shard__gt=0).count()
    assert spread > 0 and spread_days > 0
    assert counters_compact_task() == spread + spread_days
    assert not UnitFigure.objects.filter(shard__gt=0).exists()
    assert not UnitDay.objects.filter(shard__gt=0).exists()
    call_command("reports_check")  # every unit, subject and day: all equal


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the fold is PostgreSQL's SQL"
)
def test_the_backfill_command_leaves_the_counters_folded(dataset):
    """A backfill writes every learner into every shard; the command folds
    them so that the first report after an upgrade reads one row a unit."""
    call_command("reports_backfill", rebuild=True, batch=50)
    assert UnitFigure.objects.filter(shard=0).exists()
    assert not UnitFigure.objects.filter(shard__gt=0).exists()
    assert not UnitDay.objects.filter(shard__gt=0).exists()
    call_command("reports_check")  # every unit, every subject: all equal
