from django.contrib import admin
from django.db.models import Count

from . import models


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 1
    autocomplete_fields = ["user"]


class TouchpointInline(admin.TabularInline):
    model = models.Touchpoint
    extra = 1
    fields = ["name", "description", "position", "archived"]


@admin.register(models.Workplace)
class WorkplaceAdmin(admin.ModelAdmin):
    list_display = ["name", "member_count", "course_count", "created_at"]
    search_fields = ["name"]
    inlines = [MembershipInline, TouchpointInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_members=Count("memberships", distinct=True), _courses=Count("courses", distinct=True))
        )

    @admin.display(description="medlemmer", ordering="_members")
    def member_count(self, obj):
        return obj._members

    @admin.display(description="forløb", ordering="_courses")
    def course_count(self, obj):
        return obj._courses


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "workplace", "role"]
    list_filter = ["role", "workplace"]
    search_fields = ["user__username", "user__email", "workplace__name"]
    autocomplete_fields = ["user", "workplace"]


@admin.register(models.Touchpoint)
class TouchpointAdmin(admin.ModelAdmin):
    list_display = ["name", "workplace", "position", "archived"]
    list_filter = ["archived", "workplace"]
    search_fields = ["name", "description", "workplace__name"]
    list_editable = ["position", "archived"]


class ActivityInline(admin.StackedInline):
    model = models.Activity
    extra = 0
    fields = ["position", "key", "title", "prompt", "participant_instruction", "timer_minutes"]


@admin.register(models.AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "duration_minutes", "phase", "tool"]
    list_filter = ["tool", "phase"]
    search_fields = ["title", "activities__title", "activities__prompt"]
    inlines = [ActivityInline]


@admin.register(models.Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "agenda_item", "position", "key", "timer_minutes"]
    list_filter = ["agenda_item__tool", "agenda_item"]
    search_fields = ["title", "prompt", "key"]


class AgendaItemInline(admin.TabularInline):
    model = models.AgendaItem
    extra = 0
    show_change_link = True


class QuestionInline(admin.TabularInline):
    model = models.InterviewQuestion
    extra = 0


class SheetFieldInline(admin.TabularInline):
    model = models.SheetField
    extra = 0
    fields = ["position", "key", "label", "kind", "question", "max_length", "required"]


class MaterialInline(admin.TabularInline):
    model = models.Material
    extra = 0


@admin.register(models.DialogueTool)
class DialogueToolAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AgendaItemInline, QuestionInline, SheetFieldInline, MaterialInline]


@admin.register(models.InterviewQuestion)
class InterviewQuestionAdmin(admin.ModelAdmin):
    list_display = ["number", "text", "tool"]
    list_filter = ["tool"]
    search_fields = ["text"]


@admin.register(models.SheetField)
class SheetFieldAdmin(admin.ModelAdmin):
    list_display = ["label", "key", "kind", "position", "required", "tool"]
    list_filter = ["tool", "kind", "required"]
    search_fields = ["label", "key", "help_text"]


@admin.register(models.ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ["text", "stage", "position", "tool"]
    list_filter = ["tool", "stage"]
    search_fields = ["text"]


@admin.register(models.Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "print_note", "tool"]
    list_filter = ["tool"]
    search_fields = ["title", "code"]


@admin.register(models.Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "workplace", "phase", "chosen_touchpoint", "meeting_starts_at", "join_code", "created_at"]
    list_filter = ["phase", "workplace", "tool", "anonymous"]
    search_fields = ["title", "join_code", "workplace__name"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "updated_at"]
    raw_id_fields = ["proposed_touchpoint", "chosen_touchpoint", "created_by"]


@admin.register(models.Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["public_name", "course", "zone", "present", "joined_at", "last_seen_at"]
    list_filter = ["present", "zone", "course__workplace"]
    search_fields = ["display_name", "email", "course__title"]
    readonly_fields = ["token", "joined_at"]
    raw_id_fields = ["course", "user"]


@admin.register(models.Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["participant", "touchpoint", "course", "created_at"]
    list_filter = ["course__workplace"]
    search_fields = ["touchpoint__name", "course__title"]
    raw_id_fields = ["course", "participant", "touchpoint"]


@admin.register(models.Card)
class CardAdmin(admin.ModelAdmin):
    list_display = ["text", "zone", "course", "starred", "hidden", "merged_into", "created_at"]
    list_filter = ["zone", "starred", "hidden", "course__workplace"]
    search_fields = ["text", "course__title"]
    raw_id_fields = ["course", "author", "merged_into"]


@admin.register(models.Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "number", "course"]
    list_filter = ["kind", "course__workplace"]
    search_fields = ["course__title", "notes"]
    raw_id_fields = ["course"]
    filter_horizontal = ["members"]


@admin.register(models.Kickoff)
class KickoffAdmin(admin.ModelAdmin):
    list_display = ["course", "timer_seconds", "timer_started_at", "timer_elapsed", "revision"]
    search_fields = ["course__title"]
    raw_id_fields = ["course"]


@admin.register(models.ChecklistTick)
class ChecklistTickAdmin(admin.ModelAdmin):
    list_display = ["item", "course", "ticked_by", "ticked_at"]
    list_filter = ["item__stage", "course__workplace"]
    search_fields = ["item__text", "course__title"]
    raw_id_fields = ["course", "item", "ticked_by"]


@admin.register(models.Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["name", "course", "participant", "touchpoint", "created_at"]
    list_filter = ["course__workplace"]
    search_fields = ["name", "course__title"]
    raw_id_fields = ["course", "participant", "touchpoint"]


@admin.register(models.Mailing)
class MailingAdmin(admin.ModelAdmin):
    list_display = ["kind", "course", "recipients", "sent_by", "sent_at"]
    list_filter = ["kind", "course__workplace"]
    search_fields = ["course__title"]
    raw_id_fields = ["course", "sent_by"]


@admin.register(models.Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["__str__", "course", "width", "height", "created_at"]
    list_filter = ["course__workplace"]
    search_fields = ["caption", "course__title"]
    raw_id_fields = ["course", "uploaded_by"]
    readonly_fields = ["image", "thumbnail", "width", "height", "uploaded_by"]


@admin.register(models.Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["course", "activity", "started_at", "paused_at", "extra_minutes", "revealed", "version"]
    list_filter = ["revealed", "course__workplace"]
    search_fields = ["course__title"]
    raw_id_fields = ["course", "activity"]


@admin.register(models.Surprise)
class SurpriseAdmin(admin.ModelAdmin):
    list_display = ["text", "group", "author", "created_at"]
    list_filter = ["group__course__workplace"]
    search_fields = ["text", "group__course__title"]
    raw_id_fields = ["group", "author"]


@admin.register(models.MethodProposal)
class MethodProposalAdmin(admin.ModelAdmin):
    list_display = ["text", "course", "author", "created_at"]
    list_filter = ["course__workplace"]
    search_fields = ["text", "course__title"]
    raw_id_fields = ["course", "author"]


@admin.register(models.Dot)
class DotAdmin(admin.ModelAdmin):
    list_display = ["proposal", "participant", "created_at"]
    list_filter = ["proposal__course__workplace"]
    search_fields = ["proposal__text"]
    raw_id_fields = ["proposal", "participant"]


@admin.register(models.Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["text", "kind", "course", "source", "created_at"]
    list_filter = ["kind", "course__workplace"]
    search_fields = ["text", "course__title"]
    raw_id_fields = ["course", "created_by"]


@admin.register(models.TrialAction)
class TrialActionAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "decision", "updated_at"]
    list_filter = ["course__workplace"]
    search_fields = ["title", "action", "course__title"]
    raw_id_fields = ["course", "decision", "created_by"]


@admin.register(models.RateCounter)
class RateCounterAdmin(admin.ModelAdmin):
    """Deleting an address's counter lifts its block before the window ends."""

    list_display = ["key", "count", "window_start", "expires_at"]
    search_fields = ["key"]
    readonly_fields = ["key", "count", "window_start", "expires_at"]
