"""The interview guide and reflection sheets on the phone, the facilitator's example and overview."""

from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_GET, require_http_methods, require_POST

from borgerblik.inputs import MalformedInput, parse_id
from sessions.decorators import facilitator_required, member_required, participant_remember, participant_required
from sessions.models import ChecklistStage, FieldKind, Participant, fill_placeholders

from .forms import SCALE, SMILEYS, SheetForm, initial_for
from .models import ReflectionSheet, SheetStatus
from .services import SheetConflict, sheet_create, sheet_save, sheets_editable
from .services import sheet_delete as sheet_delete_service


def _own_sheet(participant: Participant, sheet_id: int) -> ReflectionSheet:
    """The phone's own sheet; another participant's sheet is 404, as if it did not exist."""
    return get_object_or_404(ReflectionSheet.objects.filter(participant=participant), pk=sheet_id)


def _sheet_fields(course):
    return list(course.tool.sheet_fields.select_related("question").order_by("position"))


def _can_sign(participant: Participant) -> bool:
    return participant.course.anonymous and bool(participant.display_name)


def _saved_words(sheet: ReflectionSheet) -> str:
    return _("Gemt kl. %(time)s") % {"time": timezone.localtime(sheet.updated_at).strftime("%H.%M")}


def _filler(course):
    """course.fill with the placeholders looked up once per request."""
    values = course.placeholders()
    return lambda text: fill_placeholders(text, values)


def _form(participant, sheet_fields, data=None, *, sheet=None, submitting=False) -> SheetForm:
    return SheetForm(
        data,
        initial=initial_for(sheet, sheet_fields) if sheet else None,
        sheet_fields=sheet_fields,
        fill=_filler(participant.course),
        submitting=submitting,
        can_sign=_can_sign(participant),
    )


def _rows(form: SheetForm, bound: bool, questions: dict) -> list[dict]:
    """What the template needs per sheet field: the bound field, items with a blank row to type in, a name hint."""
    hints = set(form.name_hints())
    rows = []
    for field in form.sheet_fields:
        question = questions.get(field.question_id, "")
        row = {"field": field, "bound": form[field.key], "hint": field.key in hints, "question": question}
        if field.kind == FieldKind.ITEMS:
            items = form.data.getlist(field.key) if bound else form.initial.get(field.key, [])
            row["items"] = [item for item in items if item.strip()] + [""]
            if bound and form.data.get("add") == field.key:
                row["items"].append("")
        rows.append(row)
    return rows


def _with_rows_changed(post):
    """The posted data with an item row added (add=<key>) or removed (remove=<key>:<index>)."""
    data = post.copy()
    if post.get("add"):
        key = post["add"]
        data.setlist(key, [item for item in data.getlist(key) if item.strip()])
    elif ":" in post.get("remove", ""):
        key, _sep, index = post["remove"].partition(":")
        items = data.getlist(key)
        position = parse_id(index)  # MalformedInput for "positives:²": the view keeps the form, answers 400
        if position < len(items):
            del items[position]
        data.setlist(key, items)
    return data


def _save(sheet, participant, form, *, submit: bool, client_key: str = "") -> ReflectionSheet:
    data = form.cleaned_data
    return sheet_save(
        sheet=sheet,
        participant=participant,
        revision=data["revision"],
        interviewed_on=data.get("interviewed_on"),
        experience=data.get("experience"),
        answers=form.answers(),
        signed=data.get("signed") if "signed" in form.fields else None,
        submit=submit,
        client_key=client_key[:40] if client_key.isascii() and client_key.isprintable() else "",  # no NUL in PG
    )


@require_GET
@participant_required
def guide(request, participant):
    course = participant.course
    fill = _filler(course)
    questions = [
        (q, fill(course.question_text(q)), fill(q.help_text)) for q in course.tool.questions.order_by("number")
    ]
    advice = course.tool.checklist_items.filter(stage=ChecklistStage.INTERVIEW).order_by("position")
    return render(
        request,
        "interviews/guide.html",
        {"course": course, "participant": participant, "questions": questions, "advice": advice},
    )


@require_GET
@participant_required
def sheets(request, participant):
    course = participant.course
    return render(
        request,
        "interviews/sheets.html",
        {
            "course": course,
            "participant": participant,
            "sheets": participant.sheets.order_by("created_at", "pk"),
            "editable": sheets_editable(course),
        },
    )


@require_POST
@participant_required
def sheet_new(request, participant):
    try:
        sheet = sheet_create(participant=participant)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("interviews:sheets", course_id=participant.course_id)
    return redirect("interviews:sheet_edit", course_id=participant.course_id, sheet_id=sheet.pk)


@require_http_methods(["GET", "POST"])
@participant_required
def sheet_edit(request, participant, sheet_id):
    """The sheet as a plain form: works without JavaScript; sheet.js adds autosave on top."""
    sheet = _own_sheet(participant, sheet_id)
    course = participant.course
    sheet_fields = _sheet_fields(course)
    editable = sheets_editable(course)
    status = 200
    if request.method == "POST" and editable:
        action = request.POST.get("action", "save")
        submitting = action == "submit"
        if request.POST.get("add") or request.POST.get("remove"):
            # Adding or removing an item row without JavaScript: show the form again, store nothing yet.
            try:
                form = _form(participant, sheet_fields, _with_rows_changed(request.POST), submitting=False)
            except MalformedInput as error:
                form = _form(participant, sheet_fields, request.POST, submitting=False)
                form.add_error(None, error)
                status = 400
            context = _sheet_context(participant, sheet, form, editable, True)
            return render(request, "interviews/sheet.html", context, status=status)
        form = _form(participant, sheet_fields, request.POST, submitting=submitting)
        if form.is_valid():
            try:
                sheet = _save(sheet, participant, form, submit=submitting)
            except SheetConflict:
                # Keep what was typed, based on the stored revision: saving again is a deliberate overwrite.
                data = request.POST.copy()
                data["revision"] = ReflectionSheet.objects.values_list("revision", flat=True).get(pk=sheet.pk)
                form = _form(participant, sheet_fields, data, submitting=submitting)
                form.is_valid()
                form.add_error(
                    None,
                    _(
                        "Arket er blevet ændret et andet sted, mens du skrev. Din tekst står herunder – "
                        "gem igen for at gemme din udgave, eller åbn arket på ny for at se den anden."
                    ),
                )
                status = 409
            except ValidationError as error:
                form.add_error(None, error)
                status = 400
            else:
                if submitting:
                    messages.success(request, _("Tak! Arket er afleveret."))
                    return redirect("interviews:sheets", course_id=course.pk)
                messages.success(request, _saved_words(sheet))
                return redirect("interviews:sheet_edit", course_id=course.pk, sheet_id=sheet.pk)
        else:
            status = 400
        return render(
            request, "interviews/sheet.html", _sheet_context(participant, sheet, form, editable, True), status=status
        )
    if request.method == "POST":
        messages.error(request, _("Opsamlingsmødet er gået i gang, så arkene kan ikke længere ændres."))
        return redirect("interviews:sheet_edit", course_id=course.pk, sheet_id=sheet.pk)
    form = _form(participant, sheet_fields, sheet=sheet)
    return render(request, "interviews/sheet.html", _sheet_context(participant, sheet, form, editable, False))


def _sheet_context(participant, sheet, form, editable, bound) -> dict:
    course = participant.course
    return {
        "course": course,
        "participant": participant,
        "sheet": sheet,
        "form": form,
        "rows": _rows(
            form,
            bound,
            {
                field.question_id: form.fill(course.question_text(field.question))
                for field in form.sheet_fields
                if field.question
            },
        ),
        "editable": editable,
        "scale": [(value, label, SMILEYS[value]) for value, label in SCALE],
        "answers": _read_only_answers(sheet, form.sheet_fields) if not editable else [],
    }


def _read_only_answers(sheet, sheet_fields) -> list[tuple]:
    shown = []
    for field in sheet_fields:
        if field.key == "interviewed_on":
            shown.append((field, sheet.interviewed_on))
        elif field.key == "experience":
            shown.append((field, dict(SCALE).get(sheet.experience, "")))
        elif field.kind == FieldKind.ITEMS:
            shown.append((field, sheet.items(field.key)))
        else:
            shown.append((field, sheet.answers.get(field.key, "")))
    return shown


@require_POST
@participant_required
def sheet_autosave(request, participant, sheet_id):
    """sheet.js posts the whole form here while typing (and with submit=1 to hand it in); answers JSON."""
    sheet = _own_sheet(participant, sheet_id)
    submitting = request.POST.get("submit") == "1"
    form = _form(participant, _sheet_fields(participant.course), request.POST, submitting=submitting)
    hints = form.name_hints()
    if not form.is_valid():
        errors = {key: [str(message) for message in messages_] for key, messages_ in form.errors.items()}
        return JsonResponse({"saved": False, "errors": errors, "hints": hints}, status=400)
    try:
        sheet = _save(sheet, participant, form, submit=submitting, client_key=request.POST.get("client", ""))
    except SheetConflict:
        return JsonResponse(
            {"saved": False, "conflict": True, "message": _("Arket er ændret et andet sted. Genindlæs siden.")},
            status=409,
        )
    except ValidationError as error:
        return JsonResponse({"saved": False, "errors": {"__all__": error.messages}}, status=403)
    body = {"saved": True, "revision": sheet.revision, "message": _saved_words(sheet), "hints": hints}
    if submitting:
        messages.success(request, _("Tak! Arket er afleveret."))
        body["redirect"] = reverse("interviews:sheets", args=[participant.course_id])
    return JsonResponse(body)


@require_POST
@facilitator_required
def example(request, course):
    """The facilitator fills in an own sheet as a participant: it becomes the example shown at the kick-off."""
    participant = course.participants.filter(user=request.user).first()
    if participant is None:
        name = request.user.get_full_name() or request.user.get_username()
        participant = Participant.objects.create(course=course, user=request.user, display_name=name)
    sheet = ReflectionSheet.objects.filter(participant=participant, is_example=True).first()
    if sheet is None:
        try:
            sheet = sheet_create(participant=participant, is_example=True)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("dialogue:course", course_id=course.pk)
    response = redirect("interviews:sheet_edit", course_id=course.pk, sheet_id=sheet.pk)
    participant_remember(response, participant)
    return response


def _overview_etag(request, course, *args, **kwargs) -> str:
    """Changes whenever a sheet is saved or removed or a participant joins; the page and its partial differ."""
    sheets = ReflectionSheet.objects.of_course(course).aggregate(count=Count("pk"), latest=Max("updated_at"))
    latest = sheets["latest"].isoformat() if sheets["latest"] else "-"
    part = "summary" if getattr(request, "htmx", False) else "page"
    return f"sheets-{course.pk}-{part}-{sheets['count']}-{latest}-{course.participants.count()}"


@require_GET
@member_required
@condition(etag_func=_overview_etag)
def overview(request, course):
    """Every submitted sheet, the effects and surprises gathered, and the citizens' overall experience.

    The summary polls itself (htmx) so the facilitator sees sheets arrive; unchanged answers are 304.
    """
    sheet_fields = _sheet_fields(course)
    submitted = list(
        ReflectionSheet.objects.of_course(course).handed_in().select_related("participant").order_by("submitted_at")
    )
    example = course.example_sheet()
    if example is not None:
        example.shown = _read_only_answers(example, sheet_fields)
    counts = Counter(sheet.experience for sheet in submitted if sheet.experience)
    rated = sum(counts.values())
    distribution = [
        {
            "value": value,
            "label": label,
            "smiley": SMILEYS[value],
            "count": counts[value],
            "percent": round(100 * counts[value] / rated) if rated else 0,
            "bar": 5 * round(20 * counts[value] / rated) if rated else 0,  # a CSS width class per 5 %
        }
        for value, label in SCALE
    ]
    for sheet in submitted:
        sheet.author = sheet.participant.public_name if (not course.anonymous or sheet.signed) else None
        sheet.shown = _read_only_answers(sheet, sheet_fields)
    template = "interviews/overview.html#summary" if request.htmx else "interviews/overview.html"
    response = render(
        request,
        template,
        {
            "course": course,
            "sheets": submitted,
            "example": example,
            "participant_count": course.participants.taking_part().count(),
            "submitters": len({sheet.participant_id for sheet in submitted}),
            "positives": [item for sheet in submitted for item in sheet.items("positives")],
            "negatives": [item for sheet in submitted for item in sheet.items("negatives")],
            "surprises": [sheet.answers.get("surprises") for sheet in submitted if sheet.answers.get("surprises")],
            "learnings": [sheet.answers.get("learnings") for sheet in submitted if sheet.answers.get("learnings")],
            "distribution": distribution,
            "rated": rated,
            "unrated": len(submitted) - rated,
            "draft_count": ReflectionSheet.objects.of_course(course)
            .filter(status=SheetStatus.DRAFT, is_example=False)
            .count(),
        },
    )
    patch_cache_control(response, private=True, no_cache=True)  # the browser asks again with If-None-Match
    return response


@require_http_methods(["GET", "POST"])
@participant_required
def sheet_delete(request, participant, sheet_id):
    """GET asks (and changes nothing); POST deletes the phone's own sheet. Another's sheet is 404."""
    sheet = _own_sheet(participant, sheet_id)
    course = participant.course
    if request.method == "POST":
        try:
            sheet_delete_service(sheet=sheet, participant=participant)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Arket er slettet."))
        return redirect("interviews:sheets", course_id=course.pk)
    number = list(participant.sheets.order_by("created_at", "pk").values_list("pk", flat=True)).index(sheet.pk) + 1
    return render(
        request,
        "interviews/sheet_delete.html",
        {"course": course, "participant": participant, "sheet": sheet, "number": number},
    )
