from django.contrib import admin
from django.http import HttpRequest

from anju.archive.models import Document, Download


class DownloadInline(admin.TabularInline):
    """Read only: the log is written by downloads, never by hand."""

    model = Download
    extra = 0
    can_delete = False
    readonly_fields = ["by", "at", "via", "allowed", "reason"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Read only: a document is uploaded through the deal's page or the API, which check its content."""

    list_display = ["original_name", "kind", "deal", "size", "uploaded_by", "uploaded_at", "company"]
    list_filter = ["company", "kind"]
    search_fields = ["original_name", "sha256", "deal__number"]
    readonly_fields = [
        "company",
        "deal",
        "kind",
        "file",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    ]
    inlines = [DownloadInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
