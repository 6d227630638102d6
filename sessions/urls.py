from django.urls import path

from .views import meeting, pages

app_name = "dialogue"
urlpatterns = [
    # Pages for facilitators and leaders
    path("", pages.home, name="home"),
    path("forloeb/<int:course_id>/", pages.course_detail, name="course"),
    path("tilgaengelighed/", pages.accessibility, name="accessibility"),
    # Kick-off and joining from phones (issue 3)
    # The follow-up meeting (issue 5)
    path("forloeb/<int:course_id>/moede/", meeting.dashboard, name="meeting"),
    path("forloeb/<int:course_id>/moede/live/", meeting.dashboard_live, name="meeting_live"),
    path("forloeb/<int:course_id>/moede/styr/", meeting.control, name="meeting_control"),
    path("forloeb/<int:course_id>/skaerm/moede/", meeting.presenter, name="meeting_presenter"),
    path("forloeb/<int:course_id>/skaerm/moede/live/", meeting.presenter_live, name="meeting_presenter_live"),
    path("deltager/<int:course_id>/moede/", meeting.phone, name="meeting_phone"),
    path("deltager/<int:course_id>/moede/status/", meeting.phone_status, name="meeting_phone_status"),
    path("deltager/<int:course_id>/moede/formular/", meeting.phone_form, name="meeting_phone_form"),
    path("deltager/<int:course_id>/moede/kort/", meeting.phone_card, name="meeting_card"),
    path("deltager/<int:course_id>/moede/overraskelse/", meeting.phone_surprise, name="meeting_surprise"),
    path("deltager/<int:course_id>/moede/forslag/", meeting.phone_proposal, name="meeting_proposal"),
    path("deltager/<int:course_id>/moede/prik/", meeting.phone_dot, name="meeting_dot"),
    # Printables and photos (issue 6)
]
