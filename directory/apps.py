from django.contrib.admin.apps import AdminConfig


class DirectoryAdminConfig(AdminConfig):
    """Django's admin, on the directory's own site (partnerships/staff/site.py)."""

    default_site = "partnerships.staff.site.DirectoryAdminSite"
