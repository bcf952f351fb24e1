from django.urls import path

from . import views

admin_urlpatterns = [
    path("lop-hoc/", views.class_list, name="training_class_list"),
    path("don-vi/<str:code>/lop-hoc/them/", views.class_add, name="training_class_add"),
    path("lop-hoc/<int:pk>/", views.class_detail, name="training_class_detail"),
    path("lop-hoc/<int:pk>/sua/", views.class_edit, name="training_class_edit"),
    path("lop-hoc/<int:pk>/huy/", views.class_cancel, name="training_class_cancel"),
    path("lop-hoc/<int:pk>/diem-danh/", views.class_mark, name="training_class_mark"),
    path("lop-hoc/<int:pk>/ma-qr/", views.class_qr, name="training_class_qr"),
    path(
        "lop-hoc/<int:pk>/ma-qr/anh.png",
        views.class_qr_png,
        name="training_class_qr_png",
    ),
    path(
        "lop-hoc/<int:pk>/ma-qr/trang-thai/",
        views.class_qr_state,
        name="training_class_qr_state",
    ),
    path(
        "lop-hoc/<int:pk>/bao-cao/",
        views.class_report_view,
        name="training_class_report",
    ),
    path(
        "lop-hoc/<int:pk>/bao-cao.xlsx",
        views.class_report_xlsx,
        name="training_class_report_xlsx",
    ),
]

learner_urlpatterns = [
    path("", views.checkin_view, name="training_checkin"),
    path("ma/", views.checkin_code_view, name="training_checkin_code"),
]
