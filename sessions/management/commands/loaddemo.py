"""Demo data so that every page and printable has content: `python manage.py loaddemo`."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from interviews.models import ReflectionSheet, SheetStatus
from sessions.models import (
    Activity,
    Card,
    Course,
    CoursePhase,
    Decision,
    DecisionKind,
    DialogueTool,
    Dot,
    Group,
    GroupKind,
    Meeting,
    Membership,
    MethodProposal,
    Participant,
    Role,
    Surprise,
    Touchpoint,
    TrialAction,
    Vote,
    Workplace,
    Zone,
)
from sessions.services import course_create, tool_load

WORKPLACE = "Borgerservice (demo)"
FOLLOWUP_COURSE = "Online tidsbestilling (demo)"
PREPARATION_COURSE = "SMS-påmindelser (demo)"

TOUCHPOINTS = [
    ("Online tidsbestilling", "Borgeren booker selv en tid til pas, kørekort eller sundhedskort på hjemmesiden."),
    ("Selvbetjeningsskærm ved indgangen", "Borgeren tjekker ind på skærmen i forhallen og får et kønummer."),
    ("Kommunens app", "Borgeren finder åbningstider, bestiller tid og får beskeder i appen."),
    ("Hjemmesiden", "Borgeren læser om ydelser og finder de rigtige blanketter."),
    ("Digitalt nyhedsbrev", "Borgeren abonnerer på nyheder om nye regler og selvbetjening."),
    ("SMS-påmindelser", "Borgeren får en sms dagen før den bestilte tid."),
]

# (display name or "" for anonymous, sheet answers, experience)
PEOPLE = [
    (
        "Mette",
        {
            "context": "Bookede tid til nyt pas på mobilen, mens hun ventede på bussen.",
            "age_band": "25–39",
            "answer_1": "Det var hurtigt, og hun kunne gøre det uden for åbningstiden.",
            "answer_2": "Hun vidste ikke, om hun skulle medbringe det gamle pas.",
            "positives": ["Kan bestille tid døgnet rundt", "Bekræftelsen kommer med det samme"],
            "negatives": ["Uklart hvad man skal medbringe"],
            "surprises": "At hun helst ville have en påmindelse om, hvad hun skulle have med.",
            "learnings": "Vi kunne skrive en tjekliste i bekræftelsen.",
        },
        4,
    ),
    (
        "",
        {
            "context": "Ældre borger fik hjælp af sit barnebarn til at booke tid til kørekort.",
            "age_band": "75 eller derover",
            "answer_1": "Godt at slippe for at ringe og vente i telefonkø.",
            "answer_2": "Han kunne ikke selv finde knappen, og teksten var for lille.",
            "positives": ["Slipper for telefonkø"],
            "negatives": ["Lille skrift på mobilen", "Svært at finde knappen til tidsbestilling"],
            "surprises": "At han ikke ville have klaret det uden hjælp.",
            "learnings": "Vi skal teste siden med ældre brugere.",
        },
        2,
    ),
    (
        "Ahmed",
        {
            "context": "Bestilte tid til sundhedskort fra computeren på arbejdet.",
            "age_band": "40–59",
            "answer_1": "Han kunne vælge et tidspunkt, der passede med hans arbejde.",
            "answer_2": "MitID-login tog lang tid.",
            "positives": ["Kan vælge tidspunkt selv", "Kan bestille tid døgnet rundt"],
            "negatives": ["Login med MitID tager tid"],
            "surprises": "At han troede, han skulle logge ind to gange.",
            "learnings": "Forklar hvorfor der skal logges ind.",
        },
        4,
    ),
    (
        "",
        {
            "context": "Ung borger bookede tid til pas på mobilen.",
            "age_band": "Under 25",
            "answer_1": "Nemt og hurtigt, kendte det fra andre steder.",
            "answer_2": "Der var ingen ledige tider de næste to uger.",
            "positives": ["Nemt at bruge på mobilen"],
            "negatives": ["For få ledige tider", "Kan ikke se ventetiden før man logger ind"],
            "surprises": "At hun ville have skrevet sig på en venteliste.",
            "learnings": "En venteliste kunne mindske utilfredsheden.",
        },
        3,
    ),
    (
        "Birgitte",
        {
            "context": "Bookede tid til vielse-attest for sig og sin partner.",
            "age_band": "25–39",
            "answer_1": "Det var rart at få en sms-påmindelse dagen før.",
            "answer_2": "Hun kunne ikke booke én tid til to personer.",
            "positives": ["Sms-påmindelse dagen før"],
            "negatives": ["Kan ikke booke til to personer på én gang"],
            "surprises": "At mange kommer to sammen.",
            "learnings": "Spørg, hvor mange der kommer.",
        },
        3,
    ),
    (
        "",
        {
            "context": "Borger med dansk som andetsprog bookede tid til opholdskort.",
            "age_band": "40–59",
            "answer_1": "Hun kunne bruge oversættelse i browseren.",
            "answer_2": "Ordene på siden var svære, fx 'ydelsestype'.",
            "positives": ["Kan oversættes i browseren"],
            "negatives": ["Svære fagord på siden"],
            "surprises": "At hun valgte forkert ydelse og måtte komme igen.",
            "learnings": "Brug hverdagsord og eksempler.",
        },
        2,
    ),
    (
        "Jonas",
        {
            "context": "Flyttede og bookede tid til at få nyt sygesikringsbevis.",
            "age_band": "25–39",
            "answer_1": "Det hele tog to minutter.",
            "answer_2": "Han fandt bagefter ud af, at han kunne have gjort det helt digitalt.",
            "positives": ["Hurtigt – under to minutter"],
            "negatives": ["Bookede tid til noget, der kunne klares digitalt"],
            "surprises": "At han slet ikke behøvede at møde op.",
            "learnings": "Vis selvbetjeningen før tidsbestillingen.",
        },
        4,
    ),
    (
        "",
        {
            "context": "Forælder bookede tid til pas til sit barn fra tabletten derhjemme.",
            "age_band": "40–59",
            "answer_1": "Godt, at hun kunne se alle ledige tider på én gang.",
            "answer_2": "Hun kunne ikke se, om barnet skulle med til aftalen.",
            "positives": ["Overblik over ledige tider"],
            "negatives": ["Uklart hvem der skal møde op"],
            "surprises": "At hun ringede bagefter for at spørge alligevel.",
            "learnings": "Skriv i bekræftelsen, hvem der skal møde op.",
        },
        3,
    ),
]
FACILITATOR_EXAMPLE = {
    "context": "Spurgte en borger i forhallen, lige efter hun havde booket tid til pas på mobilen.",
    "age_band": "60–74",
    "answer_1": "Hun syntes, det var dejligt at kunne gøre det hjemmefra.",
    "answer_2": "Bekræftelsesmailen havnede i spam, så hun var usikker på, om tiden var booket.",
    "positives": ["Kan bestille hjemmefra"],
    "negatives": ["Bekræftelsen havner i spam"],
    "surprises": "hvor usikker hun blev, da bekræftelsen ikke kom frem",
    "learnings": "Vis bekræftelsen tydeligt på skærmen, ikke kun i mailen.",
}


# The demo meeting's cards and method proposals (browser tests build a room of the same size from them).
DEMO_POSITIVES = [
    "Kan bestille tid døgnet rundt",
    "Slipper for telefonkø",
    "Sms-påmindelse dagen før",
    "Kan vælge tidspunkt selv",
    "Hurtigt – under to minutter",
]
DEMO_NEGATIVES = [
    "Svære fagord på siden",
    "For få ledige tider",
    "Lille skrift på mobilen",
    "Bekræftelsen havner i spam",
    "Kan ikke booke til to personer på én gang",
    "Uklart hvad man skal medbringe",
]
DEMO_PROPOSALS = ["Smileys ved skranken", "Korte exit-interview efter aftalen", "Et borgerpanel om selvbetjeningen"]


def at(day: date, clock: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock))


class Command(BaseCommand):
    help = "Load demo users (facilitator/demo, leder/demo), a workplace and two courses. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Load demo data even when DJANGO_DEBUG=0.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo data is for development: DJANGO_DEBUG=0, so nothing was loaded. Use --force.")
        with transaction.atomic():
            tool = DialogueTool.objects.filter(slug="borgerens-blik").first() or tool_load()
            facilitator = self.user("facilitator", "Frida", "Facilitator")
            leader = self.user("leder", "Lars", "Leder")
            workplace, _ = Workplace.objects.get_or_create(name=WORKPLACE)
            Membership.objects.get_or_create(workplace=workplace, user=facilitator, role=Role.FACILITATOR)
            Membership.objects.get_or_create(workplace=workplace, user=leader, role=Role.LEADER)
            touchpoints = []
            for position, (name, description) in enumerate(TOUCHPOINTS, start=1):
                touchpoint, _ = Touchpoint.objects.get_or_create(
                    workplace=workplace, name=name, defaults={"description": description, "position": position}
                )
                touchpoints.append(touchpoint)
            created = 0
            if not Course.objects.filter(workplace=workplace, title=FOLLOWUP_COURSE).exists():
                self.followup_course(workplace, tool, facilitator, touchpoints)
                created += 1
            if not Course.objects.filter(workplace=workplace, title=PREPARATION_COURSE).exists():
                self.preparation_course(workplace, tool, facilitator, touchpoints)
                created += 1
        self.stdout.write(f"Demo data ready ({created} course(s) created). Log in as facilitator/demo or leder/demo.")

    def user(self, username, first_name, last_name):
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": first_name, "last_name": last_name}
        )
        if created:
            user.set_password("demo")
            user.save(update_fields=["password"])
        return user

    def followup_course(self, workplace, tool, facilitator, touchpoints):
        today = timezone.localdate()
        booking = touchpoints[0]
        course = course_create(
            workplace=workplace,
            tool=tool,
            title=FOLLOWUP_COURSE,
            phase=CoursePhase.FOLLOWUP,
            proposed_touchpoint=booking,
            chosen_touchpoint=booking,
            kickoff_starts_at=at(today - timedelta(days=21), time(9)),
            kickoff_place="Personalestuen, 1. sal",
            interview_deadline=today - timedelta(days=8),
            meeting_starts_at=at(today - timedelta(days=7), time(13)),
            meeting_place="Mødelokale Havnen",
            known_facts="Ca. 60 % af tiderne bookes online. Vi ved ikke, hvor mange der giver op undervejs.",
            recruitment_plan="Vi spørger borgere i forhallen lige efter deres aftale.",
            created_by=facilitator,
        )
        # The facilitator's own row holds the example sheet only: the eight phones are the participants.
        host = Participant.objects.create(course=course, display_name="Frida (facilitator)", user=facilitator)
        people = [Participant.objects.create(course=course, display_name=name) for name, _answers, _exp in PEOPLE]
        now = timezone.now()
        self.sheet(host, FACILITATOR_EXAMPLE, 4, today - timedelta(days=22), now, is_example=True)
        for participant, (_name, answers, experience) in zip(people, PEOPLE, strict=True):
            self.sheet(participant, answers, experience, today - timedelta(days=12), now)

        choices = [booking, booking, touchpoints[1], booking, touchpoints[5], booking, touchpoints[1], booking]
        Vote.objects.bulk_create(
            Vote(course=course, participant=p, touchpoint=t) for p, t in zip(people, choices, strict=True)
        )
        for index, participant in enumerate(people):
            participant.zone = Zone.NEGATIVE if index % 2 else Zone.POSITIVE
        Participant.objects.bulk_update(people, ["zone"])

        cards = {}
        for index, text in enumerate(DEMO_POSITIVES):
            cards[text] = Card.objects.create(
                course=course, author=people[index * 2 % 8], zone=Zone.POSITIVE, text=text
            )
        for index, text in enumerate(DEMO_NEGATIVES):
            cards[text] = Card.objects.create(
                course=course, author=people[(index * 2 + 1) % 8], zone=Zone.NEGATIVE, text=text
            )
        duplicate = Card.objects.create(course=course, author=people[2], zone=Zone.POSITIVE, text="Kan booke om natten")
        duplicate.merged_into = cards["Kan bestille tid døgnet rundt"]
        duplicate.save(update_fields=["merged_into"])
        Card.objects.filter(pk__in=[cards["Svære fagord på siden"].pk, cards["Slipper for telefonkø"].pk]).update(
            starred=True
        )

        surprises = [
            ["Mange har brug for hjælp fra pårørende.", "Flere troede, at de skulle ringe alligevel."],
            ["Folk kommer to sammen, men kan kun booke én.", "Ingen havde læst bekræftelsen."],
        ]
        for number, members in enumerate([people[0:4], people[4:8]], start=1):
            group = Group.objects.create(course=course, kind=GroupKind.SURPRISES, number=number)
            group.members.set(members)
            Surprise.objects.bulk_create(
                Surprise(group=group, author=author, text=text)
                for author, text in zip(members, surprises[number - 1], strict=False)
            )
        for number in range(1, 5):
            pair = Group.objects.create(course=course, kind=GroupKind.PAIR, number=number)
            pair.members.set(people[(number - 1) * 2 : number * 2])

        # Item 5: proposals and dots, then the meeting ended at the closing words.
        proposals = [
            MethodProposal.objects.create(course=course, author=people[i], text=text)
            for i, text in enumerate(DEMO_PROPOSALS)
        ]
        dots = [0, 0, 1, 0, 2, 1, 0, 0, 1, 2, 0, 1, 1, 0]
        Dot.objects.bulk_create(
            Dot(participant=people[index % 8], proposal=proposals[choice]) for index, choice in enumerate(dots)
        )
        started = course.meeting_starts_at
        Meeting.objects.create(
            course=course,
            activity=Activity.objects.get(agenda_item__tool=tool, key="closing"),
            started_at=started,
            item_started_at=started + timedelta(minutes=45),
            ended_at=started + timedelta(minutes=58),
            revealed=True,
        )

        # The leader has begun the follow-up: three insights sorted, one prøvehandling planned.
        sorted_cards = [
            ("Slipper for telefonkø", DecisionKind.KEEP),
            ("Svære fagord på siden", DecisionKind.DEVELOP),
            ("Bekræftelsen havner i spam", DecisionKind.DEVELOP),
        ]
        decisions = {
            text: Decision.objects.create(
                course=course, kind=kind, text=text, source=f"card:{cards[text].pk}", created_by=facilitator
            )
            for text, kind in sorted_cards
        }
        Decision.objects.create(
            course=course,
            kind=DecisionKind.STOP,
            text="Lange mails med bekræftelse og regler i ét",
            source="own:demo",
            created_by=facilitator,
        )
        TrialAction.objects.create(
            course=course,
            decision=decisions["Svære fagord på siden"],
            title="Hverdagsord på bookingsiden",
            experience="Flere borgere forstod ikke ordene »ydelse« og »ressource« og ringede derfor alligevel.",
            wonder="Færre opkald om booking, og at borgerne føler sig sikre på, at de har booket det rigtige.",
            action="To kolleger skriver de fem sværeste ord om i næste uge; vi prøver den nye side i en måned.",
            observe="Antal opkald om booking pr. uge før og efter, og hvad borgerne siger ved skranken.",
            created_by=facilitator,
        )

    def sheet(self, participant, answers, experience, day, now, is_example=False):
        ReflectionSheet.objects.create(
            participant=participant,
            status=SheetStatus.SUBMITTED,
            is_example=is_example,
            interviewed_on=day,
            experience=experience,
            answers=answers,
            submitted_at=now,
        )

    def preparation_course(self, workplace, tool, facilitator, touchpoints):
        today = timezone.localdate()
        course_create(
            workplace=workplace,
            tool=tool,
            title=PREPARATION_COURSE,
            phase=CoursePhase.PREPARATION,
            proposed_touchpoint=touchpoints[5],
            kickoff_starts_at=at(today + timedelta(days=7), time(9, 30)),
            kickoff_place="Personalestuen, 1. sal",
            interview_deadline=today + timedelta(days=20),
            meeting_starts_at=at(today + timedelta(days=22), time(13)),
            meeting_place="Mødelokale Havnen",
            created_by=facilitator,
        )
