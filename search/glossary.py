"""A small French–English glossary of the field's words, so that French search words find the
practices, which are written in English.

Each entry is a French term and the English words the practices use for it. A query that holds
one or more French terms is searched as itself *or* as a copy with those terms in English:
``PME export`` becomes ``PME export or sme export``. Both databases read that the same way
(websearch syntax, ``search.text``), so the PostgreSQL and SQLite backends agree, and the French
names of barriers and topics (in the search document) still match the French words themselves.

Matching ignores case, accents (``federation`` finds ``fédération``), the apostrophe's form
(``d'`` / ``d’``), a hyphen in place of a space, and a plural ``s`` or ``x`` at the end of each
word. Keep the list to the field's vocabulary: terms a French-speaking regional officer would type
to find practices, each with the English the seed and the Interreg documents use. Longer terms
win over the shorter terms they contain (``consortium d'exportation`` before ``exportation``).
"""

import re

# French term (singular, lower case; accents as written) -> English search words.
GLOSSARY = {
    "PME": "SME",
    "petite et moyenne entreprise": "SME",
    "entreprise": "business",
    "fonds de roulement": "working capital",
    "consortium d'exportation": "export consortium",
    "groupement d'exportation": "export grouping",
    "groupement d'entreprises": "grouping",
    "exportation": "export",
    "exportateur": "exporter",
    "primo-exportateur": "first-time exporter",
    "marché étranger": "foreign market",
    "marché": "market",
    "obstacle": "barrier",
    "frein": "barrier",
    "compétence": "skills",
    "formation": "training",
    "mentorat": "mentoring",
    "accompagnement": "support",
    "appui": "support",
    "soutien": "support",
    "financement": "finance",
    "microcrédit": "micro-loan",
    "prêt": "loan",
    "subvention": "grant",
    "chèque": "voucher",
    "salon": "trade fair",
    "mission commerciale": "trade mission",
    "investissement étranger": "foreign investment",
    "investisseur": "investor",
    "guichet unique": "one-stop-shop",
    "réseau": "network",
    "grappe d'entreprises": "cluster",
    "pôle de compétitivité": "cluster",
    "propriété intellectuelle": "intellectual property",
    "numérique": "digital",
    "numérisation": "digitalisation",
    "commerce électronique": "e-commerce",
    "vente en ligne": "online sales",
    "chambre de commerce": "chamber of commerce",
    "agence de développement": "development agency",
    "coentreprise": "joint venture",
    "chaîne d'approvisionnement": "supply chain",
    "chaîne de valeur": "value chain",
    "étude de marché": "market research",
    "veille stratégique": "intelligence",
    "dirigeant": "manager",
    "personnel": "staff",
    "recrutement": "recruit",
    "bonne pratique": "good practice",
    "coopération": "cooperation",
    "partenariat": "partnership",
    "image de marque": "branding",
    "charge administrative": "administrative burden",
    "capital-risque": "venture capital",
    "garantie": "guarantee",
    "assurance-crédit": "credit insurance",
    "politique publique": "policy",
}

_LETTER_FORMS = {
    "a": "aàâä",
    "c": "cç",
    "e": "eéèêë",
    "i": "iîï",
    "o": "oôö",
    "u": "uùûü",
    "y": "yÿ",
}
_PLAIN = str.maketrans({form: plain for plain, forms in _LETTER_FORMS.items() for form in forms})


def _word_pattern(word):
    letters = []
    for char in word.lower().translate(_PLAIN):
        if char in _LETTER_FORMS:
            letters.append(f"[{_LETTER_FORMS[char]}]")
        elif char in "'’":
            letters.append(r"['’]\s*")
        elif char == "-":
            letters.append(r"[\s-]+")
        else:
            letters.append(re.escape(char))
    return "".join(letters) + "(?:s|x)?"


def _term_pattern(term):
    return r"[\s-]+".join(_word_pattern(word) for word in term.split())


_TERMS = sorted(GLOSSARY, key=len, reverse=True)
# One alternation, longest terms first, a group per term: the group that matched names the term.
_ENGLISH_BY_GROUP = {index: GLOSSARY[term] for index, term in enumerate(_TERMS, start=1)}
_PATTERN = re.compile(
    r"(?<!\w)(?:" + "|".join(f"({_term_pattern(term)})" for term in _TERMS) + r")(?!\w)",
    re.IGNORECASE,
)


def english_words(query):
    """``query`` with each French glossary term replaced by its English words; the same text
    when it holds none."""
    return _PATTERN.sub(lambda match: _ENGLISH_BY_GROUP[match.lastindex], query)


def bilingual_query(query):
    """The search words to match: ``query``, or ``query or <query in English>`` when it holds a
    French term of the glossary."""
    english = english_words(query)
    if english == query:
        return query
    return f"{query} or {english}"
