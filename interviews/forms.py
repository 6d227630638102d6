"""The reflection sheet form, built from the dialogue tool's SheetField rows."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from borgerblik.inputs import TextGuardFormMixin, validate_one_line
from borgerblik.privacy import NoCprFormMixin, looks_like_full_name
from sessions.models import Experience, FieldKind, SheetField

MAX_ITEMS = 20
SCALE = Experience.choices
SMILEYS = {1: "😞", 2: "😟", 3: "😐", 4: "😊", 5: "😀"}


class ItemsWidget(forms.Widget):
    """One text input per item, all with the field's name; rendered by the sheet template."""

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])


class ItemsField(forms.Field):
    """Short items, one effect each: blank ones are dropped, each is at most max_length characters."""

    widget = ItemsWidget

    def __init__(self, *, max_length: int, **kwargs):
        self.max_length = max_length
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(item).strip() for item in values if str(item).strip()]

    def validate(self, value):
        super().validate(value)
        if len(value) > MAX_ITEMS:
            raise ValidationError(_("Højst %(max)d punkter."), code="max_items", params={"max": MAX_ITEMS})
        for item in value:
            validate_one_line(item)  # one <input> per item
            if len(item) > self.max_length:
                raise ValidationError(
                    _("Et punkt må højst være %(max)d tegn (et punkt har %(length)d)."),
                    code="max_length",
                    params={"max": self.max_length, "length": len(item)},
                )


def form_field(field: SheetField, fill) -> forms.Field:
    common = {"label": field.label, "help_text": fill(field.help_text), "required": field.required}
    if field.kind == FieldKind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
    if field.kind == FieldKind.TEXT:
        return forms.CharField(max_length=field.max_length, **common)
    if field.kind == FieldKind.LONG_TEXT:
        return forms.CharField(max_length=field.max_length, widget=forms.Textarea(attrs={"rows": 4}), **common)
    if field.kind == FieldKind.CHOICE:
        choices = [("", _("Ikke oplyst"))] + [(choice, choice) for choice in field.choices]
        return forms.ChoiceField(choices=choices, **common)
    if field.kind == FieldKind.SCALE:
        return forms.TypedChoiceField(
            choices=SCALE, coerce=int, empty_value=None, widget=forms.RadioSelect, **{**common, "required": False}
        )
    return ItemsField(max_length=field.max_length, **common)


class SheetForm(TextGuardFormMixin, NoCprFormMixin, forms.Form):
    """The fields of the tool's sheet, plus the revision the phone based its edits on.

    A draft is saved with every field optional; submitting asks for the required ones and some content.
    """

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, sheet_fields, fill=str, submitting=False, can_sign=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet_fields = list(sheet_fields)
        self.fill = fill
        self.submitting = submitting
        for field in self.sheet_fields:
            self.fields[field.key] = form_field(field, fill)
            if field.kind in (FieldKind.TEXT, FieldKind.LONG_TEXT, FieldKind.DATE, FieldKind.CHOICE):
                self.fields[field.key].widget.attrs["aria-describedby"] = " ".join(
                    f"id_{field.key}_{part}" for part in self._described_by(field)
                )
            if not submitting:
                self.fields[field.key].required = False
        if can_sign:
            self.fields["signed"] = forms.BooleanField(
                label=_("Vis mit navn ved arket"),
                help_text=_("Ellers ser facilitatoren arket uden dit navn."),
                required=False,
            )

    @staticmethod
    def _described_by(field: SheetField) -> list[str]:
        parts = ["question"] if field.question_id else []
        parts += ["helptext"] if field.help_text else []
        parts += ["error"]
        parts += ["count", "hint"] if field.kind in (FieldKind.TEXT, FieldKind.LONG_TEXT) else []
        return parts

    def clean(self):
        cleaned = super().clean()
        if self.submitting and not self.errors:
            content = [cleaned.get(f.key) for f in self.sheet_fields if f.kind not in (FieldKind.DATE, FieldKind.SCALE)]
            if not any(content):
                raise ValidationError(_("Arket er tomt. Skriv mindst ét af borgerens svar, før du afleverer."))
        return cleaned

    def name_hints(self) -> list[str]:
        """Keys of the text fields whose text looks like a full name (a reminder, never a block)."""
        hints = []
        for field in self.sheet_fields:
            if field.kind in (FieldKind.TEXT, FieldKind.LONG_TEXT, FieldKind.ITEMS):
                if self.is_bound:
                    value = (
                        self.data.getlist(field.key) if hasattr(self.data, "getlist") else [self.data.get(field.key)]
                    )
                else:
                    stored = self.initial.get(field.key)
                    value = stored if isinstance(stored, list) else [stored]
                if any(looks_like_full_name(str(item or "")) for item in value):
                    hints.append(field.key)
        return hints

    def answers(self) -> dict:
        return {
            f.key: self.cleaned_data.get(f.key) or ([] if f.kind == FieldKind.ITEMS else "")
            for f in self.sheet_fields
            if f.key not in ("interviewed_on", "experience")
        }


def initial_for(sheet, sheet_fields) -> dict:
    initial = {"revision": sheet.revision, "signed": sheet.signed}
    for field in sheet_fields:
        if field.key == "interviewed_on":
            initial[field.key] = sheet.interviewed_on
        elif field.key == "experience":
            initial[field.key] = sheet.experience
        elif field.kind == FieldKind.ITEMS:
            initial[field.key] = sheet.items(field.key)
        else:
            initial[field.key] = sheet.answers.get(field.key, "")
    return initial
