"""What publishing will tell subscribers, said before the editor presses Publish: "This update
will email 1,204 subscribers, push to 380 devices and call 3 webhooks." or "Subscribers will not
be told.", from the database (`notifications.selectors.subscriber_reach`)."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from incidents.models import Incident
from notifications.models import Subscriber
from notifications.selectors import subscriber_reach

Channel = Subscriber.Channel


def _count(n: int) -> str:
    # "1,204" in English, "1 204" in French: the editor's interface language.
    return number_format(n, force_grouping=True)


def _actions(reach: dict[str, int]) -> list[str]:
    actions = []
    if n := reach.get(Channel.EMAIL, 0):
        actions.append(
            ngettext("email %(n)s subscriber", "email %(n)s subscribers", n) % {"n": _count(n)}
        )
    if n := reach.get(Channel.PUSH, 0):
        actions.append(
            ngettext("push to %(n)s device", "push to %(n)s devices", n) % {"n": _count(n)}
        )
    if n := reach.get(Channel.WEBHOOK, 0):
        actions.append(ngettext("call %(n)s webhook", "call %(n)s webhooks", n) % {"n": _count(n)})
    return actions


def _joined(actions: list[str]) -> str:
    if len(actions) == 1:
        return actions[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(actions[:-1]), "last": actions[-1]}


def notify_sentence(*, notify: bool, reach: dict[str, int]) -> str:
    if not notify:
        return _("Subscribers will not be told of this update.")
    actions = _actions(reach)
    if not actions:
        return _("Nobody has subscribed to this service or incident yet: no one will be told.")
    return _("Publishing will %(actions)s.") % {"actions": _joined(actions)}


def notify_panel(incident: Incident, *, notify: bool) -> dict:
    return {"notify_sentence": notify_sentence(notify=notify, reach=subscriber_reach(incident))}
