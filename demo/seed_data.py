"""Demo data: WhatsApp, the sources a newsroom watches, templates, reader questions, and the
October 2021 global outage of WhatsApp, Instagram, Messenger and Facebook as a resolved past
incident. Used by `manage.py seed_demo`."""

from datetime import UTC, datetime
from typing import Any

from demo import seed_templates

SERVICE = {
    "slug": "whatsapp",
    "name": "WhatsApp",
    "description": "Messaging, voice and video calls by Meta.",
    # Only Meta's own pages and accounts can be official for WhatsApp.
    "owner": "meta",
    "regions": ["world", "Europe", "France", "Belgium", "United States", "Brazil", "India"],
    "help_url": "https://faq.whatsapp.com/",
    "official_account_url": "https://x.com/WhatsApp",
    "status_page_url": "https://metastatus.com/whatsapp-business-api",
    "alternatives": [
        {
            "name": "Telegram",
            "url": "https://telegram.org/",
            "note_en": "about 700 million monthly users in 2024",
            "note_fr": "environ 700 millions d'utilisateurs mensuels en 2024",
        },
        {
            "name": "Signal",
            "url": "https://signal.org/",
            "note_en": "about 70 million monthly users, end-to-end encrypted by default",
            "note_fr": "environ 70 millions d'utilisateurs mensuels, chiffré de bout en bout",
        },
    ],
}

# slug, English, French, keywords (French and English words that point to the component)
COMPONENTS = [
    (
        "messages",
        "Messages",
        "Messages",
        [
            "message",
            "messages",
            "send",
            "sending",
            "tick",
            "grey tick",
            "envoi",
            "envoyer",
            "coche",
        ],
    ),
    (
        "calls",
        "Voice and video calls",
        "Appels vocaux et vidéo",
        ["call", "calls", "calling", "voice", "video call", "appel", "appels", "appeler", "visio"],
    ),
    (
        "media",
        "Photos and videos",
        "Photos et vidéos",
        ["photo", "photos", "picture", "image", "video", "videos", "media", "vidéo", "vidéos"],
    ),
    ("status", "Status", "Statut", ["status update", "stories", "story", "statut", "statuts"]),
    (
        "web",
        "WhatsApp Web and Desktop",
        "WhatsApp Web et Desktop",
        ["web", "desktop", "whatsapp web", "qr code", "ordinateur"],
    ),
    (
        "business-api",
        "Business API",
        "API Business",
        ["business", "api", "cloud api", "entreprise"],
    ),
    (
        "connection",
        "Connection",
        "Connexion",
        ["connect", "connecting", "connection", "login", "log in", "connexion", "se connecter"],
    ),
]


# Sources earlier demos attached to WhatsApp although they replay another company's captures
# (Discord's incidents.json, GitHub's status history): name → the company it really is. A seed
# switches them off and gives them back their owner, so they stop feeding WhatsApp and are
# never read as WhatsApp's official word.
RETIRED_SOURCES = {
    "WhatsApp status page (incidents)": "discord",
    "Tech press (RSS)": "github",
    "Status history (Atom)": "github",
}


def source_definitions(replay_url: str) -> list[dict]:
    """The sources a newsroom watches. With no real URL configured they point at the local
    replay of the recorded fixtures (`replay_url`), so the demo gathers real-format data.
    Only captures of WhatsApp-like pages are attached (see demo/sources/README.md): the
    recorded Discord and GitHub status pages belong to other companies."""
    base = replay_url.rstrip("/")

    def url(name: str) -> str:
        return f"{base}/{name}" if base else ""

    return [
        {
            "name": "WhatsApp status page (summary)",
            "public_label": "WhatsApp status page",
            "kind": "statuspage",
            "tier": "official",
            "owner": "meta",
            "url": url("statuspage_summary_outage.json"),
            "config": {
                "resource": "summary",
                # Status page component names (or ids) → OutageDesk component slugs.
                "component_map": {
                    "Message delivery": "messages",
                    "Voice and video calls": "calls",
                    "Media upload and download": "media",
                    "Web and desktop clients": "web",
                },
            },
            "poll_interval_seconds": 60,
        },
        {
            "name": "Downdetector-style report counts",
            "public_label": "Downdetector",
            "kind": "reports",
            "tier": "monitor",
            "owner": "downdetector",
            "url": url("downdetector_outage_report.json"),
            "config": {
                "series_path": "time_series",
                "time_field": "date",
                "value_field": "reports_value",
                "baseline_field": "baseline_value",
                "problems_path": "most_reported_problems",
                "timezone": "UTC",
                "problem_map": {"Messaging": "messages", "Server Connection": "connection"},
            },
            "poll_interval_seconds": 60,
        },
        {
            "name": "Mastodon #WhatsappDown",
            "public_label": "Mastodon",
            "kind": "mastodon",
            "tier": "community",
            "owner": "mastodon",
            "url": url("mastodon_tag_timeline.json"),
            "config": {"hashtags": ["WhatsappDown", "WhatsappProbleme", "WhatsappOutage"]},
            "poll_interval_seconds": 120,
        },
        {
            "name": "Bluesky search",
            "public_label": "Bluesky",
            "kind": "bluesky",
            "tier": "community",
            "owner": "bluesky",
            "url": url("bluesky_search_posts.json"),
            "config": {"query": "#WhatsappDown OR #WhatsappProbleme OR #WhatsappOutage"},
            "poll_interval_seconds": 120,
        },
        {
            "name": "Reddit search",
            "public_label": "Reddit",
            "kind": "reddit",
            "tier": "community",
            "owner": "reddit",
            "url": url("reddit_search.json"),
            "config": {"query": "whatsapp down"},
            "poll_interval_seconds": 180,
        },
        {
            "name": "Hacker News",
            "public_label": "Hacker News",
            "kind": "hn",
            "tier": "community",
            "owner": "hackernews",
            "url": url("hn_algolia_search_outage.json"),
            "config": {"query": "whatsapp"},
            "poll_interval_seconds": 300,
        },
        {
            "name": "Probe of whatsapp.com",
            "public_label": "OutageDesk probe",
            "kind": "probe",
            "tier": "monitor",
            "owner": "newsroom",
            "url": "https://web.whatsapp.com/",
            "is_enabled": False,
            "config": {"hosts": ["web.whatsapp.com", "g.whatsapp.net"], "dns_timeout": 3},
            "poll_interval_seconds": 60,
        },
        {
            "name": "Reader reports",
            "public_label": "Reader reports",
            "kind": "reader",
            "tier": "unverified",
            "owner": "readers",
            "url": "",
            "config": {},
            "poll_interval_seconds": 60,
        },
    ]


# The four questions readers ask, French originals with English translations and honest answers.
# The questions stay as readers typed them (they are the FAQ's natural key); the answers follow
# French typography (no-break space before ":"); `demo.seeding` brings unedited older answers up.
READER_QUESTIONS = [
    {
        "category": "eta",
        "fr": (
            "Quand Whatsapp sera-t-il de nouveau opérationnel ?",
            "Personne ne peut encore donner d'heure fiable, pas même WhatsApp. Nous suivons la "
            "page de statut officielle et le compte officiel, et nous mettons cette page à jour "
            "dès qu'une information vérifiée arrive. Dernière mise à jour\u00a0: {last_update_time}.",
        ),
        "en": (
            "When will WhatsApp be working again?",
            "Nobody can give a reliable time yet, not even WhatsApp. We follow the official "
            "status page and the official account and update this page as soon as verified "
            "information arrives. Last update: {last_update_time}.",
        ),
    },
    {
        "category": "messages-lost",
        "fr": (
            "Est-ce que mes messages ont été perdus ?",
            "En général, non\u00a0: lors des pannes précédentes, les messages en attente sont partis "
            "une fois le service rétabli. Ne désinstallez pas l'application et ne supprimez pas "
            "vos conversations, vous risqueriez de perdre vos sauvegardes. Liens officiels\u00a0: "
            "{official_links}.",
        ),
        "en": (
            "Have my messages been lost?",
            "Usually not: in past outages, waiting messages were sent once the service came "
            "back. Do not uninstall the app or delete your chats, as that could lose your "
            "backups. Official links: {official_links}.",
        ),
    },
    {
        "category": "alternatives",
        "fr": (
            "Existe-t-il une alternative à Whatsapp que vous recommandez ?",
            "Pour joindre vos proches en attendant\u00a0: {alternatives}, ou tout simplement les SMS "
            "et les appels téléphoniques classiques, qui ne dépendent pas de WhatsApp.",
        ),
        "en": (
            "Is there an alternative to WhatsApp you recommend?",
            "To reach people in the meantime: {alternatives}, or plain text messages and phone "
            "calls, which do not depend on WhatsApp.",
        ),
    },
    {
        "category": "security",
        "fr": (
            "Est-ce que Whatsapp est piraté et mes données sont-elles compromises ?",
            "Rien ne l'indique à ce stade\u00a0: les pannes de cette ampleur viennent le plus souvent "
            "d'une erreur technique. Nous le dirons ici si une source officielle annonce "
            "autre chose. Méfiez-vous des messages qui vous demandent un code ou un paiement.",
        ),
        "en": (
            "Has WhatsApp been hacked, and is my data at risk?",
            "Nothing suggests so at this stage: outages of this size usually come from a "
            "technical error. We will say so here if an official source announces otherwise. "
            "Beware of messages asking for a code or a payment.",
        ),
    },
]

# The announcement templates live in their own module (16 texts and their earlier versions).
TEMPLATES = seed_templates.TEMPLATES


def _utc(*args) -> datetime:
    return datetime(*args).replace(tzinfo=UTC)


# The global outage of Monday 4 October 2021 (about six hours: 15:39 to about 21:30 UTC).
PAST_INCIDENT = {
    "slug": "whatsapp-panne-mondiale-2021-10-04",
    "title": "Panne mondiale de WhatsApp, Instagram, Messenger et Facebook",
    "language": "fr",
    "kind": "global",
    "impact": "critical",
    "status": "resolved",
    "regions": ["world"],
    "components": ["messages", "calls", "media", "status", "web", "business-api", "connection"],
    # Down with WhatsApp, as a whole: every component of each (see META_SERVICES).
    "other_services": ["instagram", "messenger", "facebook"],
    "started_at": _utc(2021, 10, 4, 15, 39),
    "resolved_at": _utc(2021, 10, 4, 21, 30),
    "updates": [
        {
            "at": _utc(2021, 10, 4, 15, 58),
            "status": "investigating",
            "confirmed": False,
            "title": "Des utilisateurs signalent une panne de WhatsApp",
            "message": "Des utilisateurs signalent depuis 17 h 40 (heure de Paris) que les messages "
            "ne partent plus et que l'application ne se connecte pas, partout dans le monde.",
            "sources": "Selon Downdetector et des témoignages de lecteurs",
            "advice": "Pour joindre vos proches : SMS, appels, Telegram ou Signal.",
        },
        {
            "at": _utc(2021, 10, 4, 16, 20),
            "status": "identified",
            "confirmed": True,
            "title": "WhatsApp est hors service dans le monde entier",
            "message": "WhatsApp confirme que « certaines personnes rencontrent des problèmes ». "
            "Instagram, Messenger et Facebook sont aussi touchés.",
            "sources": "Selon le compte officiel de WhatsApp et Downdetector",
            "advice": "Ne désinstallez pas l'application : vos messages ne sont pas perdus.",
        },
        {
            "at": _utc(2021, 10, 4, 21, 35),
            "status": "monitoring",
            "confirmed": True,
            "title": "Le service revient progressivement",
            "message": "WhatsApp revient progressivement ; les messages en attente partent.",
            "sources": "Selon le compte officiel de WhatsApp",
            "advice": "Redémarrez l'application si elle reste bloquée.",
        },
        {
            "at": _utc(2021, 10, 4, 22, 30),
            "status": "resolved",
            "confirmed": True,
            "title": "WhatsApp fonctionne de nouveau",
            "message": "Après environ six heures de panne, WhatsApp fonctionne de nouveau. Meta "
            "attribue la panne à une erreur de configuration de ses routeurs.",
            "sources": "Selon le blog d'ingénierie de Meta et le compte officiel de WhatsApp",
            "advice": "",
        },
    ],
}


# The other Meta services the 4 October 2021 outage took down with WhatsApp. Tracked, without
# sources of their own (the detector watches WhatsApp); links only where the address is known.
# slug → service fields and components (slug, English, French, keywords), as in COMPONENTS.
META_SERVICES: dict[str, dict[str, Any]] = {
    "instagram": {
        "service": {
            "name": "Instagram",
            "description": "Photo and video sharing, stories and messages by Meta.",
            "owner": "meta",
            "regions": ["world", "Europe", "France", "Belgium", "United States"],
            "help_url": "https://help.instagram.com/",
            "official_account_url": "https://x.com/instagram",
        },
        "components": [
            ("feed", "Feed", "Fil d'actualité", ["feed", "timeline", "fil", "publication"]),
            ("stories", "Stories", "Stories", ["story", "stories"]),
            ("reels", "Reels", "Reels", ["reel", "reels"]),
            ("direct", "Direct messages", "Messages privés", ["direct", "dm", "message privé"]),
            ("connection", "Connection", "Connexion", ["login", "log in", "connexion"]),
        ],
    },
    "messenger": {
        "service": {
            "name": "Messenger",
            "description": "Messages, voice and video calls between Facebook users, by Meta.",
            "owner": "meta",
            "regions": ["world", "Europe", "France", "Belgium", "United States"],
            "help_url": "https://www.facebook.com/help/messenger-app/",
            "official_account_url": "https://x.com/messenger",
        },
        "components": [
            ("messages", "Messages", "Messages", ["message", "messages", "send", "envoi"]),
            ("calls", "Voice and video calls", "Appels vocaux et vidéo", ["call", "appel"]),
            ("connection", "Connection", "Connexion", ["login", "log in", "connexion"]),
        ],
    },
    "facebook": {
        "service": {
            "name": "Facebook",
            "description": "The social network by Meta: news feed, groups, pages.",
            "owner": "meta",
            "regions": ["world", "Europe", "France", "Belgium", "United States"],
            "help_url": "https://www.facebook.com/help/",
            "official_account_url": "https://x.com/facebook",
        },
        "components": [
            ("feed", "News Feed", "Fil d'actualité", ["feed", "news feed", "fil d'actualité"]),
            ("groups", "Groups", "Groupes", ["group", "groups", "groupe", "groupes"]),
            ("pages", "Pages", "Pages", ["page", "pages"]),
            ("connection", "Connection", "Connexion", ["login", "log in", "connexion"]),
        ],
    },
}
