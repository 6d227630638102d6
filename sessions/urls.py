from django.urls import path

from .views import join, kickoff, pages, photos, preparation, printables

app_name = "dialogue"
urlpatterns = [
    # Pages for facilitators and leaders
    path("", pages.home, name="home"),
    path("forloeb/<int:course_id>/", pages.course_detail, name="course"),
    path("tilgaengelighed/", pages.accessibility, name="accessibility"),
    # Kick-off and joining from phones (issue 3)
    path("deltag/", join.join, name="join"),
    path("j/<str:code>/", join.join_code, name="join_code"),
    path("deltager/retur/<str:token>/", join.participant_return, name="participant_return"),
    path("deltager/<int:course_id>/", join.participant_home, name="participant_home"),
    path("deltager/<int:course_id>/stem/", join.participant_vote, name="participant_vote"),
    path("deltager/<int:course_id>/forslag/", join.participant_propose, name="participant_propose"),
    path("deltager/<int:course_id>/status/", join.participant_status, name="participant_status"),
    path("arbejdsplads/<int:workplace_id>/servicemoeder/", preparation.touchpoints, name="touchpoints"),
    path(
        "arbejdsplads/<int:workplace_id>/servicemoeder/eksempler/",
        preparation.touchpoints_examples,
        name="touchpoints_examples",
    ),
    path(
        "arbejdsplads/<int:workplace_id>/servicemoeder/<int:touchpoint_id>/",
        preparation.touchpoint_edit,
        name="touchpoint_edit",
    ),
    path(
        "arbejdsplads/<int:workplace_id>/servicemoeder/<int:touchpoint_id>/arkiver/",
        preparation.touchpoint_archive,
        name="touchpoint_archive",
    ),
    path("forloeb/nyt/", preparation.course_new, name="course_new"),
    path("forloeb/<int:course_id>/ret/", preparation.course_edit, name="course_edit"),
    path("forloeb/<int:course_id>/forberedelse/", preparation.checklist, name="checklist"),
    path("forloeb/<int:course_id>/forberedelse/<int:item_id>/", preparation.checklist_tick, name="checklist_tick"),
    path("forloeb/<int:course_id>/opstart/", kickoff.facilitator, name="kickoff"),
    path("forloeb/<int:course_id>/opstart/ur/<str:action>/", kickoff.timer, name="kickoff_timer"),
    path("forloeb/<int:course_id>/opstart/forslag/<int:proposal_id>/", kickoff.accept, name="kickoff_accept"),
    path("forloeb/<int:course_id>/opstart/vaelg/", kickoff.choose, name="kickoff_choose"),
    path("forloeb/<int:course_id>/opstart/stem/", kickoff.vote_for, name="kickoff_vote_for"),
    path("forloeb/<int:course_id>/opstart/viden/", kickoff.known_facts, name="kickoff_known_facts"),
    path("forloeb/<int:course_id>/opstart/borgere/", kickoff.recruitment, name="kickoff_recruitment"),
    path("forloeb/<int:course_id>/opstart/live/", kickoff.facilitator_live, name="kickoff_live"),
    path("forloeb/<int:course_id>/skaerm/opstart/", kickoff.presenter, name="kickoff_presenter"),
    path("forloeb/<int:course_id>/skaerm/opstart/live/", kickoff.presenter_live, name="kickoff_presenter_live"),
    path("forloeb/<int:course_id>/invitation/", kickoff.invitation, name="invitation"),
    path("forloeb/<int:course_id>/invitation/send/", kickoff.invitation_send, name="invitation_send"),
    path("forloeb/<int:course_id>/opsamlingsmoede.ics", kickoff.meeting_ics, name="meeting_ics"),
    path("forloeb/<int:course_id>/interviewperiode/", kickoff.interviews, name="interviews"),
    path("forloeb/<int:course_id>/interviewperiode/paamind/", kickoff.reminder_send, name="reminder_send"),
    # The follow-up meeting (issue 5)
    # Printables and photos (issue 6)
    path("forloeb/<int:course_id>/print/<slug:name>.pdf", printables.printable, name="printable"),
    path("deltager/<int:course_id>/print/mine-ark.pdf", printables.own_sheets, name="own_sheets_pdf"),
    path("j/<str:code>/<slug:name>.pdf", printables.handout, name="handout"),
    path("forloeb/<int:course_id>/fotos/", photos.photo_upload, name="photo_upload"),
    path("forloeb/<int:course_id>/fotos/<int:photo_id>/", photos.photo_file, name="photo"),
    path(
        "forloeb/<int:course_id>/fotos/<int:photo_id>/miniature/",
        photos.photo_file,
        {"variant": "thumbnail"},
        name="photo_thumbnail",
    ),
    path("forloeb/<int:course_id>/fotos/<int:photo_id>/slet/", photos.photo_remove, name="photo_delete"),
]
