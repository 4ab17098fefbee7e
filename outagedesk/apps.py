from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutageDeskConfig(AppConfig):
    name = "outagedesk"
    verbose_name = _("OutageDesk core")

    def ready(self) -> None:
        # A bad SITE_LOGO fails the start, not every public page later.
        from outagedesk.branding import check_site_logo

        check_site_logo()
