from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_roles(sender, **kwargs):
    from partnerships.roles import ensure_roles

    ensure_roles()


class PartnershipsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        # After the app's permissions exist (they are made on post_migrate too, earlier).
        post_migrate.connect(create_roles, sender=self, dispatch_uid="partnerships-create-roles")
