"""The site's brand in the public header: its name and, optionally, its logo.

`SITE_LOGO` names a static file. A path that does not resolve would show a broken image on
every public page in the middle of a crisis, so it is refused at start-up, naming the setting.
"""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured

LOGO_TYPES = (".svg", ".png", ".webp", ".jpg", ".jpeg")


def check_site_logo() -> None:
    logo = (getattr(settings, "SITE_LOGO", "") or "").strip()
    if not logo:
        return
    if logo.startswith(("/", "http:", "https:", "//")) or ".." in logo:
        raise ImproperlyConfigured(
            f"SITE_LOGO is {logo!r}: it must be a static file path such as 'brand/logo.svg' "
            "(no third-party address: the public pages load nothing from elsewhere)."
        )
    if not logo.lower().endswith(LOGO_TYPES):
        raise ImproperlyConfigured(
            f"SITE_LOGO is {logo!r}: use an image file ({', '.join(LOGO_TYPES)})."
        )
    if not finders.find(logo):
        raise ImproperlyConfigured(
            f"SITE_LOGO is {logo!r}, but no static file has that path. Put the file in a "
            "static directory (for example static/brand/) or empty the setting."
        )
