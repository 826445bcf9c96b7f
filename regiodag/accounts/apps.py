from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class AccountsConfig(AppConfig):
    name = "regiodag.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from regiodag.accounts import checks  # noqa: F401 - registers the deploy check
        from regiodag.accounts.middleware import note_sign_in

        user_logged_in.connect(note_sign_in, dispatch_uid="regiodag.accounts.note_sign_in")
