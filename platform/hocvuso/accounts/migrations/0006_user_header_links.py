from django.db import migrations, models
from django.db.models import Exists, OuterRef, Subquery

SCOPE_ROLES = ("province_admin", "commune_admin")


def header_links_fill(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    AdminRole = apps.get_model("orgunits", "AdminRole")
    TeamMembership = apps.get_model("orgunits", "TeamMembership")
    roles = AdminRole.objects.filter(user=OuterRef("pk"))
    led = TeamMembership.objects.filter(user=OuterRef("pk"), role="leader").order_by(
        "team__name", "team_id"
    )
    User.objects.update(
        administers_units=Exists(roles.filter(role__in=SCOPE_ROLES)),
        edits_content=Exists(roles.filter(role="content_editor")),
        led_team_id=Subquery(led.values("team_id")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_import_rows_deleted_at"),
        ("orgunits", "0003_assignments_targets"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="administers_units",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="user",
            name="edits_content",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="user",
            name="led_team",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=models.deletion.SET_NULL,
                related_name="+",
                to="orgunits.team",
            ),
        ),
        migrations.RunPython(header_links_fill, migrations.RunPython.noop),
    ]
