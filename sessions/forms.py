"""Forms of the kick-off and the preparation; every free-text field goes through the CPR guard."""

import re
from datetime import datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from borgerblik.inputs import TextGuardFormMixin
from borgerblik.privacy import NoCprFormMixin

from .models import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    Course,
    Participant,
    Touchpoint,
    TrialAction,
)

_NOT_IN_CODE = re.compile(r"[\s\-\x00]")


def normalise_join_code(raw: str) -> str:
    """Upper case without spaces or dashes, as typed from the projector (and without NUL, which a link can
    carry as %00 and PostgreSQL refuses in a query)."""
    return _NOT_IN_CODE.sub("", raw or "").upper()


class JoinCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Deltagerkode"),
        max_length=20,
        error_messages={"required": _("Skriv koden fra skærmen."), "max_length": _("Koden har 6 tegn.")},
    )

    def clean_code(self):
        code = normalise_join_code(self.cleaned_data["code"])
        if len(code) != JOIN_CODE_LENGTH or any(char not in JOIN_CODE_ALPHABET for char in code):
            raise ValidationError(
                _("Koden har 6 tegn – bogstaver og tal som på skærmen. Tjek den, og prøv igen."), code="format"
            )
        return code


class JoinForm(TextGuardFormMixin, NoCprFormMixin, forms.ModelForm):
    display_name = forms.CharField(
        label=_("Dit navn (valgfrit)"),
        required=False,
        max_length=60,
        help_text=_("Lad feltet stå tomt, hvis du vil være anonym."),
        error_messages={"max_length": _("Navnet må højst have %(limit_value)d tegn (det har %(show_value)d).")},
    )
    email = forms.EmailField(
        label=_("Din e-mail (valgfri)"),
        required=False,
        help_text=_("Så får du dit personlige link og en påmindelse før mødet."),
        error_messages={"invalid": _("Skriv en gyldig e-mailadresse, fx navn@kommune.dk.")},
    )

    class Meta:
        model = Participant
        fields = ["display_name", "email"]

    def __init__(self, *args, require_name: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if require_name:
            # The facilitator chose a course where everybody signs.
            field = self.fields["display_name"]
            field.required = True
            field.label = _("Dit navn")
            field.help_text = _("I dette forløb skriver alle deres navn.")
            field.error_messages["required"] = _("Skriv dit navn – i dette forløb er ingen anonyme.")

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if re.search(r"[<>]", name):
            raise ValidationError(_("Navnet må ikke indeholde tegnene < og >."), code="markup")
        return name


class ProposalForm(TextGuardFormMixin, NoCprFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Dit forslag til et digitalt servicemøde"),
        max_length=120,
        error_messages={
            "required": _("Skriv dit forslag."),
            "max_length": _("Forslaget må højst have %(limit_value)d tegn (det har %(show_value)d)."),
        },
    )


class TouchpointForm(TextGuardFormMixin, NoCprFormMixin, forms.ModelForm):
    class Meta:
        model = Touchpoint
        fields = ["name", "description"]
        labels = {"name": _("Navn"), "description": _("Kort beskrivelse (valgfri)")}
        error_messages = {"name": {"required": _("Skriv et navn på servicemødet.")}}


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Skriv datoen som dd-mm-åååå.")},
    )


def _time_field() -> forms.TimeField:
    return forms.TimeField(
        label=_("Klokkeslæt"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Skriv klokkeslættet som tt:mm.")},
    )


class CourseForm(TextGuardFormMixin, NoCprFormMixin, forms.ModelForm):
    """Title, the touchpoint to propose, and when and where the kick-off and the follow-up meeting are."""

    kickoff_date = _date_field(_("Dato for opstartsmødet"))
    kickoff_time = _time_field()
    meeting_date = _date_field(_("Dato for opsamlingsmødet"))
    meeting_time = _time_field()

    class Meta:
        model = Course
        fields = ["title", "proposed_touchpoint", "kickoff_place", "meeting_place", "interview_deadline", "anonymous"]
        labels = {
            "title": _("Titel"),
            "proposed_touchpoint": _("Det servicemøde, du vil foreslå"),
            "kickoff_place": _("Sted for opstartsmødet"),
            "meeting_place": _("Sted for opsamlingsmødet"),
            "interview_deadline": _("Frist for interviewene"),
            "anonymous": _("Deltagerne er anonyme, medmindre de selv skriver deres navn"),
        }
        widgets = {"interview_deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        error_messages = {"title": {"required": _("Giv forløbet en titel.")}}

    def __init__(self, *args, workplace, **kwargs):
        super().__init__(*args, **kwargs)
        self.workplace = workplace
        self.fields["proposed_touchpoint"].queryset = workplace.touchpoints.active()
        self.fields["proposed_touchpoint"].empty_label = _("Vælg senere")
        self.fields["interview_deadline"].error_messages["invalid"] = _("Skriv datoen som dd-mm-åååå.")
        for meeting in ("kickoff", "meeting"):
            starts = getattr(self.instance, f"{meeting}_starts_at")
            if starts:
                starts = timezone.localtime(starts)
                self.initial.setdefault(f"{meeting}_date", starts.date())
                self.initial.setdefault(f"{meeting}_time", starts.time())

    def clean(self):
        cleaned = super().clean()
        kickoff, kickoff_at = cleaned.get("kickoff_date"), cleaned.get("kickoff_time")
        if kickoff_at and not kickoff:
            self.add_error("kickoff_date", _("Skriv også datoen for opstartsmødet."))
        day, at = cleaned.get("meeting_date"), cleaned.get("meeting_time")
        if at and not day:
            self.add_error("meeting_date", _("Skriv også datoen for opsamlingsmødet."))
        if kickoff and day and kickoff > day:
            self.add_error("kickoff_date", _("Opstartsmødet skal ligge før opsamlingsmødet."))
        deadline = cleaned.get("interview_deadline")
        if day and deadline and deadline > day:
            self.add_error("interview_deadline", _("Fristen for interviewene skal ligge før opsamlingsmødet."))
        return cleaned

    def _starts_at(self, meeting: str):
        day, at = self.cleaned_data.get(f"{meeting}_date"), self.cleaned_data.get(f"{meeting}_time")
        return timezone.make_aware(datetime.combine(day, at or time(9, 0))) if day else None

    def save(self, commit=True):
        course = super().save(commit=False)
        course.kickoff_starts_at = self._starts_at("kickoff")
        course.meeting_starts_at = self._starts_at("meeting")
        if commit:
            course.save()
        return course


class KnownFactsForm(TextGuardFormMixin, NoCprFormMixin, forms.ModelForm):
    class Meta:
        model = Course
        fields = ["known_facts"]
        labels = {"known_facts": _("Det ved vi i forvejen (data, andre kilder, det vi ikke ved)")}


class RecruitmentForm(TextGuardFormMixin, NoCprFormMixin, forms.ModelForm):
    class Meta:
        model = Course
        fields = ["recruitment_plan"]
        labels = {"recruitment_plan": _("Sådan finder, vælger og kontakter vi borgerne")}


class ChooseForm(forms.Form):
    touchpoint = forms.ModelChoiceField(
        label=_("Valgt servicemøde"),
        queryset=Touchpoint.objects.none(),
        error_messages={"required": _("Vælg et servicemøde."), "invalid_choice": _("Vælg et servicemøde fra listen.")},
    )

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["touchpoint"].queryset = course.workplace.touchpoints.active()


class VoteForm(ChooseForm):
    pass


class VoteOnBehalfForm(ChooseForm):
    """The facilitator's vote for someone without a phone; the key makes a double click count once."""

    client_key = forms.UUIDField(widget=forms.HiddenInput, required=False)


class MailingForm(forms.Form):
    client_key = forms.UUIDField(widget=forms.HiddenInput)


class TrialActionForm(TextGuardFormMixin, NoCprFormMixin, forms.ModelForm):
    """A prøvehandling, with the questions of the guide's tool as help texts."""

    client_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = TrialAction
        fields = ["title", "decision", "experience", "wonder", "action", "observe", "reflection", "new_actions"]
        labels = {
            "title": _("Kort titel"),
            "decision": _("Udspringer af (valgfrit)"),
            "experience": _("Erfaring"),
            "wonder": _("Undren – det vil vi opnå"),
            "action": _("Prøvehandling – det gør vi"),
            "observe": _("Det holder vi øje med"),
            "reflection": _("Refleksion bagefter"),
            "new_actions": _("Nye handlinger"),
        }
        help_texts = {
            "title": _("Fx »Kvittering med tid og sted i SMS'en«. Højst 160 tegn."),
            "experience": _("Hvad har vi konkret oplevet – hos borgerne og hos os selv?"),
            "wonder": _("Hvad vil vi opnå, og hvem skal have gavn af det? Hvordan skal det hjælpe dem?"),
            "action": _("Hvad prøver vi i praksis? Hvem gør det, hvornår og hvor, og hvad skal der til?"),
            "observe": _("Hvad kigger vi efter? Hvordan kan vi se, om det virker?"),
            "reflection": _("Udfyldes bagefter: hvilken virkning fik det, og hvad overraskede os?"),
            "new_actions": _("Udfyldes bagefter: fortsætter vi, justerer vi, eller stopper vi?"),
        }
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in
                   ["experience", "wonder", "action", "observe", "reflection", "new_actions"]}  # fmt: skip
        error_messages = {
            "title": {
                "required": _("Giv prøvehandlingen en kort titel."),
                "max_length": _("Titlen må højst have %(limit_value)d tegn (den har %(show_value)d)."),
            },
            **{
                name: {"max_length": _("Feltet må højst have %(limit_value)d tegn (det har %(show_value)d).")}
                for name in ["experience", "wonder", "action", "observe", "reflection", "new_actions"]
            },
        }

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        decision = self.fields["decision"]
        decision.queryset = course.decisions.shown().order_by("kind", "created_at", "pk")
        decision.empty_label = _("Ingen – en ny idé")
        decision.error_messages["invalid_choice"] = _("Vælg et punkt fra listen.")
        for name in self.Meta.widgets:
            self.fields[name].help_text = f"{self.fields[name].help_text} " + _("Højst 2000 tegn.")


PLACEHOLDER_NAMES = {
    "touchpoint": _("det valgte digitale servicemøde"),
    "proposed_touchpoint": _("det servicemøde, du foreslår"),
    "workplace": _("arbejdspladsens navn"),
    "meeting_date": _("datoen for opsamlingsmødet"),
    "meeting_time": _("klokkeslættet for opsamlingsmødet"),
    "meeting_place": _("stedet for opsamlingsmødet"),
    "deadline": _("fristen for interviewene"),
    "touchpoint_examples": _("eksempler fra jeres liste over servicemøder"),
    "programme": _("opsamlingsmødets punkter efter introduktionen med deres minutter"),
    "own_example": _("dit eget eksempel (kun i stikordene)"),
    "own_surprise": _("det, der overraskede dig selv (kun i stikordene)"),
}
# The questions reach the participants and the M1 handout: the facilitator's own sheet stays out of them.
QUESTION_PLACEHOLDERS = set(PLACEHOLDER_NAMES) - {"own_example", "own_surprise"}
BRACES = re.compile(r"\{([^{}]*)\}")


def _unified(text: str) -> str:
    """Line breaks as one newline: browsers send a textarea's lines with CR LF."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


class CourseTextsForm(TextGuardFormMixin, NoCprFormMixin, forms.Form):
    """The course's own wording of the template's two questions and the facilitator's prompts.

    Each field starts with the text in use; an empty field, or the template's own text, means the
    template's text. Placeholders in braces are checked against the known ones.
    """

    def __init__(self, *args, course, questions, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.course, self.questions, self.activities = course, questions, activities
        for question in questions:
            self.fields[f"question_{question.pk}"] = forms.CharField(
                label=_("Spørgsmål %(number)d") % {"number": question.number},
                required=False,
                max_length=max(300, len(question.text)),
                initial=course.question_text(question),
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={
                    "max_length": _("Spørgsmålet må højst have %(limit_value)d tegn (det har %(show_value)d).")
                },
            )
        for activity in activities:
            self.fields[f"activity_{activity.pk}"] = forms.CharField(
                label=activity.title,
                required=False,
                max_length=max(2000, len(activity.prompt)),
                initial=course.prompt_text(activity),
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": _("Stikordene må højst have %(limit_value)d tegn (de har %(show_value)d).")
                },
            )

    def _template_texts(self) -> dict[str, tuple[str, set]]:
        """Field name → (the template's text, the placeholders allowed in it)."""
        texts = {f"question_{q.pk}": (q.text, QUESTION_PLACEHOLDERS) for q in self.questions}
        texts.update({f"activity_{a.pk}": (a.prompt, set(PLACEHOLDER_NAMES)) for a in self.activities})
        return texts

    def clean(self):
        cleaned = super().clean()
        templates = self._template_texts()
        for name, value in list(cleaned.items()):
            template, allowed = templates[name]
            if _unified(value) == _unified(template):
                continue  # the template's own text is never refused
            unknown = sorted({found for found in BRACES.findall(value or "") if found not in allowed})
            if unknown:
                self.add_error(
                    name,
                    _("Ukendt felt i tuborgklammer: %(names)s. Se listen over felter, du kan bruge.")
                    % {"names": ", ".join("{" + found + "}" for found in unknown)},
                )
        return cleaned

    def texts(self) -> dict[str, str]:
        """The course's own wording: only what differs from the template."""
        texts = {}
        for name, (template, _allowed) in self._template_texts().items():
            value = _unified(self.cleaned_data[name])
            if value and value != _unified(template):
                kind, _sep, pk = name.partition("_")
                texts[f"{kind}:{pk}"] = value
        return texts
