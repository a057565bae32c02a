"""The series organiser's admin for reference data (members, skaters, seasons, calendar).
Results are read-only here: they change only through services, as new revisions."""

from django.contrib import admin

from shorttrack.store import models


@admin.register(models.Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(models.Skater)
class SkaterAdmin(admin.ModelAdmin):
    list_display = ["family_name", "given_name", "member", "gender", "isu_id", "birth_date"]
    list_filter = ["gender", "member"]
    search_fields = ["family_name", "given_name", "isu_id"]


@admin.register(models.Season)
class SeasonAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "rules_key", "simulated"]


@admin.register(models.Competition)
class CompetitionAdmin(admin.ModelAdmin):
    list_display = ["season", "number", "city", "country", "start_date", "end_date", "published"]
    list_filter = ["season"]
