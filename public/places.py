"""Countries readers can pick in "down for me" and the region names incidents use: a plain
helper of the incident page's renderer (imports nothing from public/).

Names are kept here in both languages rather than in the message catalog: a country list is data,
sorted by its name in the page's language.
"""

import unicodedata

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# ISO 3166-1 alpha-2 code, English name, French name: WhatsApp's largest markets, Europe and the
# French-speaking world.
COUNTRIES = [
    ("DZ", "Algeria", "Algérie"),
    ("AR", "Argentina", "Argentine"),
    ("AU", "Australia", "Australie"),
    ("AT", "Austria", "Autriche"),
    ("BD", "Bangladesh", "Bangladesh"),
    ("BE", "Belgium", "Belgique"),
    ("BJ", "Benin", "Bénin"),
    ("BR", "Brazil", "Brésil"),
    ("BF", "Burkina Faso", "Burkina Faso"),
    ("CM", "Cameroon", "Cameroun"),
    ("CA", "Canada", "Canada"),
    ("CL", "Chile", "Chili"),
    ("CO", "Colombia", "Colombie"),
    ("CD", "DR Congo", "RD Congo"),
    ("CG", "Congo", "Congo"),
    ("CI", "Côte d'Ivoire", "Côte d'Ivoire"),
    ("DK", "Denmark", "Danemark"),
    ("EG", "Egypt", "Égypte"),
    ("FI", "Finland", "Finlande"),
    ("FR", "France", "France"),
    ("GA", "Gabon", "Gabon"),
    ("DE", "Germany", "Allemagne"),
    ("GH", "Ghana", "Ghana"),
    ("GR", "Greece", "Grèce"),
    ("GN", "Guinea", "Guinée"),
    ("HT", "Haiti", "Haïti"),
    ("IN", "India", "Inde"),
    ("ID", "Indonesia", "Indonésie"),
    ("IE", "Ireland", "Irlande"),
    ("IL", "Israel", "Israël"),
    ("IT", "Italy", "Italie"),
    ("JP", "Japan", "Japon"),
    ("KE", "Kenya", "Kenya"),
    ("LB", "Lebanon", "Liban"),
    ("LU", "Luxembourg", "Luxembourg"),
    ("MG", "Madagascar", "Madagascar"),
    ("MY", "Malaysia", "Malaisie"),
    ("ML", "Mali", "Mali"),
    ("MU", "Mauritius", "Maurice"),
    ("MX", "Mexico", "Mexique"),
    ("MC", "Monaco", "Monaco"),
    ("MA", "Morocco", "Maroc"),
    ("NL", "Netherlands", "Pays-Bas"),
    ("NZ", "New Zealand", "Nouvelle-Zélande"),
    ("NE", "Niger", "Niger"),
    ("NG", "Nigeria", "Nigeria"),
    ("NO", "Norway", "Norvège"),
    ("PK", "Pakistan", "Pakistan"),
    ("PE", "Peru", "Pérou"),
    ("PH", "Philippines", "Philippines"),
    ("PL", "Poland", "Pologne"),
    ("PT", "Portugal", "Portugal"),
    ("RO", "Romania", "Roumanie"),
    ("RW", "Rwanda", "Rwanda"),
    ("SA", "Saudi Arabia", "Arabie saoudite"),
    ("SN", "Senegal", "Sénégal"),
    ("SG", "Singapore", "Singapour"),
    ("ZA", "South Africa", "Afrique du Sud"),
    ("ES", "Spain", "Espagne"),
    ("SE", "Sweden", "Suède"),
    ("CH", "Switzerland", "Suisse"),
    ("TG", "Togo", "Togo"),
    ("TN", "Tunisia", "Tunisie"),
    ("TR", "Türkiye", "Turquie"),
    ("AE", "United Arab Emirates", "Émirats arabes unis"),
    ("GB", "United Kingdom", "Royaume-Uni"),
    ("US", "United States", "États-Unis"),
    ("VN", "Vietnam", "Viêt Nam"),
]
_BY_CODE = {code: (en, fr) for code, en, fr in COUNTRIES}

REGIONS = {
    "world": _("Worldwide"),
    "europe": _("Europe"),
    "africa": _("Africa"),
    "asia": _("Asia"),
    "middle-east": _("Middle East"),
    "north-america": _("North America"),
    "south-america": _("South America"),
    "latin-america": _("Latin America"),
    "oceania": _("Oceania"),
}


def _french() -> bool:
    return (get_language() or "en").startswith("fr")


def _sort_key(name: str) -> str:
    # "Égypte" sorts with the E's, not after "Viêt Nam".
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def country_choices() -> list[tuple[str, str]]:
    index = 2 if _french() else 1
    return sorted(((row[0], row[index]) for row in COUNTRIES), key=lambda c: _sort_key(c[1]))


def region_name(value: str) -> str:
    """A region as readers say it: "europe" → Europe, "FR" → France; anything else as written."""
    key = (value or "").strip()
    if key.lower() in REGIONS:
        return str(REGIONS[key.lower()])
    if key.upper() in _BY_CODE:
        en, fr = _BY_CODE[key.upper()]
        return fr if _french() else en
    return key
