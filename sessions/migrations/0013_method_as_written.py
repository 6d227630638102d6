"""The Borgerens blik template as the guide has it, in databases loaded from the earlier fixture.

Frozen texts, changed only where they are still the fixture's old wording (an administrator's own
wording in the admin is kept): the own example names the service the facilitator tried, the
programme's durations come from the agenda ({programme}), and markers go to both zones.
"""

from django.db import migrations

SLUG = "borgerens-blik"

PROMPTS = [
    (
        "own_example",
        "Jeg har selv prøvet spørgeguiden. Jeg spurgte en borger om oplevelsen af {touchpoint}, og det, der "
        "overraskede mig mest, var {own_surprise}. I de kommende uger spørger hver af os mindst én borger eller "
        "bruger om oplevelsen af {touchpoint}.",
        "Jeg har selv prøvet spørgeguiden. Jeg spurgte en borger om oplevelsen af {proposed_touchpoint}, og det, der "
        "overraskede mig mest, var {own_surprise}. I de kommende uger spørger hver af os mindst én borger eller "
        "bruger om oplevelsen af {touchpoint}.",
    ),
    (
        "programme",
        "Sådan går mødet: Først deler vi det, borgerne fortalte os. Så taler vi om, hvad der overraskede os – i det "
        "gode og i det dårlige – og hvad vi ikke vidste i forvejen. Til sidst ser vi på, hvordan vi fremover kan få "
        "mere indsigt i borgernes oplevelse af de digitale servicemøder. Hvert punkt tager omkring tyve minutter.",
        "Sådan går mødet: Først deler vi det, borgerne fortalte os. Så taler vi om, hvad der overraskede os – i det "
        "gode og i det dårlige – og hvad vi ikke vidste i forvejen. Til sidst ser vi på, hvordan vi fremover kan få "
        "mere indsigt i borgernes oplevelse af de digitale servicemøder. Tiden fordeler sig sådan: {programme}.",
    ),
]

CHECKLIST = [
    (
        "meeting_day",
        "Læg tuscher og de positive kort i den ene zone, de negative kort i den anden.",
        "Læg tuscher i begge zoner, de positive kort i den ene og de negative kort i den anden.",
    ),
]


def _change(apps, forwards: bool) -> None:
    Activity = apps.get_model("dialogue", "Activity")
    ChecklistItem = apps.get_model("dialogue", "ChecklistItem")
    for key, old, new in PROMPTS:
        before, after = (old, new) if forwards else (new, old)
        Activity.objects.filter(agenda_item__tool__slug=SLUG, key=key, prompt=before).update(prompt=after)
    for stage, old, new in CHECKLIST:
        before, after = (old, new) if forwards else (new, old)
        ChecklistItem.objects.filter(tool__slug=SLUG, stage=stage, text=before).update(text=after)


def forwards(apps, schema_editor):
    _change(apps, forwards=True)


def backwards(apps, schema_editor):
    _change(apps, forwards=False)


class Migration(migrations.Migration):
    dependencies = [
        ("dialogue", "0012_vote_without_participant"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
