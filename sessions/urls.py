from django.urls import path

from .views import pages, photos, printables

app_name = "dialogue"
urlpatterns = [
    # Pages for facilitators and leaders
    path("", pages.home, name="home"),
    path("forloeb/<int:course_id>/", pages.course_detail, name="course"),
    path("tilgaengelighed/", pages.accessibility, name="accessibility"),
    # Kick-off and joining from phones (issue 3)
    # The follow-up meeting (issue 5)
    # Printables and photos (issue 6)
    path("forloeb/<int:course_id>/print/<slug:name>.pdf", printables.printable, name="printable"),
    path("deltager/<int:course_id>/print/mine-ark.pdf", printables.own_sheets, name="own_sheets_pdf"),
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
