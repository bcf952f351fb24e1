from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("certificates", "0003_revocation_category"),
    ]

    operations = [
        migrations.CreateModel(
            name="CredentialKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("key_id", models.CharField(editable=False, max_length=40, unique=True)),
                ("public_jwk", models.JSONField(editable=False)),
                ("private_key_encrypted", models.TextField(editable=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("retired_at", models.DateTimeField(blank=True, null=True)),
                ("withdrawn_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "verbose_name": "khóa ký chứng chỉ số",
                "verbose_name_plural": "khóa ký chứng chỉ số",
            },
        ),
    ]
