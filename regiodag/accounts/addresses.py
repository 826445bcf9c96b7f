from django.conf import settings


def client_address(request):
    """The client's address as the outermost of our REGIODAG_PROXY_COUNT proxies saw it.

    Each proxy appends the address it received the request from to X-Forwarded-For, so the
    last REGIODAG_PROXY_COUNT entries are theirs; anything further left was sent by the
    client and can be made up. Without proxies (or when the header is shorter than the proxies
    promise) the connection's own address counts.
    """
    proxies = settings.REGIODAG_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
