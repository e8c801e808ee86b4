"""Unit 5: Publish, the team's exchange portfolio (English and Spanish)."""

from __future__ import annotations

from nbbuild import Mistake, Unit, answer, checks, code, md, readonly, reflection

from units.common import comments, joint_conclusion, team_imports, team_members

LANG = "es"

RESOURCES_EN = (
    "## Resources\n\n"
    "- Every fact in the portfolio keeps the source given in the unit it comes from (CDIAC, "
    "Gapminder, UN World Population Prospects 2024, IANA time zones, your own measurements).\n"
    "- How to credit data: name the data set, who produced it and the year, as in the "
    "Resources section of each unit.\n"
    "- Children's right to privacy: UN Convention on the Rights of the Child (1989), "
    "article 16, https://www.ohchr.org/en/instruments-mechanisms/instruments/"
    "convention-rights-child\n"
    "- SDG 17, Partnerships for the goals: https://sdgs.un.org/goals/goal17"
)
RESOURCES_ES = (
    "## Recursos\n\n"
    "- Cada dato del portafolio conserva la fuente indicada en la unidad de la que viene "
    "(CDIAC, Gapminder, UN World Population Prospects 2024, zonas horarias de la IANA, sus "
    "propias mediciones).\n"
    "- Cómo citar datos: nombren el conjunto de datos, quién lo produjo y el año, como en la "
    "sección Recursos de cada unidad.\n"
    "- Derecho de niños y niñas a la privacidad: Convención sobre los Derechos del Niño de la "
    "ONU (1989), artículo 16, https://www.ohchr.org/es/instruments-mechanisms/instruments/"
    "convention-rights-child\n"
    "- ODS 17, Alianzas para lograr los objetivos: https://sdgs.un.org/es/goals/goal17"
)


def credit_mistake(guide: str, returned: str) -> Mistake:
    """A typical mistake of ``credit_line``: the function returning ``returned``."""
    return Mistake(guide, f"\ndef credit_line(cls, locale):\n    return {returned}\n")


TEAM = [
    md(
        "# Publish our exchange portfolio\n\n"
        "A team notebook: you and your partners edit it together, live.",
        "# Publiquemos nuestro portafolio del intercambio\n\n"
        "Un notebook de equipo: ustedes y sus compañeros lo editan juntos, en vivo.",
    ),
    md(
        "## Overview\n\n"
        "Your team turns its work into a **portfolio**: a small website with your joint "
        "findings, your maps and your reflections, for a public showcase (parents, the school, "
        "the partner town). The portfolio is built from the notebooks in your team folder.\n\n"
        "1. Choose your best findings, each with its source.\n"
        "2. Check the portfolio is safe to publish.\n"
        "3. Write the introduction and the final word together, then build the site.",
        "## Panorama\n\n"
        "Su equipo convierte su trabajo en un **portafolio**: un pequeño sitio web con sus "
        "conclusiones comunes, sus mapas y sus reflexiones, para una muestra pública (familias, "
        "la escuela, la ciudad compañera). El portafolio se construye con los notebooks de la "
        "carpeta de su equipo.\n\n"
        "1. Elijan sus mejores hallazgos, cada uno con su fuente.\n"
        "2. Comprueben que el portafolio se puede publicar sin riesgo.\n"
        "3. Escriban juntos la introducción y la palabra final, y luego construyan el sitio.",
    ),
    md(
        "## Prerequisites\n\n"
        "- The earlier units: their team notebooks are the pages of your portfolio.\n"
        "- Agreement from your teachers on where the portfolio will be shown.\n"
        "- Time needed: about 2 hours, plus the showcase.",
        "## Requisitos previos\n\n"
        "- Las unidades anteriores: sus notebooks de equipo son las páginas del portafolio.\n"
        "- El acuerdo de sus profesores sobre dónde se mostrará el portafolio.\n"
        "- Duración: unas 2 horas, más la muestra.",
    ),
    md("## Imports\n\nRun this cell first.", "## Importaciones\n\nEjecuten primero esta celda."),
    code(team_imports("from vxkit.widgets import ExchangeMap", pandas=True)),
    md("## Who is in our team?", "## ¿Quiénes somos en el equipo?"),
    team_members(),
    md(
        "## Our notebooks\n\nThese notebooks of your team folder become the portfolio's pages.",
        "## Nuestros notebooks\n\n"
        "Estos notebooks de la carpeta del equipo serán las páginas del portafolio.",
    ),
    code('pd.DataFrame({"notebook": [p.name for p in sorted(Path.cwd().glob("*.ipynb"))]})'),
    md(
        "## Our best findings\n\n"
        "Edit the list below: one finding per unit, in one sentence, with its source. Each "
        "class checks the findings about its own country.",
        "## Nuestros mejores hallazgos\n\n"
        "Editen la lista de abajo: un hallazgo por unidad, en una frase, con su fuente. Cada "
        "clase revisa los hallazgos sobre su propio país.",
    ),
    code(
        """
findings = pd.DataFrame(
    [
        {"unit": "meet_partners", "finding": "...", "source": "IANA time zone database"},
        {"unit": "climate_co2", "finding": "...", "source": "CDIAC via vxkit.data"},
        {"unit": "health_wealth", "finding": "...", "source": "Gapminder via vxkit.data"},
        {"unit": "population_futures", "finding": "...", "source": "UN WPP 2024"},
        {"unit": "local_data", "finding": "...", "source": "our measurements"},
    ]
)
findings
"""
    ),
    md(
        "## Our exchange on the map",
        "## Nuestro intercambio en el mapa",
    ),
    code("ExchangeMap(exchange, locale=LOCALE)"),
    md(
        "## Safe to publish?\n\n"
        "Tick each box together (replace `[ ]` with `[x]`):\n\n"
        "- [ ] First names only; no surnames, addresses, phone numbers or user names.\n"
        "- [ ] No photo of a face without the person's and the school's permission.\n"
        "- [ ] Every number has its source and its year.\n"
        "- [ ] Each class has read what the portfolio says about its country, and agrees.\n"
        "- [ ] Nothing in it would hurt or embarrass a partner if their family read it.",
        "## ¿Se puede publicar sin riesgo?\n\n"
        "Marquen cada casilla juntos (cambien `[ ]` por `[x]`):\n\n"
        "- [ ] Solo nombres de pila; ni apellidos, ni direcciones, ni teléfonos, ni nombres de "
        "usuario.\n"
        "- [ ] Ninguna foto de una cara sin el permiso de la persona y de la escuela.\n"
        "- [ ] Cada número tiene su fuente y su año.\n"
        "- [ ] Cada clase leyó lo que el portafolio dice de su país, y está de acuerdo.\n"
        "- [ ] Nada de lo que contiene heriría o avergonzaría a un compañero si su familia lo "
        "leyera.",
    ),
    md(
        "## What each class wants the visitors to know\n\n"
        "Each class writes two or three sentences for the visitors of the showcase, about its "
        "own town and what it gained from the exchange.\n\n"
        "### Class A\n\n*Write here.*\n\n"
        "### Class B\n\n*Write here.*\n\n"
        "### Class C (if your team has a third class)\n\n*Write here.*",
        "## Lo que cada clase quiere que sepan los visitantes\n\n"
        "Cada clase escribe dos o tres frases para los visitantes de la muestra, sobre su propia "
        "ciudad y lo que ganó con el intercambio.\n\n"
        "### Clase A\n\n*Escriban aquí.*\n\n"
        "### Clase B\n\n*Escriban aquí.*\n\n"
        "### Clase C (si su equipo tiene una tercera clase)\n\n*Escriban aquí.*",
    ),
    *joint_conclusion(
        "The final word of the portfolio: what did we learn together that none of our classes "
        "could have learned alone?",
        "La palabra final del portafolio: ¿qué aprendimos juntos que ninguna de nuestras clases "
        "habría podido aprender sola?",
        LANG,
    ),
    md(
        "## Build the portfolio\n\n"
        "When the checklist is complete, your teacher builds the site with "
        "`vxkit portfolio <team id>`. The site works offline and shows only first names of "
        "your team.",
        "## Construir el portafolio\n\n"
        "Cuando la lista esté completa, su profesor o profesora construye el sitio con "
        "`vxkit portfolio <id del equipo>`. El sitio funciona sin conexión y muestra solo los "
        "nombres de pila de su equipo.",
    ),
    md(
        "## Summary\n\n"
        "Your portfolio shows what a mixed team found out together, with sources and with "
        "care for everyone in it. Thank your partners!",
        "## Resumen\n\n"
        "Su portafolio muestra lo que un equipo mixto descubrió junto, con fuentes y con "
        "cuidado por todas las personas que aparecen en él. ¡Denles las gracias a sus "
        "compañeros!",
    ),
    md(RESOURCES_EN, RESOURCES_ES),
]

INDIVIDUAL = [
    md(
        "# Publish: getting the portfolio ready (individual work)\n\n"
        "This notebook is yours alone. The code exercises are checked automatically; your "
        "teacher reads the two reflections.",
        "# Publicar: preparar el portafolio (trabajo individual)\n\n"
        "Este notebook es solo tuyo. Los ejercicios de código se corrigen automáticamente; tu "
        "profesor o profesora lee las dos reflexiones.",
    ),
    md(
        "## Overview\n\n"
        "Before publishing, editors check lengths, credits and sources. You will write five "
        "small tools for that, the last one crediting your partner class's school, then "
        "reflect on the whole exchange.\n\n"
        "Points: 5 code exercises (10 points) and 2 reflections (6 points).",
        "## Panorama\n\n"
        "Antes de publicar, los editores revisan las extensiones, los créditos y las fuentes. "
        "Vas a escribir cinco pequeñas herramientas para eso, la última para los créditos de "
        "la escuela de tu clase compañera, y luego reflexionarás sobre todo el intercambio.\n\n"
        "Puntos: 5 ejercicios de código (10 puntos) y 2 reflexiones (6 puntos).",
    ),
    md(
        "## Prerequisites\n\n"
        '- Python text (`str`): `.split()`, `.strip()`, `len()`, `", ".join(...)`.\n'
        "- pandas filtering.\n"
        "- Replace `raise NotImplementedError()` with your code and run the test cell below it.",
        "## Requisitos previos\n\n"
        '- Textos en Python (`str`): `.split()`, `.strip()`, `len()`, `", ".join(...)`.\n'
        "- Filtros de pandas.\n"
        "- Reemplaza `raise NotImplementedError()` por tu código y ejecuta la celda de prueba "
        "que está debajo.",
    ),
    md(
        "## Imports\n\n`findings` is an example list of findings, as a team might collect them. "
        "`MINE` is your class and `PARTNER` your partner class, read from your exchange "
        "(`exchange.toml`).",
        "## Importaciones\n\n"
        "`findings` es una lista de ejemplo de hallazgos, como la que podría reunir un equipo. "
        "`MINE` es tu clase y `PARTNER` tu clase compañera, leídas de tu intercambio "
        "(`exchange.toml`).",
    ),
    code(
        """
import numbers
import re

import pandas as pd

from vxkit.views import notebook_classes

# Your class and your partner class, from your exchange
MINE, partners = notebook_classes()
PARTNER = partners[0] if partners else MINE
print(PARTNER.school, PARTNER.city, PARTNER.country)

findings = pd.DataFrame(
    {
        "finding": [
            "Valparaíso is 4 hours behind Lyon in January and 6 hours behind in July.",
            "In 2010 a person in the USA emitted about 57 times more CO2 than a person in Kenya.",
            "Life expectancy rose in almost every country from 1967 to 2007.",
            "The UN project the world population to peak in the mid-2080s.",
            "Our coldest noon was 1.5 degrees.",
        ],
        "source": [
            "IANA time zone database",
            "CDIAC via vxkit.data",
            "",
            "UN World Population Prospects 2024",
            None,
        ],
    }
)
findings
"""
    ),
    md(
        "## 1. Counting words\n\n"
        "Write `word_count(text)`: the number of words in `text` (words are separated by "
        "spaces or line breaks), as a whole number (any integer type).",
        "## 1. Contar palabras\n\n"
        "Escribe `word_count(text)`: el número de palabras de `text` (las palabras están "
        "separadas por espacios o saltos de línea), como número entero (de cualquier tipo "
        "entero).",
    ),
    answer(
        "word_count",
        '''
def word_count(text):
    """The number of words in text."""
    ### BEGIN SOLUTION
    return len(text.split())
    ### END SOLUTION
''',
        returns="integer",
        accept=[
            """
def word_count(text):
    import re

    return len(re.findall(r"\\S+", text))
""",
            """
def word_count(text):
    return sum(1 for word in text.replace("\\n", " ").split(" ") if word)
""",
        ],
        mistakes=[
            Mistake(
                "counting characters instead of words",
                """
def word_count(text):
    return len(text)
""",
            ),
            Mistake(
                "splitting on single spaces, so double spaces and line breaks count wrong",
                """
def word_count(text):
    return len(text.split(" "))
""",
            ),
        ],
    ),
    *checks(
        "word_count",
        """
assert isinstance(word_count("We met our partners today"), numbers.Integral), "word_count should return a whole number"
""",
        """
five = word_count("We met our partners today")
### BEGIN HIDDEN TESTS
assert word_count("We met our partners today") == 5, "five words"
assert word_count("") == 0, "an empty text has no words"
assert word_count("  uno   dos\\ntres ") == 3, "several spaces and line breaks separate words too"
assert word_count("Jambo!") == 1, "one word"
### END HIDDEN TESTS
""",
    ),
    md(
        "## 2. Short captions\n\n"
        "Write `caption_ok(text, limit)`: `True` if the caption has some text (not only spaces) "
        "and at most `limit` characters once the spaces at both ends are removed, else `False`.",
        "## 2. Pies de foto cortos\n\n"
        "Escribe `caption_ok(text, limit)`: `True` si el pie de foto tiene algo de texto (no "
        "solo espacios) y como máximo `limit` caracteres, sin contar los espacios de los "
        "extremos; si no, `False`.",
    ),
    answer(
        "caption_ok",
        '''
def caption_ok(text, limit):
    """Whether text is a non-empty caption of at most `limit` characters."""
    ### BEGIN SOLUTION
    text = text.strip()
    return 0 < len(text) <= limit
    ### END SOLUTION
''',
        returns="bool",
        accept=[
            """
def caption_ok(text, limit):
    stripped = text.strip()
    return bool(stripped) and len(stripped) <= limit
""",
            """
def caption_ok(text, limit):
    if text.strip() == "":
        return False
    return len(text.strip()) < limit + 1
""",
        ],
        mistakes=[
            Mistake(
                "not stripping the spaces before measuring the caption",
                """
def caption_ok(text, limit):
    return 0 < len(text) <= limit
""",
            ),
            Mistake(
                "`< limit` instead of `<= limit` (a caption of exactly `limit` characters refused)",
                """
def caption_ok(text, limit):
    text = text.strip()
    return 0 < len(text) < limit
""",
            ),
        ],
    ),
    *checks(
        "caption_ok",
        """
answer = caption_ok("Our schools on one map", 80)
assert isinstance(answer, bool), "caption_ok should return True or False"
""",
        """
ok = caption_ok("Our schools on one map", 80)
### BEGIN HIDDEN TESTS
assert caption_ok("Our schools on one map", 80) is True, "a short caption is fine"
assert caption_ok("   ", 80) is False, "a caption of spaces is empty"
assert caption_ok("x" * 80, 80) is True, "exactly limit characters is fine"
assert caption_ok("x" * 81, 80) is False, "one character too many"
assert caption_ok("  abc  ", 3) is True, "spaces at both ends do not count"
assert caption_ok("", 10) is False, "an empty caption is not fine"
### END HIDDEN TESTS
""",
    ),
    md(
        "## 3. Credits\n\n"
        "Write `credits(members)`: `members` maps each class id to a list of first names. "
        'Return one line like `"Chloé, Hugo (lyon_4b); Amani (nairobi_7)"`: the names of a '
        'class joined by `", "`, the class id in brackets, the classes joined by `"; "`, in '
        "the order given.",
        "## 3. Créditos\n\n"
        "Escribe `credits(members)`: `members` asocia a cada id de clase una lista de nombres "
        'de pila. Devuelve una línea como `"Chloé, Hugo (lyon_4b); Amani (nairobi_7)"`: los '
        'nombres de una clase unidos con `", "`, el id de la clase entre paréntesis, las '
        'clases unidas con `"; "`, en el orden dado.',
    ),
    answer(
        "credits",
        '''
def credits(members):
    """One credit line: first names of each class, then the class id in brackets."""
    ### BEGIN SOLUTION
    parts = [f"{', '.join(names)} ({class_id})" for class_id, names in members.items()]
    return "; ".join(parts)
    ### END SOLUTION
''',
        returns="text",
        accept=[
            """
def credits(members):
    line = ""
    for class_id, names in members.items():
        if line:
            line += "; "
        line += ", ".join(names) + " (" + class_id + ")"
    return line
""",
            """
def credits(members):
    return "; ".join("{} ({})".format(", ".join(n), c) for c, n in members.items())
""",
        ],
        mistakes=[
            Mistake(
                'a trailing separator (`"; "` at the end)',
                """
def credits(members):
    return "".join(f"{', '.join(names)} ({c}); " for c, names in members.items())
""",
            ),
            Mistake(
                "sorting the classes instead of keeping the order given",
                """
def credits(members):
    return "; ".join(f"{', '.join(members[c])} ({c})" for c in sorted(members))
""",
            ),
        ],
    ),
    *checks(
        "credits",
        """
line = credits({"lyon_4b": ["Chloé", "Hugo"], "nairobi_7": ["Amani"]})
assert isinstance(line, str), "credits should return text"
assert line == "Chloé, Hugo (lyon_4b); Amani (nairobi_7)", "follow the example exactly"
""",
        """
line = credits({"lyon_4b": ["Chloé", "Hugo"], "nairobi_7": ["Amani"]})
### BEGIN HIDDEN TESTS
assert credits({}) == "", "no classes, no credits"
assert credits({"valparaiso_1m": ["Josefa"]}) == "Josefa (valparaiso_1m)", "one class has no separator"
three = {"c": ["Imani", "Baraka"], "a": ["Matías"], "b": ["Inès", "Yanis", "Manon"]}
assert credits(three) == "Imani, Baraka (c); Matías (a); Inès, Yanis, Manon (b)", "keep the classes in the order given"
### END HIDDEN TESTS
""",
    ),
    md(
        "## 4. Every fact needs a source\n\n"
        "Write `missing_sources(df)`: the list of findings (the text of the `finding` column) "
        "whose `source` is missing or empty (only spaces), in table order.\n\n"
        'Hint: `df["source"].fillna("").str.strip() == ""`.',
        "## 4. Cada dato necesita una fuente\n\n"
        "Escribe `missing_sources(df)`: la lista de hallazgos (el texto de la columna "
        "`finding`) cuya `source` falta o está vacía (solo espacios), en el orden de la "
        "tabla.\n\n"
        'Pista: `df["source"].fillna("").str.strip() == ""`.',
    ),
    answer(
        "missing_sources",
        '''
def missing_sources(df):
    """The findings with no source, in table order."""
    ### BEGIN SOLUTION
    empty = df["source"].fillna("").str.strip() == ""
    return df[empty]["finding"].tolist()
    ### END SOLUTION
''',
        returns="list",
        accept=[
            """
def missing_sources(df):
    return [
        row.finding
        for row in df.itertuples()
        if not isinstance(row.source, str) or not row.source.strip()
    ]
""",
            """
def missing_sources(df):
    empty = df["source"].isna() | (df["source"].astype(str).str.strip() == "")
    return list(df.loc[empty, "finding"])
""",
        ],
        mistakes=[
            Mistake(
                "finding empty strings but not missing values (None or NaN)",
                """
def missing_sources(df):
    return df[df["source"].str.strip() == ""]["finding"].tolist()
""",
            ),
            Mistake(
                "finding missing values but not empty strings",
                """
def missing_sources(df):
    return df[df["source"].isna()]["finding"].tolist()
""",
            ),
        ],
    ),
    *checks(
        "missing_sources",
        """
missing = missing_sources(findings)
assert isinstance(missing, list), "missing_sources should return a list"
assert all(isinstance(text, str) for text in missing), "the list holds the text of the findings"
""",
        """
missing = missing_sources(findings)
### BEGIN HIDDEN TESTS
assert missing == [findings["finding"][2], findings["finding"][4]], "an empty source and a missing one (None) are both missing"
sourced = pd.DataFrame({"finding": ["a", "b", "c"], "source": ["x", "  ", None]})
assert missing_sources(sourced) == ["b", "c"], "a source of spaces is empty too"
### END HIDDEN TESTS
""",
    ),
    md(
        "## 5. Credit your partners' school\n\n"
        "Every page of the portfolio credits the partner class's school. Write "
        "`credit_line(cls, locale)`: for a class `cls` of your exchange (such as `PARTNER`), "
        'the line `"school, city (country)"`, with the name of the country in the language '
        '`locale` (`"en"`, `"fr"` or `"es"`). For the Lyon class of the demo exchange in '
        'Spanish: `"Collège Jean Moulin, Lyon (Francia)"`.\n\n'
        "`cls.school` and `cls.city` are texts; `cls.country` is the country's ISO code "
        '(`"FR"`). Hint: `cls.country_name(locale)` gives the name of the country in the '
        "language `locale`.",
        "## 5. Los créditos de la escuela de tus compañeros\n\n"
        "Cada página del portafolio nombra en sus créditos a la escuela de la clase compañera. "
        "Escribe "
        "`credit_line(cls, locale)`: para una clase `cls` de tu intercambio (como `PARTNER`), "
        'la línea `"escuela, ciudad (país)"`, con el nombre del país en el idioma `locale` '
        '(`"en"`, `"fr"` o `"es"`). Para la clase de Lyon del intercambio de demostración, en '
        'español: `"Collège Jean Moulin, Lyon (Francia)"`.\n\n'
        "`cls.school` y `cls.city` son textos; `cls.country` es el código ISO del país "
        '(`"FR"`). Pista: `cls.country_name(locale)` da el nombre del país en el idioma '
        "`locale`.",
    ),
    answer(
        "credit_line",
        '''
def credit_line(cls, locale):
    """The credit line of a class's school: school, city (country in `locale`)."""
    ### BEGIN SOLUTION
    return f"{cls.school}, {cls.city} ({cls.country_name(locale)})"
    ### END SOLUTION
''',
        returns="text",
        accept=[
            """
def credit_line(cls, locale):
    return "{}, {} ({})".format(cls.school, cls.city, cls.country_name(locale))
""",
            """
from vxkit.exchange import country_name


def credit_line(cls, locale):
    return cls.school + ", " + cls.city + " (" + country_name(cls.country, locale) + ")"
""",
            """
from babel import Locale


def credit_line(cls, locale):
    country = Locale.parse(locale).territories[cls.country]
    return ", ".join([cls.school, cls.city]) + f" ({country})"
""",
        ],
        mistakes=[
            credit_mistake(
                "the country's ISO code instead of its name",
                'f"{cls.school}, {cls.city} ({cls.country})"',
            ),
            credit_mistake(
                "the country's name always in English, whatever the language asked",
                'f"{cls.school}, {cls.city} ({cls.country_name()})"',
            ),
            credit_mistake(
                "always the partner class (`PARTNER`) instead of the class given (`cls`)",
                'f"{PARTNER.school}, {PARTNER.city} ({PARTNER.country_name(locale)})"',
            ),
            credit_mistake(
                "the city before the school",
                'f"{cls.city}, {cls.school} ({cls.country_name(locale)})"',
            ),
        ],
    ),
    *checks(
        "credit_line",
        """
line = credit_line(PARTNER, "en")
assert isinstance(line, str), "credit_line should return text"
assert re.fullmatch(r"[^ ].*, .+ \\([^ ].*[^ ]\\)", line), 'write the line as in the example: "school, city (country)"'
""",
        """
line = credit_line(PARTNER, "en")
### BEGIN HIDDEN TESTS
# The partner class again, from the exchange: not from the notebook's variables.
mine, others = notebook_classes()
polish = {"school": "Szkoła Podstawowa nr 5", "city": "Kraków", "country": "PL"}
krakow = type(mine)(**{**vars(mine), **polish})
for cls in [*others, mine, krakow]:
    for locale in ("en", "fr", "es"):
        expected = f"{cls.school}, {cls.city} ({cls.country_name(locale)})"
        assert credit_line(cls, locale) == expected, "school, city, then the name of the country in the language asked, for every class of the exchange"
assert credit_line(krakow, "fr") == "Szkoła Podstawowa nr 5, Kraków (Pologne)", "a class in Poland, in French: (Pologne)"
### END HIDDEN TESTS
""",
    ),
    md(
        "## Reflections\n\nWrite in English or in Spanish, in full sentences.",
        "## Reflexiones\n\nEscribe en inglés o en español, con frases completas.",
    ),
    readonly(
        "### Reflection 1: what I learned from my partners (3 points)\n\n"
        "Describe one thing you learned from your partners that you could not have learned "
        "from data or books. How did it change what you think?\n\n"
        "**Rubric** (3 points)\n"
        "- 1 point: a concrete moment or message from the exchange (first names only).\n"
        "- 1 point: explains what changed in their thinking.\n"
        "- 1 point: shows respect and curiosity for the partners' point of view.",
        "### Reflexión 1: lo que aprendí de mis compañeros (3 puntos)\n\n"
        "Describe algo que aprendiste de tus compañeros y que no habrías podido aprender de "
        "datos o de libros. ¿Cómo cambió lo que piensas?\n\n"
        "**Rúbrica** (3 puntos)\n"
        "- 1 punto: un momento o un mensaje concreto del intercambio (solo nombres de pila).\n"
        "- 1 punto: explica qué cambió en su manera de pensar.\n"
        "- 1 punto: muestra respeto y curiosidad por el punto de vista de los compañeros.",
        "reflection_learned_question",
    ),
    reflection("reflection_learned", 3, "Write your answer here.", "Escribe tu respuesta aquí."),
    readonly(
        "### Reflection 2: how we worked together (3 points)\n\n"
        "How did your team deal with different languages, time zones and school calendars? "
        "Give one thing that worked, one that did not, and what you would do next time.\n\n"
        "**Rubric** (3 points)\n"
        "- 1 point: one thing that worked, with an example.\n"
        "- 1 point: one difficulty described honestly, without blaming a person.\n"
        "- 1 point: a realistic improvement for a next exchange.",
        "### Reflexión 2: cómo trabajamos juntos (3 puntos)\n\n"
        "¿Cómo manejó tu equipo los distintos idiomas, zonas horarias y calendarios escolares? "
        "Da una cosa que funcionó, una que no, y qué harías la próxima vez.\n\n"
        "**Rúbrica** (3 puntos)\n"
        "- 1 punto: una cosa que funcionó, con un ejemplo.\n"
        "- 1 punto: una dificultad descrita con honestidad, sin culpar a una persona.\n"
        "- 1 punto: una mejora realista para un próximo intercambio.",
        "reflection_teamwork_question",
    ),
    reflection("reflection_teamwork", 3, "Write your answer here.", "Escribe tu respuesta aquí."),
    md(
        "## Summary\n\n"
        "You wrote the small checks an editor makes before publishing: length, credits and "
        "sources. A portfolio people can trust names its sources and protects the people in it.",
        "## Resumen\n\n"
        "Escribiste las pequeñas comprobaciones que hace un editor antes de publicar: "
        "extensión, créditos y fuentes. Un portafolio confiable nombra sus fuentes y protege a "
        "las personas que aparecen en él.",
    ),
    md(RESOURCES_EN, RESOURCES_ES),
]

GUIDE = """
# Teacher guide: Publish our exchange portfolio

**Unit id:** `publish` · **SDG 17** (Partnerships for the goals) and **SDG 4.7** (global
citizenship education) · **Ages** 12-18 · **Time** about 2 hours plus the showcase ·
**Phase:** publish.

## Goals
- The team selects its best findings, each with a source, and writes for a public audience.
- Students check privacy and respect before publishing (first names only, consent for photos).
- Each student reflects on what they learned from their partners and how the team worked.

## Timing across the exchange phases
| phase | when | what |
|---|---|---|
| publish | last week, lesson 1 (own class) | Team notebook: findings table, checklist, each class's message. |
| publish | last week, live session | Final word written together; each class approves what is said about its country. |
| publish | last week, lesson 2 (own class) | Individual notebook, 45 minutes. |
| showcase | after the exchange | The teacher runs `vxkit portfolio <team>` and shows the site (it works offline). |

## Running the live session across time zones
- The final session is often near the end of term: check both school calendars in
  `exchange.toml` (holidays differ between hemispheres).
- Give each class five minutes to read aloud its message to the visitors; then write the final
  word together, one sentence per class.
- If no live slot is left, exchange short recorded or written greetings in the notebook.

## Discussion prompts
- Which finding are we proudest of, and is its source good enough to show in public?
- Is there anything in our portfolio a partner might not want their family to read?
- What will we keep from this exchange?

## How to grade
- Autograded (10 points): `word_count`, `caption_ok`, `credits`, `missing_sources` and
  `credit_line`, 2 points each. `credit_line` credits the partner class's school (school, city,
  country): its hidden test reads every class again from `exchange.toml` and asks for the
  country's name in English, French and Spanish, so a line written for one class only, or with
  the country's code, loses the values point.
- Manually graded (6 points): two reflections, with the rubric above each answer cell.
- The portfolio itself is a team product: assess it, if you do, with the partner teacher, on
  sources, clarity and care for the people in it, not on design.

## What students typically get wrong
- Publishing surnames, user names or faces; check the portfolio page by page before showing it.

## Sources
- SDG 17 and target 4.7: https://sdgs.un.org/goals
- UN Convention on the Rights of the Child (1989), article 16 (privacy):
  https://www.ohchr.org/en/instruments-mechanisms/instruments/convention-rights-child
"""

MESSAGES = {
    "word_count should return a whole number": {"es": "word_count debe devolver un número entero"},
    "five words": {"es": "cinco palabras"},
    "an empty text has no words": {"es": "un texto vacío no tiene palabras"},
    "several spaces and line breaks separate words too": {
        "es": "varios espacios y saltos de línea también separan palabras"
    },
    "one word": {"es": "una palabra"},
    "caption_ok should return True or False": {"es": "caption_ok debe devolver True o False"},
    "a short caption is fine": {"es": "un pie de foto corto está bien"},
    "a caption of spaces is empty": {"es": "un pie de foto de espacios está vacío"},
    "exactly limit characters is fine": {"es": "exactamente limit caracteres está bien"},
    "one character too many": {"es": "un carácter de más"},
    "spaces at both ends do not count": {"es": "los espacios de los extremos no cuentan"},
    "an empty caption is not fine": {"es": "un pie de foto vacío no está bien"},
    "credits should return text": {"es": "credits debe devolver un texto"},
    "follow the example exactly": {"es": "sigue el ejemplo al pie de la letra"},
    "no classes, no credits": {"es": "sin clases no hay créditos"},
    "one class has no separator": {"es": "una sola clase no lleva separador"},
    "keep the classes in the order given": {"es": "mantén las clases en el orden dado"},
    "missing_sources should return a list": {"es": "missing_sources debe devolver una lista"},
    "the list holds the text of the findings": {
        "es": "la lista contiene el texto de los hallazgos"
    },
    "an empty source and a missing one (None) are both missing": {
        "es": "una fuente vacía y una que falta (None) faltan las dos"
    },
    "a source of spaces is empty too": {"es": "una fuente de espacios también está vacía"},
    "Your class and your partner class, from your exchange": {
        "es": "Tu clase y tu clase compañera, según tu intercambio"
    },
    "credit_line should return text": {"es": "credit_line debe devolver un texto"},
    'write the line as in the example: "school, city (country)"': {
        "es": 'escribe la línea como en el ejemplo: "escuela, ciudad (país)"'
    },
    "The partner class again, from the exchange: not from the notebook's variables.": {
        "es": "De nuevo la clase compañera, según el intercambio: no según las variables del "
        "notebook."
    },
    "school, city, then the name of the country in the language asked, for every class of the exchange": {
        "es": "escuela, ciudad y luego el nombre del país en el idioma pedido, para cada clase "
        "del intercambio"
    },
    "a class in Poland, in French: (Pologne)": {
        "es": "una clase en Polonia, en francés: (Pologne)"
    },
}

UNIT = Unit(
    id="publish",
    lang=LANG,
    meta={
        "title": "Publish our exchange portfolio",
        "sdg": 17,
        "ages": "12-18",
        "hours": 2,
        "phase": "publish",
        "skills": ["working with text", "citing sources", "privacy", "writing for the public"],
    },
    team=TEAM,
    individual=INDIVIDUAL,
    guide=GUIDE,
    comments=comments(LANG, MESSAGES),
)
