import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from partnerships.staff.roles import EDITORS, REVIEWERS, ensure_roles

ROLES = {"editor": EDITORS, "reviewer": REVIEWERS}


class Command(BaseCommand):
    help = "Create a staff account for an editor (consulate officer) or a reviewer, or change its role."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=sorted(ROLES), required=True)
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password", help="The password; asked for when omitted (better: it stays out of shell history)."
        )

    def handle(self, username, role, email, password, **options):
        ensure_roles()
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username, defaults={"email": email})
        if password is None and created:
            password = getpass.getpass(f"Password for {username}: ")
        if password is not None:
            try:
                validate_password(password, user)
            except ValidationError as error:
                if created:
                    user.delete()
                raise CommandError(" ".join(error.messages)) from error
            user.set_password(password)
        user.is_staff = True
        user.is_superuser = False
        if email:
            user.email = email
        user.save()
        user.groups.set([Group.objects.get(name=ROLES[role])])
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} {role} account {username!r}; it signs in at /admin/."))
