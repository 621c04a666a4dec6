"""Pages of the satisfaction app, mounted at /satisfaction/."""

from django.urls import path

from satisfaction import views

app_name = "satisfaction"

urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("rounds/new/", views.round_launch, name="round_launch"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("sample/<int:pk>/answer/", views.answer_create, name="answer_create"),
    path("answers/<int:pk>/", views.answer_detail, name="answer_detail"),
    path("index/", views.index_page, name="index"),
    path("measures/", views.measure_list, name="measure_list"),
    path("measures/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("measures/<int:pk>/write/", views.measure_write, name="measure_write"),
    path("measures/<int:pk>/comment/", views.measure_comment, name="measure_comment"),
    path("questionnaires/", views.questionnaire_list, name="questionnaire_list"),
    path("questionnaires/new/", views.questionnaire_create, name="questionnaire_create"),
    path("questionnaires/<int:pk>/edit/", views.questionnaire_edit, name="questionnaire_edit"),
]
