from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutageDeskConfig(AppConfig):
    name = "outagedesk"
    verbose_name = _("OutageDesk core")
