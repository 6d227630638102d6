"""Writes that check state: each validates inside a transaction and says what went wrong in Danish."""

import json
from pathlib import Path

from django.apps import apps as global_apps
from django.conf import settings
from django.db import IntegrityError, transaction

from .models import Course, DialogueTool, new_join_code

TOOLS_DIR = Path(settings.BASE_DIR) / "fixtures"
BORGERENS_BLIK = TOOLS_DIR / "borgerens_blik.json"


def tool_load(path: Path = BORGERENS_BLIK, *, apps=global_apps) -> DialogueTool:
    """Create or update a dialogue tool from its JSON file; running it twice changes nothing.

    `apps` lets a data migration pass its historical models.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))

    def model(name):
        return apps.get_model("dialogue", name)

    with transaction.atomic():
        tool, _ = model("DialogueTool").objects.update_or_create(
            slug=data["slug"],
            defaults={key: data.get(key, "") for key in ("name", "summary", "purpose", "outcome")},
        )
        numbers = []
        for item in data["agenda"]:
            numbers.append(item["number"])
            agenda_item, _ = model("AgendaItem").objects.update_or_create(
                tool=tool,
                number=item["number"],
                defaults={
                    "title": item["title"],
                    "duration_minutes": item["duration_minutes"],
                    "phase": item["phase"],
                    "purpose": item.get("purpose", ""),
                },
            )
            for position, activity in enumerate(item["activities"], start=1):
                model("Activity").objects.update_or_create(
                    agenda_item=agenda_item,
                    position=position,
                    defaults={
                        "key": activity.get("key", ""),
                        "title": activity["title"],
                        "prompt": activity.get("prompt", ""),
                        "participant_instruction": activity.get("participant_instruction", ""),
                        "timer_minutes": activity.get("timer_minutes"),
                    },
                )
            agenda_item.activities.filter(position__gt=len(item["activities"])).delete()
        tool.agenda_items.exclude(number__in=numbers).delete()

        questions = {}
        for question in data["questions"]:
            questions[question["number"]], _ = model("InterviewQuestion").objects.update_or_create(
                tool=tool,
                number=question["number"],
                defaults={"text": question["text"], "help_text": question.get("help_text", "")},
            )
        tool.questions.exclude(number__in=questions).delete()

        keys = []
        for position, field in enumerate(data["sheet_fields"], start=1):
            keys.append(field["key"])
            model("SheetField").objects.update_or_create(
                tool=tool,
                key=field["key"],
                defaults={
                    "position": position,
                    "label": field["label"],
                    "help_text": field.get("help_text", ""),
                    "kind": field["kind"],
                    "question": questions.get(field.get("question")),
                    "max_length": field.get("max_length", 1000),
                    "required": field.get("required", False),
                    "choices": field.get("choices", []),
                },
            )
        tool.sheet_fields.exclude(key__in=keys).delete()

        tool.checklist_items.all().delete()
        model("ChecklistItem").objects.bulk_create(
            model("ChecklistItem")(tool=tool, stage=stage, position=position, text=text)
            for stage, texts in data["checklist"].items()
            for position, text in enumerate(texts, start=1)
        )
        codes = []
        for material in data["materials"]:
            codes.append(material["code"])
            model("Material").objects.update_or_create(
                tool=tool,
                code=material["code"],
                defaults={"title": material["title"], "print_note": material.get("print_note", "")},
            )
        tool.materials.exclude(code__in=codes).delete()
    return tool


def course_create(**fields) -> Course:
    """Create a course with a join code no other course has (retrying the rare collision)."""
    for _attempt in range(10):
        try:
            with transaction.atomic():
                return Course.objects.create(join_code=new_join_code(), **fields)
        except IntegrityError:
            continue
    raise RuntimeError("Could not find a free join code after 10 attempts.")
