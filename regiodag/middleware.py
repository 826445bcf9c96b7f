"""Dutch unless the visitor chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language, which would show most
Dutch civil servants (whose browsers often say en-US) an English site. We follow only an
explicit choice made with the language switch (the language cookie).
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
