from django.urls import path

from . import views

app_name = "interviews"
urlpatterns = [
    # The participant's phone
    path("deltager/<int:course_id>/spoergeguide/", views.guide, name="guide"),
    path("deltager/<int:course_id>/ark/", views.sheets, name="sheets"),
    path("deltager/<int:course_id>/ark/nyt/", views.sheet_new, name="sheet_new"),
    path("deltager/<int:course_id>/ark/<int:sheet_id>/", views.sheet_edit, name="sheet_edit"),
    path("deltager/<int:course_id>/ark/<int:sheet_id>/autosave/", views.sheet_autosave, name="sheet_autosave"),
    path("deltager/<int:course_id>/ark/<int:sheet_id>/slet/", views.sheet_delete, name="sheet_delete"),
    # The facilitator
    path("forloeb/<int:course_id>/eget-eksempel/", views.example, name="example"),
    path("forloeb/<int:course_id>/refleksionsark/", views.overview, name="overview"),
]
