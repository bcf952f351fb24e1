from django.urls import path

from . import import_views as views

urlpatterns = [
    path("", views.import_start, name="import_start"),
    path("mau.xlsx", views.import_template_xlsx, name="import_template_xlsx"),
    path("mau.csv", views.import_template_csv, name="import_template_csv"),
    path("<int:job_id>/", views.import_detail, name="import_detail"),
    path("<int:job_id>/xac-nhan/", views.import_confirm, name="import_confirm"),
    path("<int:job_id>/tien-do/", views.import_progress, name="import_progress"),
    path("<int:job_id>/dong-loi.csv", views.import_failed_rows, name="import_failed"),
    path(
        "<int:job_id>/phieu-mat-khau/",
        views.import_password_sheet,
        name="import_password_sheet",
    ),
]
