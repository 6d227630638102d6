from django.contrib import admin

from .models import ReflectionSheet


@admin.register(ReflectionSheet)
class ReflectionSheetAdmin(admin.ModelAdmin):
    list_display = ["__str__", "participant", "status", "is_example", "interviewed_on", "experience", "updated_at"]
    list_filter = ["status", "is_example", "experience", "participant__course__workplace"]
    search_fields = ["participant__display_name", "participant__course__title"]
    raw_id_fields = ["participant"]
    readonly_fields = ["created_at", "updated_at"]
