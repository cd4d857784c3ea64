"""EDGAR's state and country codes, and the code of a place as a cover page prints it.

The XML era prints row 6 as an EDGAR code (``DE``, ``NY``, ``E9`` for the Cayman Islands, ``X1`` for
the United States); text and HTML filings print a place in words ("a Delaware limited partnership",
"Cayman Islands", "U.S.A.", "Citizen of the United Kingdom"). :func:`place_code` maps the words to
the code, so one query groups holders by place across thirty years.

The table is the SEC's published list of EDGAR state and country codes (U.S. states and
territories, Canadian provinces, countries), written here as data; each country carries its ISO
3166 alpha-2 code so that ``pycountry``'s names (``Korea, Republic of``, ``Viet Nam``, official
names) reach the same EDGAR code. Extra spellings filers use (``U.S.A.``, ``BVI``, ``England and
Wales``, nationality adjectives) are listed in ``_ALIASES``.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

# U.S. states, the District of Columbia and the territories EDGAR codes with postal abbreviations.
US_STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts",
    "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico",
    "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "PR": "Puerto Rico", "VI": "Virgin Islands, U.S.",
    "GU": "Guam",
}

CANADIAN_PROVINCES: dict[str, str] = {
    "A0": "Alberta", "A1": "British Columbia", "A2": "Manitoba", "A3": "New Brunswick",
    "A4": "Newfoundland", "A5": "Nova Scotia", "A6": "Ontario", "A7": "Prince Edward Island", "A8": "Quebec",
    "A9": "Saskatchewan", "B0": "Yukon", "Z4": "Canada (Federal Level)",
}

# (EDGAR code, ISO 3166 alpha-2, EDGAR's name)
COUNTRIES: tuple[tuple[str, str, str], ...] = (
    ("B2", "AF", "Afghanistan"), ("Y6", "AX", "Aland Islands"), ("B3", "AL", "Albania"), ("B4", "DZ", "Algeria"),
    ("B5", "AS", "American Samoa"), ("B6", "AD", "Andorra"), ("B7", "AO", "Angola"), ("1A", "AI", "Anguilla"),
    ("B8", "AQ", "Antarctica"), ("B9", "AG", "Antigua and Barbuda"), ("C1", "AR", "Argentina"),
    ("1B", "AM", "Armenia"), ("1C", "AW", "Aruba"), ("C3", "AU", "Australia"), ("C4", "AT", "Austria"),
    ("1D", "AZ", "Azerbaijan"), ("C5", "BS", "Bahamas"), ("C6", "BH", "Bahrain"), ("C7", "BD", "Bangladesh"),
    ("C8", "BB", "Barbados"), ("1F", "BY", "Belarus"), ("C9", "BE", "Belgium"), ("D1", "BZ", "Belize"),
    ("G6", "BJ", "Benin"), ("D0", "BM", "Bermuda"), ("D2", "BT", "Bhutan"), ("D3", "BO", "Bolivia"),
    ("1E", "BA", "Bosnia and Herzegovina"), ("B1", "BW", "Botswana"), ("D4", "BV", "Bouvet Island"),
    ("D5", "BR", "Brazil"), ("D6", "IO", "British Indian Ocean Territory"), ("D9", "BN", "Brunei Darussalam"),
    ("E0", "BG", "Bulgaria"), ("X2", "BF", "Burkina Faso"), ("E2", "BI", "Burundi"), ("E3", "KH", "Cambodia"),
    ("E4", "CM", "Cameroon"), ("E8", "CV", "Cape Verde"), ("E9", "KY", "Cayman Islands"),
    ("F0", "CF", "Central African Republic"), ("F2", "TD", "Chad"), ("F3", "CL", "Chile"), ("F4", "CN", "China"),
    ("F6", "CX", "Christmas Island"), ("F7", "CC", "Cocos (Keeling) Islands"), ("F8", "CO", "Colombia"),
    ("F9", "KM", "Comoros"), ("G0", "CG", "Congo"), ("Y3", "CD", "Congo, the Democratic Republic of the"),
    ("G1", "CK", "Cook Islands"), ("G2", "CR", "Costa Rica"), ("L7", "CI", "Cote d'Ivoire"), ("1M", "HR", "Croatia"),
    ("G3", "CU", "Cuba"), ("G4", "CY", "Cyprus"), ("2N", "CZ", "Czech Republic"), ("G7", "DK", "Denmark"),
    ("1G", "DJ", "Djibouti"), ("G9", "DM", "Dominica"), ("G8", "DO", "Dominican Republic"), ("H1", "EC", "Ecuador"),
    ("H2", "EG", "Egypt"), ("H3", "SV", "El Salvador"), ("H4", "GQ", "Equatorial Guinea"), ("1J", "ER", "Eritrea"),
    ("1H", "EE", "Estonia"), ("H5", "ET", "Ethiopia"), ("H7", "FK", "Falkland Islands (Malvinas)"),
    ("H6", "FO", "Faroe Islands"), ("H8", "FJ", "Fiji"), ("H9", "FI", "Finland"), ("I0", "FR", "France"),
    ("I3", "GF", "French Guiana"), ("I4", "PF", "French Polynesia"), ("2C", "TF", "French Southern Territories"),
    ("I5", "GA", "Gabon"), ("I6", "GM", "Gambia"), ("2Q", "GE", "Georgia"), ("2M", "DE", "Germany"),
    ("J0", "GH", "Ghana"), ("J1", "GI", "Gibraltar"), ("J3", "GR", "Greece"), ("J4", "GL", "Greenland"),
    ("J5", "GD", "Grenada"), ("J6", "GP", "Guadeloupe"), ("J8", "GT", "Guatemala"), ("Y7", "GG", "Guernsey"),
    ("J9", "GN", "Guinea"), ("S0", "GW", "Guinea-Bissau"), ("K0", "GY", "Guyana"), ("K1", "HT", "Haiti"),
    ("K4", "HM", "Heard Island and McDonald Islands"), ("X4", "VA", "Holy See (Vatican City State)"),
    ("K2", "HN", "Honduras"), ("K3", "HK", "Hong Kong"), ("K5", "HU", "Hungary"), ("K6", "IS", "Iceland"),
    ("K7", "IN", "India"), ("K8", "ID", "Indonesia"), ("K9", "IR", "Iran, Islamic Republic of"), ("L0", "IQ", "Iraq"),
    ("L2", "IE", "Ireland"), ("Y8", "IM", "Isle of Man"), ("L3", "IL", "Israel"), ("L6", "IT", "Italy"),
    ("L8", "JM", "Jamaica"), ("M0", "JP", "Japan"), ("Y9", "JE", "Jersey"), ("M2", "JO", "Jordan"),
    ("1P", "KZ", "Kazakhstan"), ("M3", "KE", "Kenya"), ("J2", "KI", "Kiribati"),
    ("M4", "KP", "Korea, Democratic People's Republic of"), ("M5", "KR", "Korea, Republic of"), ("M6", "KW", "Kuwait"),
    ("1N", "KG", "Kyrgyzstan"), ("M7", "LA", "Lao People's Democratic Republic"), ("1R", "LV", "Latvia"),
    ("M8", "LB", "Lebanon"), ("M9", "LS", "Lesotho"), ("N0", "LR", "Liberia"), ("N1", "LY", "Libyan Arab Jamahiriya"),
    ("N2", "LI", "Liechtenstein"), ("1Q", "LT", "Lithuania"), ("N4", "LU", "Luxembourg"), ("N5", "MO", "Macau"),
    ("1U", "MK", "Macedonia, the Former Yugoslav Republic of"), ("N6", "MG", "Madagascar"), ("N7", "MW", "Malawi"),
    ("N8", "MY", "Malaysia"), ("N9", "MV", "Maldives"), ("O0", "ML", "Mali"), ("O1", "MT", "Malta"),
    ("1T", "MH", "Marshall Islands"), ("O2", "MQ", "Martinique"), ("O3", "MR", "Mauritania"), ("O4", "MU", "Mauritius"),
    ("2P", "YT", "Mayotte"), ("O5", "MX", "Mexico"), ("1K", "FM", "Micronesia, Federated States of"),
    ("1S", "MD", "Moldova, Republic of"), ("O9", "MC", "Monaco"), ("P0", "MN", "Mongolia"), ("Z5", "ME", "Montenegro"),
    ("P1", "MS", "Montserrat"), ("P2", "MA", "Morocco"), ("P3", "MZ", "Mozambique"), ("E1", "MM", "Myanmar"),
    ("T6", "NA", "Namibia"), ("P5", "NR", "Nauru"), ("P6", "NP", "Nepal"), ("P7", "NL", "Netherlands"),
    ("P8", "AN", "Netherlands Antilles"), ("1W", "NC", "New Caledonia"), ("Q2", "NZ", "New Zealand"),
    ("Q3", "NI", "Nicaragua"), ("Q4", "NE", "Niger"), ("Q5", "NG", "Nigeria"), ("Q6", "NU", "Niue"),
    ("Q7", "NF", "Norfolk Island"), ("1V", "MP", "Northern Mariana Islands"), ("Q8", "NO", "Norway"),
    ("P4", "OM", "Oman"), ("R0", "PK", "Pakistan"), ("1Y", "PW", "Palau"),
    ("1X", "PS", "Palestinian Territory, Occupied"), ("R1", "PA", "Panama"), ("R2", "PG", "Papua New Guinea"),
    ("R4", "PY", "Paraguay"), ("R5", "PE", "Peru"), ("R6", "PH", "Philippines"), ("R8", "PN", "Pitcairn"),
    ("R9", "PL", "Poland"), ("S1", "PT", "Portugal"), ("S3", "QA", "Qatar"), ("S4", "RE", "Reunion"),
    ("S5", "RO", "Romania"), ("1Z", "RU", "Russian Federation"), ("S6", "RW", "Rwanda"),
    ("Z0", "BL", "Saint Barthelemy"), ("U8", "SH", "Saint Helena"), ("U7", "KN", "Saint Kitts and Nevis"),
    ("U9", "LC", "Saint Lucia"), ("Z1", "MF", "Saint Martin"), ("V0", "PM", "Saint Pierre and Miquelon"),
    ("V1", "VC", "Saint Vincent and the Grenadines"), ("Y0", "WS", "Samoa"), ("S8", "SM", "San Marino"),
    ("S9", "ST", "Sao Tome and Principe"), ("T0", "SA", "Saudi Arabia"), ("T1", "SN", "Senegal"),
    ("Z2", "RS", "Serbia"), ("T2", "SC", "Seychelles"), ("T8", "SL", "Sierra Leone"), ("U0", "SG", "Singapore"),
    ("2B", "SK", "Slovakia"), ("2A", "SI", "Slovenia"), ("D7", "SB", "Solomon Islands"), ("U1", "SO", "Somalia"),
    ("T3", "ZA", "South Africa"), ("1L", "GS", "South Georgia and the South Sandwich Islands"), ("U3", "ES", "Spain"),
    ("F1", "LK", "Sri Lanka"), ("V2", "SD", "Sudan"), ("V3", "SR", "Suriname"), ("L9", "SJ", "Svalbard and Jan Mayen"),
    ("V6", "SZ", "Swaziland"), ("V7", "SE", "Sweden"), ("V8", "CH", "Switzerland"), ("V9", "SY", "Syrian Arab Republic"),
    ("F5", "TW", "Taiwan"), ("2D", "TJ", "Tajikistan"), ("W0", "TZ", "Tanzania, United Republic of"),
    ("W1", "TH", "Thailand"), ("Z3", "TL", "Timor-Leste"), ("W2", "TG", "Togo"), ("W3", "TK", "Tokelau"),
    ("W4", "TO", "Tonga"), ("W5", "TT", "Trinidad and Tobago"), ("W6", "TN", "Tunisia"), ("W8", "TR", "Turkey"),
    ("2E", "TM", "Turkmenistan"), ("W7", "TC", "Turks and Caicos Islands"), ("2G", "TV", "Tuvalu"),
    ("W9", "UG", "Uganda"), ("2H", "UA", "Ukraine"), ("C0", "AE", "United Arab Emirates"),
    ("X0", "GB", "United Kingdom"), ("X1", "US", "United States"),
    ("2J", "UM", "United States Minor Outlying Islands"), ("X3", "UY", "Uruguay"), ("2K", "UZ", "Uzbekistan"),
    ("2L", "VU", "Vanuatu"), ("X5", "VE", "Venezuela"), ("Q1", "VN", "Viet Nam"), ("D8", "VG", "Virgin Islands, British"),
    ("X8", "WF", "Wallis and Futuna"), ("U5", "EH", "Western Sahara"), ("T7", "YE", "Yemen"), ("Y4", "ZM", "Zambia"),
    ("Y5", "ZW", "Zimbabwe"), ("XX", "", "Unknown"),
)

CODES: dict[str, str] = {**US_STATES, **CANADIAN_PROVINCES, **{code: name for code, _, name in COUNTRIES}}

# Spellings filers print that neither the SEC's names nor pycountry's give (normalized: lower case,
# letters and digits only, single spaces).
_ALIASES: dict[str, str] = {
    # the United States
    "usa": "X1", "u s a": "X1", "us": "X1", "u s": "X1", "united states of america": "X1", "america": "X1",
    "american": "X1", "united states citizen": "X1", "u s citizen": "X1", "us citizen": "X1",
    "united states person": "X1", "the united states": "X1", "us of america": "X1", "u s of america": "X1",
    # the United Kingdom and its parts
    "uk": "X0", "u k": "X0", "great britain": "X0", "britain": "X0", "british": "X0", "england": "X0",
    "england and wales": "X0", "wales": "X0", "scotland": "X0", "northern ireland": "X0", "english": "X0",
    "scottish": "X0",
    # places printed another way
    "bvi": "D8", "b v i": "D8", "british virgin islands": "D8", "virgin islands british": "D8",
    "cayman": "E9", "grand cayman": "E9", "cayman islands british west indies": "E9",
    "prc": "F4", "p r c": "F4", "people s republic of china": "F4", "peoples republic of china": "F4",
    "mainland china": "F4", "hong kong sar": "K3", "hong kong special administrative region": "K3", "hksar": "K3",
    "the netherlands": "P7", "holland": "P7", "korea": "M5", "south korea": "M5", "republic of korea": "M5",
    "north korea": "M4", "russia": "1Z", "vietnam": "Q1", "taiwan republic of china": "F5", "republic of china": "F5",
    "czechia": "2N", "macao": "N5", "ivory coast": "L7", "swaziland": "V6", "eswatini": "V6",
    "canada": "Z4", "canadian": "Z4", "newfoundland and labrador": "A4", "yukon territory": "B0",
    "washington d c": "DC", "washington dc": "DC", "d c": "DC", "commonwealth of puerto rico": "PR",
    "us virgin islands": "VI", "u s virgin islands": "VI", "united states virgin islands": "VI",
    "curacao": "P8", "sint maarten": "P8", "bonaire": "P8",
    "marshall islands": "1T", "republic of the marshall islands": "1T", "republic of marshall islands": "1T",
    "isle of man": "Y8", "isle of jersey": "Y9", "bailiwick of jersey": "Y9", "bailiwick of guernsey": "Y7",
    "channel islands": "Y7", "st kitts and nevis": "U7", "st lucia": "U9", "st vincent and the grenadines": "V1",
    "bahamas": "C5", "the bahamas": "C5", "commonwealth of the bahamas": "C5", "gambia": "I6",
    "federal republic of germany": "2M", "west germany": "2M", "lao": "M7", "laos": "M7", "syria": "V9",
    "iran": "K9", "libya": "N1", "moldova": "1S", "tanzania": "W0", "macedonia": "1U", "north macedonia": "1U",
    "micronesia": "1K", "bolivia": "D3", "venezuela": "X5", "brunei": "D9", "cape verde": "E8", "cabo verde": "E8",
    "turkiye": "W8", "burma": "E1", "palestine": "1X", "vatican": "X4", "vatican city": "X4",
    "democratic republic of the congo": "Y3", "republic of the congo": "G0", "zaire": "Y3",
    # nationality adjectives ("a British citizen", "Israeli")
    "israeli": "L3", "swiss": "V8", "german": "2M", "french": "I0", "japanese": "M0", "chinese": "F4", "indian": "K7",
    "italian": "L6", "mexican": "O5", "brazilian": "D5", "australian": "C3", "irish": "L2", "dutch": "P7",
    "spanish": "U3", "greek": "J3", "swedish": "V7", "norwegian": "Q8", "danish": "G7", "finnish": "H9",
    "belgian": "C9", "austrian": "C4", "singaporean": "U0", "singapore citizen": "U0", "korean": "M5",
    "south korean": "M5", "russian": "1Z", "argentine": "C1", "argentinian": "C1", "argentinean": "C1",
    "chilean": "F3", "colombian": "F8", "venezuelan": "X5", "south african": "T3", "new zealander": "Q2",
    "luxembourgish": "N4", "taiwanese": "F5", "turkish": "W8", "egyptian": "H2", "saudi": "T0",
    "saudi arabian": "T0", "emirati": "C0", "lebanese": "M8", "jordanian": "M2", "kuwaiti": "M6", "qatari": "S3",
    "bahraini": "C6", "filipino": "R6", "philippine": "R6", "thai": "W1", "malaysian": "N8", "indonesian": "K8",
    "vietnamese": "Q1", "pakistani": "R0", "polish": "R9", "czech": "2N", "hungarian": "K5", "portuguese": "S1",
    "cypriot": "G4", "maltese": "O1", "icelandic": "K6", "panamanian": "R1", "bahamian": "C5", "bermudian": "D0",
    "peruvian": "R5", "uruguayan": "X3", "ukrainian": "2H", "romanian": "S5", "bulgarian": "E0", "croatian": "1M",
    "serbian": "Z2", "slovak": "2B", "slovenian": "2A", "estonian": "1H", "latvian": "1R", "lithuanian": "1Q",
    "kazakh": "1P", "nigerian": "Q5", "kenyan": "M3", "ghanaian": "J0", "moroccan": "P2", "iranian": "K9",
    "iraqi": "L0", "costa rican": "G2", "ecuadorian": "H1", "guatemalan": "J8", "jamaican": "L8",
    "dominican": "G8", "monegasque": "O9", "liechtensteiner": "N2", "hong konger": "K3", "macanese": "N5",
    "sri lankan": "F1", "bangladeshi": "C7", "nepalese": "P6", "mongolian": "P0", "cambodian": "E3",
    "barbadian": "C8", "trinidadian": "W5", "gibraltarian": "J1", "mauritian": "O4", "scots": "X0",
}

# Words around a place that do not change it ("a Delaware limited partnership", "State of New York",
# "citizen of the United Kingdom", "organized under the laws of the Cayman Islands").
_FILLER = re.compile(
    r"\b(?:a|an|the|state|commonwealth|province|kingdom|republic|territory|federal\s+level|of|in|under|laws?|and"
    r"|organized|organised|incorporated|formed|existing|registered|domiciled|chartered|established|resident|citizen"
    r"|citizens|citizenship|national|nationality|by\s+birth|naturalized|corporation|corp|company|co|inc|limited"
    r"|ltd|partnership|partnerships|lp|llc|l\s+l\s+c|l\s+p|liability|general|exempted|exempt|business|trust"
    r"|statutory|common|law|banking|association|bank|national\s+association|entity|sociedad|anonima|societe"
    r"|gmbh|ag|plc|sa|nv|bv|llp|lllp|individual|person|persons|sole|proprietorship|jointly|each|both|is|are)\b"
)
_NON_WORD = re.compile(r"[^a-z0-9]+")


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower().replace("'", "").replace("\u2019", "")
    return " ".join(_NON_WORD.sub(" ", text).split())


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, str], re.Pattern[str]]:
    """Every known spelling (normalized) -> EDGAR code, and one regex that finds the longest of them."""
    names: dict[str, str] = {}

    def put(spelling: str, code: str, overwrite: bool = False) -> None:
        key = _norm(spelling)
        if key and (overwrite or key not in names):
            names[key] = code

    # pycountry first, then the SEC's own names and the aliases, which win where they differ.
    by_iso = {iso: code for code, iso, _ in COUNTRIES if iso}
    try:
        import pycountry

        for country in pycountry.countries:
            code = by_iso.get(country.alpha_2)
            if code is None:
                continue
            for attr in ("name", "official_name", "common_name"):
                value = getattr(country, attr, None)
                if value:
                    put(value, code)
    except ImportError:  # pragma: no cover - pycountry is a dependency; the SEC names still work without it
        pass
    for code, _, name in COUNTRIES:
        if code != "XX":
            put(name, code, overwrite=True)
            put(re.sub(r"\s*\(.*\)", "", name), code, overwrite=True)
            if "," in name:  # "Korea, Republic of" -> "Republic of Korea"
                head, tail = (p.strip() for p in name.split(",", 1))
                put(f"{tail} {head}", code, overwrite=True)
    for code, name in CANADIAN_PROVINCES.items():
        put(name, code, overwrite=True)
    # U.S. states last: "Georgia" is the state far more often than the country on a 13D.
    for code, name in US_STATES.items():
        put(name, code, overwrite=True)
    put("Virgin Islands", "VI", overwrite=True)
    for spelling, code in _ALIASES.items():
        put(spelling, code, overwrite=True)
    keys = sorted(names, key=len, reverse=True)
    finder = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in keys) + r")\b")
    return names, finder


@lru_cache(maxsize=8192)
def place_code(text: str | None) -> str | None:
    """The EDGAR state/country code of a place as printed, or None when none is recognized.

    ``"Delaware"`` -> ``DE``; ``"a Cayman Islands exempted company"`` -> ``E9``; ``"U.S.A."`` -> ``X1``;
    ``"E9"`` (the XML era's code itself) -> ``E9``. Where two places are printed ("Delaware and New
    York"), the first is taken.
    """
    if not text:
        return None
    raw = text.strip()
    if len(raw) == 2 and raw.isupper() and raw in CODES and raw != "XX":
        return raw
    names, finder = _index()
    key = _norm(raw)
    if not key:
        return None
    hit = names.get(key)
    if hit is not None:
        return hit
    bare = " ".join(_FILLER.sub(" ", key).split())
    hit = names.get(bare)
    if hit is not None:
        return hit
    m = finder.search(key)
    # Every other word must be a place or a word around one: "Delaware 7" or "Delaware NUMBER OF
    # SHARES" is a misread row, not a place, and gets no code.
    rest = " ".join(_FILLER.sub(" ", finder.sub(" ", key)).split()) if m is not None else bare
    if m is not None and not any(len(word) > 1 or word.isdigit() for word in rest.split()):
        return names[m.group(0)]
    # A misspelt name ("Bristish Virgin Islands", "Deleware"): the one spelling that is nearly the same.
    if bare and not any(ch.isdigit() for ch in bare):
        near = difflib.get_close_matches(bare, _long_names(), n=1, cutoff=0.85)
        if near:
            return names[near[0]]
    return None


@lru_cache(maxsize=1)
def _long_names() -> list[str]:
    return [k for k in _index()[0] if len(k) > 5]


def is_code(value: str | None) -> bool:
    """True for an EDGAR state/country code ("DE", "E9", "X1")."""
    return bool(value) and value in CODES  # type: ignore[operator]
