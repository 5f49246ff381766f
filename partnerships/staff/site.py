"""The staff's admin site: Django's, with the reviewer's desk on its home page (how many changes
wait for review, how many readers' reports are new), each count a link to its queue."""

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partnerships.models import ChangeRequest, Report
from partnerships.staff import review


class DirectoryAdminSite(admin.AdminSite):
    site_header = _("US–Japan Partnerships Directory")
    site_title = _("Directory admin")
    index_title = _("Records")
    index_template = "admin/directory_index.html"

    def index(self, request, extra_context=None):
        return super().index(request, {**(extra_context or {}), "desk": desk(request.user)})


def desk(user):
    """[(label, count, url)] of what waits for this person: the changes waiting for review (a
    reviewer's: everyone's; an editor's: their own) and, for whoever may read them, new reports."""
    pending = ChangeRequest.objects.filter(status=ChangeRequest.Status.PENDING)
    if not review.can_publish(user):
        pending = pending.filter(author=user)
    queue = reverse("admin:partnerships_changerequest_changelist")
    items = [(_("Changes waiting for review"), pending.count(), f"{queue}?status__exact=pending")]
    if user.has_perm("partnerships.view_report"):
        reports = reverse("admin:partnerships_report_changelist")
        new = Report.objects.filter(status=Report.Status.NEW).count()
        items.append((_("New reports from readers"), new, f"{reports}?status__exact=new"))
    return items
