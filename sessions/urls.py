from django.urls import path

from .views import pages

app_name = "dialogue"
urlpatterns = [
    # Pages for facilitators and leaders
    path("", pages.home, name="home"),
    path("forloeb/<int:course_id>/", pages.course_detail, name="course"),
    path("tilgaengelighed/", pages.accessibility, name="accessibility"),
    # Kick-off and joining from phones (issue 3)
    # The follow-up meeting (issue 5)
    # Printables and photos (issue 6)
]
