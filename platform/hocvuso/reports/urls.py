from django.urls import path

from . import views

urlpatterns = [
    path("", views.report_home, name="report_home"),
    path("chot/<int:pk>/", views.snapshot_detail, name="report_snapshot"),
    path("chot/<int:pk>/xlsx/", views.snapshot_xlsx, name="report_snapshot_xlsx"),
    path("tep/<int:pk>/", views.export_job_page, name="report_export_job"),
    path("tep/<int:pk>/tai/", views.export_job_download, name="report_export_download"),
    path("<str:code>/", views.report_page, name="report_unit"),
    path("<str:code>/xlsx/", views.report_export_xlsx, name="report_xlsx"),
    path("<str:code>/csv/", views.report_export_csv, name="report_csv"),
    path("<str:code>/hoc-vien/", views.learner_page, name="report_learners"),
    path("<str:code>/chot/", views.snapshot_create, name="report_snapshot_create"),
    path("<str:code>/truc-tiep/", views.live_page, name="report_live"),
]
