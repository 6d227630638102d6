from django.urls import path

from . import views

app_name = "dialogue"
urlpatterns = [
    path("", views.home, name="home"),
    path("forloeb/<int:course_id>/", views.course_detail, name="course"),
    path("tilgaengelighed/", views.accessibility, name="accessibility"),
]
