from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def second_factor_required(app_configs, **kwargs):
    if settings.REGIODAG_REQUIRE_2FA or settings.DEBUG:
        return []
    return [
        Warning(
            "REGIODAG_REQUIRE_2FA is off: staff accounts can reach the admin and check-in with a password alone.",
            hint="Remove REGIODAG_REQUIRE_2FA=0 from the environment; only the local demo may switch it off.",
            id="regiodag.W001",
        )
    ]
