"""Demo seed for the comments app: the moderation word lists and the other phrasings of the
seeded canned replies. Idempotent, and never overwrites what moderators changed."""

from comments.models import CannedReply, ModerationWord

BANNED = "banned"
SUSPECT = "suspect"

# Moderators extend these in the admin. Matching ignores case, accents, repeated letters, common
# look-alike digits and spread-out letters, and only matches whole words (see moderation/words.py).
#
# Sources and licence: written for OutageDesk from its authors' general knowledge of French and
# English insults, slurs, their usual abbreviations (SMS and forum style: "fdp", "ntm", "stfu")
# and spellings that dodge filters ("fck", "phuck"); no third-party list was copied, so the lists
# carry the project's own licence. Words that are also ordinary words in the other language are
# left out, because a comment is matched against both languages' lists: "retard" (French for
# "delay": "mon train a du retard") is not listed, "retarded" is. Two-letter abbreviations that
# have innocent meanings ("tg", "pd") only hold a comment for a moderator, they never reject it.
WORDS = {
    "fr": {
        BANNED: [
            "con", "conne", "connard", "connards", "connasse", "connasses", "salope", "salopes",
            "pute", "putes", "enculé", "enculés", "enculer", "fils de pute", "nique ta mère",
            "ta gueule", "ferme ta gueule", "va te faire foutre", "bâtard", "bâtards",
            "tapette", "pédé", "bougnoule", "youpin", "négro",
            # Abbreviations and variants.
            "fdp", "ntm", "ftg", "vtff", "vtf", "enfoiré", "enfoirés", "enfoirée", "pétasse",
            "pétasses", "connar", "conar", "niquer ta mère", "nique ta race", "grosse merde",
        ],
        SUSPECT: [
            "merde", "putain", "abruti", "abrutis", "débile", "débiles", "crétin", "crétins",
            "imbécile", "imbéciles", "idiot", "idiots", "bordel", "chier", "pd", "nazi",
            # Abbreviations and variants.
            "tg", "ptn", "ptin", "mrd", "bouffon", "bouffons", "tocard", "tocards", "cassos",
            "salaud", "salauds", "nique", "niquer",
        ],
    },
    "en": {
        BANNED: [
            "fuck", "fucking", "fucker", "fuckers", "motherfucker", "cunt", "cunts", "asshole",
            "assholes", "ass", "bitch", "bitches", "bastard", "bastards", "dickhead", "whore",
            "slut", "retarded", "faggot", "nigger", "kill yourself", "kys",
            # Abbreviations and spellings that dodge filters.
            "fck", "fcking", "fcker", "fuk", "fuking", "fukin", "fuckin", "phuck", "fuq",
            "motherfucking", "mofo", "biatch", "ahole", "dumbass", "jackass",
            "twat", "wanker", "wankers", "douchebag",
        ],
        SUSPECT: [
            "shit", "shitty", "bullshit", "crap", "damn", "stupid", "moron", "morons", "dumb",
            "sucks", "wtf", "stfu", "shut up", "scam",
            # Abbreviations and variants.
            "gtfo", "ffs", "omfg", "dafuq", "prick", "douche", "tosser",
            "bollocks", "loser", "losers",
        ],
    },
}  # fmt: skip

# Other ways readers ask the four questions, used to suggest the right canned reply.
PHRASINGS = {
    ("eta", "fr"): [
        "Quand est-ce que ça revient ?",
        "Ça remarche quand ?",
        "C'est réparé quand ?",
        "Combien de temps va durer la panne ?",
        "Quand est-ce que WhatsApp va refonctionner ?",
        "C'est bientôt fini ?",
    ],
    ("eta", "en"): [
        "When will it be back?",
        "How long will the outage last?",
        "When will it be fixed?",
        "Any ETA?",
        "Is it back yet?",
    ],
    ("messages-lost", "fr"): [
        "Mes messages sont-ils perdus ?",
        "Vais-je perdre mes messages ?",
        "Mes messages vont-ils arriver ?",
        "Mes conversations sont-elles effacées ?",
        "Les messages envoyés pendant la panne seront-ils reçus ?",
    ],
    ("messages-lost", "en"): [
        "Are my messages lost?",
        "Will I lose my messages?",
        "Will my messages be delivered?",
        "Are my chats deleted?",
        "What happens to messages sent during the outage?",
    ],
    ("alternatives", "fr"): [
        "Quelle autre application utiliser ?",
        "Par quoi remplacer WhatsApp ?",
        "Vous conseillez quoi comme autre appli ?",
        "Comment joindre mes proches pendant la panne ?",
        "Telegram ou Signal ?",
    ],
    ("alternatives", "en"): [
        "Which other app should I use?",
        "What can I use instead of WhatsApp?",
        "How can I reach my family during the outage?",
        "Telegram or Signal?",
    ],
    ("security", "fr"): [
        "Est-ce un piratage ?",
        "WhatsApp a-t-il été piraté ?",
        "Mes données sont-elles en danger ?",
        "C'est une cyberattaque ?",
        "Mon compte est-il piraté ?",
    ],
    ("security", "en"): [
        "Is it a hack?",
        "Was WhatsApp hacked?",
        "Is my data safe?",
        "Is this a cyberattack?",
        "Has my account been hacked?",
    ],
}


def seed_moderation_words() -> int:
    existing = set(ModerationWord.objects.values_list("word", "language"))
    missing = [
        ModerationWord(word=word, language=language, action=action)
        for language, lists in WORDS.items()
        for action, words in lists.items()
        for word in words
        if (word, language) not in existing
    ]
    ModerationWord.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def seed_canned_reply_phrasings() -> int:
    updated = 0
    for (category, language), lines in PHRASINGS.items():
        updated += CannedReply.objects.filter(
            category=category, language=language, keywords=""
        ).update(keywords="\n".join(lines))
    return updated


def seed_comments() -> int:
    """Run after the canned replies are seeded; returns how many word-list rows were created."""
    created = seed_moderation_words()
    seed_canned_reply_phrasings()
    return created
