"""The shipped announcement templates, French and English, formal and casual, one per purpose
(reports, confirmed outage, follow-up, resolution), written around the announcement elements:
a clear title, a short message with its time, practical advice and a one-line call to action.
The sources sentence ("Selon Downdetector et…") is added by the publication from verified
evidence, so the texts do not repeat it; the resolution names what the recovery rests on
({recovery_sources}: what was verified since the last update, never the outage's evidence).

Wording principles (shared/design/public-pages.md): say what readers see, advice stays advice,
never refer to "this article" or promote anything. French typography: no-break space before
":", narrow no-break space before ";", "?" and "!" (written \\u00a0 and \\u202f below).

`PREVIOUS_TEMPLATES` keeps the texts shipped before, so a second `seed_demo` replaces a stored
template only while it still reads exactly as shipped (an editor's change is never overwritten).
"""

NBSP = "\u00a0"  # before ":" in French
NNBSP = "\u202f"  # before ";", "?", "!" in French

TEMPLATES = [
    # --- Reports, not confirmed ---------------------------------------------------------------
    {
        "slug": "fr-signalements",
        "name": "Signalements en cours de vérification",
        "language": "fr",
        "tone": "formal",
        "purpose": "reported",
        "title": "Problèmes signalés sur {service}",
        "message": f"Depuis {{since}}, des utilisateurs signalent des problèmes avec {{service}}"
        f"{NBSP}: {{components}} ({{regions}}). À {{time}}, aucune source officielle ne les a "
        f"confirmés{NNBSP}; nous vérifions ces signalements.",
        "advice": "Avant de réinstaller quoi que ce soit, fermez puis rouvrez l'application et "
        f"vérifiez votre connexion. Pour un message urgent{NBSP}: {{alternatives}}.",
        "call_to_action": "Abonnez-vous pour être prévenu si la panne est confirmée.",
    },
    {
        "slug": "fr-problemes-connexion",
        "name": "Signalements (ton direct)",
        "language": "fr",
        "tone": "casual",
        "purpose": "reported",
        "title": f"{{service}}{NBSP}: des utilisateurs signalent des problèmes",
        "message": f"Vous n'êtes pas seul{NBSP}: depuis {{since}}, de nombreux utilisateurs "
        f"signalent des difficultés avec {{service}} ({{components}}, {{regions}}). Rien n'est "
        "encore confirmé, nous vérifions.",
        "advice": "Fermez et rouvrez l'application, vérifiez votre connexion. Si c'est urgent, "
        "passez par {alternatives}.",
        "call_to_action": "Suivez cette page pour savoir si la panne se confirme.",
    },
    {
        "slug": "en-connection-problems",
        "name": "Reports being checked",
        "language": "en",
        "tone": "formal",
        "purpose": "reported",
        "title": "Problems reported with {service}",
        "message": "Since {since}, users have been reporting problems with {service}: "
        "{components} ({regions}). As of {time}, no official source has confirmed them; we are "
        "checking these reports.",
        "advice": "Before reinstalling anything, close and reopen the app and check your "
        "connection. For an urgent message: {alternatives}.",
        "call_to_action": "Subscribe to be told if the outage is confirmed.",
    },
    {
        "slug": "en-reports-casual",
        "name": "Reports (plain words)",
        "language": "en",
        "tone": "casual",
        "purpose": "reported",
        "title": "{service}: users report problems",
        "message": "It's not just you: since {since}, many users have been reporting trouble with "
        "{service} ({components}, {regions}). Nothing is confirmed yet; we are checking.",
        "advice": "Close and reopen the app and check your connection. If it's urgent, use "
        "{alternatives}.",
        "call_to_action": "Follow this page to find out whether the outage is confirmed.",
    },
    # --- Confirmed outage ---------------------------------------------------------------------
    {
        "slug": "fr-hors-service",
        "name": "Panne confirmée",
        "language": "fr",
        "tone": "formal",
        "purpose": "confirmed",
        "title": "Panne de {service} depuis {since}",
        "message": f"{{service}} connaît une panne depuis {{since}}. Fonctions touchées{NBSP}: "
        f"{{components}}. Zones concernées{NBSP}: {{regions}}. {{eta_text}}",
        "advice": f"Ne désinstallez pas l'application{NBSP}: les messages en attente partiront "
        f"au retour du service. Pour joindre vos proches d'ici là{NBSP}: {{alternatives}}.",
        "call_to_action": "Suivez cette page ou abonnez-vous pour être prévenu du retour du "
        "service.",
    },
    {
        "slug": "fr-en-panne-direct",
        "name": "Panne confirmée (ton direct)",
        "language": "fr",
        "tone": "casual",
        "purpose": "confirmed",
        "title": "{service} est en panne",
        "message": f"Ce n'est pas votre téléphone{NBSP}: {{service}} est en panne depuis "
        f"{{since}}. En cause{NBSP}: {{components}}. {{eta_text}}",
        "advice": f"Inutile de réinstaller l'application. Besoin de joindre quelqu'un{NNBSP}? "
        "Passez par {alternatives}.",
        "call_to_action": "Suivez cette page, nous vous dirons dès que ça repart.",
    },
    {
        "slug": "en-down",
        "name": "Outage confirmed",
        "language": "en",
        "tone": "formal",
        "purpose": "confirmed",
        "title": "{service} down since {since}",
        "message": "{service} has been down since {since}. Affected: {components}. Regions: "
        "{regions}. {eta_text}",
        "advice": "Do not uninstall the app: waiting messages will go out when the service is "
        "back. To reach people in the meantime: {alternatives}.",
        "call_to_action": "Follow this page or subscribe to hear when the service is back.",
    },
    {
        "slug": "en-down-casual",
        "name": "Outage confirmed (plain words)",
        "language": "en",
        "tone": "casual",
        "purpose": "confirmed",
        "title": "{service} is down",
        "message": "It's not your phone: {service} has been down since {since}. What's hit: "
        "{components}. {eta_text}",
        "advice": "No need to reinstall the app. Need to reach someone? Use {alternatives}.",
        "call_to_action": "Follow this page; we'll tell you as soon as it's back.",
    },
    # --- Follow-up ----------------------------------------------------------------------------
    {
        "slug": "fr-ce-que-nous-savons",
        "name": "Ce que l'on sait",
        "language": "fr",
        "tone": "formal",
        "purpose": "update",
        "title": f"Panne de {{service}}{NBSP}: ce que l'on sait",
        "message": f"Point à {{time}}{NBSP}: {{service}} reste perturbé depuis {{since}}. "
        f"Fonctions touchées{NBSP}: {{components}}. {{eta_text}}",
        "advice": "Ne supprimez pas vos conversations et ne réinstallez pas l'application"
        f"{NBSP}: les messages en attente partiront au retour du service. En attendant"
        f"{NBSP}: {{alternatives}}.",
        "call_to_action": "Abonnez-vous pour recevoir la prochaine mise à jour. Liens "
        f"officiels{NBSP}: {{official_links}}.",
    },
    {
        "slug": "fr-point-direct",
        "name": "Point d'étape (ton direct)",
        "language": "fr",
        "tone": "casual",
        "purpose": "update",
        "title": "{service} toujours en panne",
        "message": "À {time}, {service} ne fonctionne toujours pas normalement ({components}). "
        "La panne dure depuis {since}. {eta_text}",
        "advice": f"Gardez l'application installée et patientez{NBSP}: vos messages partiront "
        f"d'eux-mêmes. Pour l'urgent{NBSP}: {{alternatives}}.",
        "call_to_action": "Suivez cette page pour la prochaine mise à jour.",
    },
    {
        "slug": "en-what-we-know",
        "name": "What we know",
        "language": "en",
        "tone": "formal",
        "purpose": "update",
        "title": "{service} outage: what we know",
        "message": "As of {time}, {service} is still disrupted; the outage has been going on "
        "since {since}. Affected: {components}. {eta_text}",
        "advice": "Do not delete your chats or reinstall the app: waiting messages will go out "
        "when the service is back. In the meantime: {alternatives}.",
        "call_to_action": "Subscribe to get the next update. Official links: {official_links}.",
    },
    {
        "slug": "en-still-down-casual",
        "name": "Still down (plain words)",
        "language": "en",
        "tone": "casual",
        "purpose": "update",
        "title": "{service} is still down",
        "message": "At {time}, {service} is still not working properly ({components}). It has "
        "been down since {since}. {eta_text}",
        "advice": "Keep the app installed and hang on: your messages will go out on their own. "
        "For anything urgent: {alternatives}.",
        "call_to_action": "Follow this page for the next update.",
    },
    # --- Resolved -----------------------------------------------------------------------------
    {
        "slug": "fr-retabli",
        "name": "Rétabli",
        "language": "fr",
        "tone": "formal",
        "purpose": "resolved",
        "title": "{service} fonctionne de nouveau",
        "message": "{service} fonctionne de nouveau, selon {recovery_sources}. La panne durait "
        "depuis {since}. Les messages en attente devraient partir dans les prochaines minutes.",
        "advice": "Si le problème persiste, fermez puis rouvrez l'application et vérifiez votre "
        "connexion.",
        "call_to_action": "Abonnez-vous pour être prévenu lors d'une prochaine panne.",
    },
    {
        "slug": "fr-retabli-direct",
        "name": "Rétabli (ton direct)",
        "language": "fr",
        "tone": "casual",
        "purpose": "resolved",
        "title": "C'est reparti pour {service}",
        "message": "{service} remarche, selon {recovery_sources}. Vos messages en attente "
        "devraient arriver d'ici quelques minutes.",
        "advice": f"Toujours bloqué{NNBSP}? Fermez l'application, rouvrez-la et vérifiez votre "
        "connexion.",
        "call_to_action": "Abonnez-vous pour être prévenu à la prochaine panne.",
    },
    {
        "slug": "en-resolved",
        "name": "Resolved",
        "language": "en",
        "tone": "formal",
        "purpose": "resolved",
        "title": "{service} is working again",
        "message": "{service} is working again, according to {recovery_sources}. The outage had "
        "lasted since {since}. Waiting messages should go out in the next few minutes.",
        "advice": "If the problem persists, close and reopen the app and check your connection.",
        "call_to_action": "Subscribe to be told of any future outage.",
    },
    {
        "slug": "en-back-casual",
        "name": "Back (plain words)",
        "language": "en",
        "tone": "casual",
        "purpose": "resolved",
        "title": "{service} is back",
        "message": "{service} is working again, according to {recovery_sources}. Your waiting "
        "messages should arrive within a few minutes.",
        "advice": "Still stuck? Close the app, reopen it and check your connection.",
        "call_to_action": "Subscribe to hear about the next outage.",
    },
]

# The texts shipped before this wording, by slug: a stored template still equal to one of them
# was never edited, so a new seed may replace it with the current wording.
PREVIOUS_TEMPLATES = {
    "fr-hors-service": {
        "name": "Hors service (officiel)",
        "title": "{service} est hors service",
        "message": "{service} est hors service : nous surveillons la situation de près et vous "
        "tiendrons informés. En attendant, découvrez nos alternatives pour rester "
        "connectés. Problèmes constatés : {components}. Depuis {since}.",
        "advice": "En attendant : {alternatives}.",
        "call_to_action": "Suivez cette page ou abonnez-vous pour être prévenu du retour du service.",
    },
    "fr-problemes-connexion": {
        "name": "Problèmes signalés (non confirmé)",
        "title": "Problèmes de connexion sur {service} signalés",
        "message": "Problèmes de connexion sur {service} signalés : vérifiez notre article pour "
        "les dernières informations… Des utilisateurs signalent des difficultés "
        "({components}, {regions}) depuis {since}.",
        "advice": "Essayez de redémarrer l'application ; en cas d'urgence : {alternatives}.",
        "call_to_action": "Suivez cette page pour les dernières informations.",
    },
    "fr-ce-que-nous-savons": {
        "name": "Ce que nous savons",
        "title": "Panne {service} : ce que nous savons",
        "message": "Panne {service} : voici ce que nous savons jusqu'à présent (mis à jour à "
        "{time}). Restez connectés avec nous sur nos autres canaux pour ne rien manquer.",
        "advice": "Liens officiels : {official_links}.",
        "call_to_action": "Abonnez-vous pour recevoir la prochaine mise à jour.",
    },
    "en-down": {
        "name": "Down (official)",
        "title": "{service} is down",
        "message": "{service} is down: we are watching the situation closely and will keep you "
        "informed. Meanwhile, discover our alternatives to stay connected. Affected: "
        "{components}. Since {since}.",
        "advice": "In the meantime: {alternatives}.",
        "call_to_action": "Follow this page or subscribe to hear when the service is back.",
    },
    "en-connection-problems": {
        "name": "Problems reported (unconfirmed)",
        "title": "Connection problems reported on {service}",
        "message": "Connection problems reported on {service}: check our article for the latest "
        "information… Users report trouble ({components}, {regions}) since {since}.",
        "advice": "Try restarting the app; if it is urgent: {alternatives}.",
        "call_to_action": "Follow this page for the latest information.",
    },
    "en-what-we-know": {
        "name": "What we know",
        "title": "{service} outage: what we know",
        "message": "{service} outage: here is what we know so far (updated at {time}). Stay "
        "connected with us on our other channels so you miss nothing.",
        "advice": "Official links: {official_links}.",
        "call_to_action": "Subscribe to get the next update.",
    },
    "fr-retabli": {
        "name": "Rétabli",
        "title": "{service} fonctionne de nouveau",
        "message": "{service} fonctionne de nouveau depuis {time}, selon {sources}. Les messages "
        "en attente devraient être envoyés dans les prochaines minutes.",
        "advice": "Si le problème persiste, redémarrez l'application.",
        "call_to_action": "",
    },
    "en-resolved": {
        "name": "Resolved",
        "title": "{service} is working again",
        "message": "{service} has been working again since {time}, according to {sources}. "
        "Waiting messages should go out in the next few minutes.",
        "advice": "If the problem persists, restart the app.",
        "call_to_action": "",
    },
}
