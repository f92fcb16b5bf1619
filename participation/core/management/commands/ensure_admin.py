import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the administrator account 'admin' if no superuser exists yet, and print its password once. "
        "Set ADMIN_PASSWORD to choose it. Later: manage.py changepassword admin."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write(
                "An administrator account exists already (reset it with: manage.py changepassword admin)."
            )
            return
        password = os.environ.get("ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", "admin@example.org", password)
        self.stdout.write(
            self.style.SUCCESS(
                "Administrator account created — sign in at http://127.0.0.1:8000/admin/\n"
                f"    username: admin\n    password: {password}\n"
                "This password is shown only once. Change it with: manage.py changepassword admin"
            )
        )
