from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_roles(sender, **kwargs):
    from partnerships.staff.roles import ensure_roles

    ensure_roles()


def index_relationships(sender, using="default", **kwargs):
    """SQLite's full-text index of relationships (partnerships/sql/fulltext.py), made or remade after any
    migration, since SQLite rebuilds a table to alter it and drops its triggers with it."""
    from partnerships.sql.fulltext import ensure_sqlite_index

    ensure_sqlite_index(using)


class PartnershipsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        # Every published record's change raises the data version (models/version.py).
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from partnerships.models import PUBLISHED_MODELS, Relationship, bump_on_change
        from partnerships.models.records import count_sources

        m2m_changed.connect(count_sources, sender=Relationship.sources.through, dispatch_uid="relationship-sources")
        for model in PUBLISHED_MODELS:
            post_save.connect(bump_on_change, sender=model, dispatch_uid=f"version-save-{model.__name__}")
            post_delete.connect(bump_on_change, sender=model, dispatch_uid=f"version-delete-{model.__name__}")
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                m2m_changed.connect(bump_on_change, sender=through, dispatch_uid=f"version-m2m-{through.__name__}")

        # When each staff session began, for its absolute limit (SESSION_MAX_HOURS).
        from django.contrib.auth.signals import user_logged_in

        from partnerships.platform.middleware import stamp_sign_in

        user_logged_in.connect(stamp_sign_in, dispatch_uid="partnerships-stamp-sign-in")

        # A PostgreSQL server that stops answering is given up in bounded time (resilience.py).
        from partnerships.platform.resilience import bound_database_waits

        bound_database_waits()

        # After the app's permissions exist (they are made on post_migrate too, earlier).
        post_migrate.connect(create_roles, sender=self, dispatch_uid="partnerships-create-roles")
        post_migrate.connect(index_relationships, sender=self, dispatch_uid="partnerships-index-relationships")
