"""The unit skeleton teachers copy to write their own unit (written to templates/unit/)."""

from __future__ import annotations

from nbbuild import Mistake, Unit, answer, checks, code, md, precision, readonly, reflection

from units.common import class_findings, comments, joint_conclusion, team_imports, team_members

LANG = "fr"

TEAM = [
    md(
        "# Unit title\n\nA team notebook: partners edit it together, live.",
        "# Titre de l'unité\n\nUn notebook d'équipe : les partenaires le modifient ensemble, en direct.",
    ),
    md(
        "## Overview\n\nWhat the team finds out, and why it matters (one paragraph), then the steps.",
        "## Aperçu\n\nCe que l'équipe découvre, et pourquoi c'est important (un paragraphe), puis "
        "les étapes.",
    ),
    md(
        "## Prerequisites\n\n- Earlier units.\n- Time needed.",
        "## Prérequis\n\n- Unités précédentes.\n- Durée.",
    ),
    md("## Imports\n\nRun this cell first.", "## Imports\n\nExécutez d'abord cette cellule."),
    code(team_imports("from vxkit.widgets import ExchangeMap")),
    md("## Who is in our team?", "## Qui fait partie de notre équipe ?"),
    team_members(),
    md(
        "## Explore the data together\n\nOne indicator from `vxkit.data.list_indicators()`.",
        "## Explorer les données ensemble\n\nUn indicateur de `vxkit.data.list_indicators()`.",
    ),
    code(
        'ExchangeMap(exchange, locale=LOCALE, indicator="life_expectancy", year=2010, years=range(1970, 2011, 10))'
    ),
    *class_findings(
        "The question each class answers about its own country.",
        "La question à laquelle chaque classe répond sur son propre pays.",
        LANG,
    ),
    *joint_conclusion("The question the team answers together.", "La question commune.", LANG),
    md("## Summary\n\nWhat the team learned.", "## Résumé\n\nCe que l'équipe a appris."),
    md(
        "## Resources\n\n- Every data set and fact, with its producer, year and licence.",
        "## Ressources\n\n- Chaque jeu de données et chaque fait, avec son producteur, son année "
        "et sa licence.",
    ),
]

INDIVIDUAL = [
    md("# Unit title (individual work)", "# Titre de l'unité (travail individuel)"),
    md(
        "## Overview\n\nWhat the student practises. Points: 1 code exercise (2 points), "
        "1 reflection (3 points).",
        "## Aperçu\n\nCe que l'élève travaille. Points : 1 exercice de code (2 points), "
        "1 réflexion (3 points).",
    ),
    md(
        "## Prerequisites\n\n- Replace `raise NotImplementedError()` with your code, then run "
        "the test cell below it.",
        "## Prérequis\n\n- Remplacez `raise NotImplementedError()` par votre code, puis exécutez "
        "la cellule de test en dessous.",
    ),
    md("## Imports", "## Imports"),
    code('import numbers\n\nfrom vxkit import data\n\nlife = data.indicator("life_expectancy")'),
    md(
        "## 1. An exercise\n\nWrite `value_in(df, iso3, year)`: the value, as a number (any "
        f"number type) accepted {precision('en', 1)}.",
        "## 1. Un exercice\n\nÉcrivez `value_in(df, iso3, year)` : la valeur, sous forme de "
        f"nombre (de n'importe quel type) acceptée {precision(LANG, 1)}.",
    ),
    answer(
        "value_in",
        '''
def value_in(df, iso3, year):
    """The value of country `iso3` in `year`."""
    ### BEGIN SOLUTION
    row = df[(df["iso3"] == iso3) & (df["year"] == year)]
    return float(row["value"].iloc[0])
    ### END SOLUTION
''',
        returns="number",
        decimals=1,
        accept=[
            """
def value_in(df, iso3, year):
    return round(df.set_index(["iso3", "year"]).loc[(iso3, year), "value"], 1)
""",
        ],
        mistakes=[
            Mistake(
                "returning the one-row Series instead of a number",
                """
def value_in(df, iso3, year):
    return df[(df["iso3"] == iso3) & (df["year"] == year)]["value"]
""",
            ),
        ],
    ),
    *checks(
        "value_in",
        """
# Visible tests check the shape of the answer: its type, index, columns, format
assert isinstance(value_in(life, "FRA", 2010), numbers.Real), "value_in should return a number"
""",
        """
# A visible call, then hidden tests check the values
france = value_in(life, "FRA", 2010)
### BEGIN HIDDEN TESTS
expected = life.loc[(life["iso3"] == "KEN") & (life["year"] == 1990), "value"].iloc[0]
assert abs(value_in(life, "KEN", 1990) - expected) <= 0.05 + 1e-9, "value_in gives a wrong value"
### END HIDDEN TESTS
""",
    ),
    readonly(
        "### Reflection (3 points)\n\nThe question.\n\n**Rubric** (3 points)\n"
        "- 1 point: ...\n- 1 point: ...\n- 1 point: ...",
        "### Réflexion (3 points)\n\nLa question.\n\n**Grille** (3 points)\n"
        "- 1 point : ...\n- 1 point : ...\n- 1 point : ...",
        "reflection_question",
    ),
    reflection("reflection", 3, "Write your answer here.", "Écrivez votre réponse ici."),
    md("## Summary\n\nWhat was practised.", "## Résumé\n\nCe qui a été travaillé."),
    md(
        "## Resources\n\n- Every data set and fact, with its source.",
        "## Ressources\n\n- Chaque jeu de données et chaque fait, avec sa source.",
    ),
]

GUIDE = """
# Teacher guide: Unit title

**Unit id:** `my_unit` · **SDG** n · **Ages** 12-18 · **Time** n hours · **Phase:** exchange.

## Goals
## Timing across the exchange phases
## Running the live session across time zones
## Discussion prompts
## How to grade
## What students typically get wrong
## Sources
"""

UNIT = Unit(
    id="my_unit",
    lang=LANG,
    meta={
        "title": "Unit title",
        "sdg": 4,
        "ages": "12-18",
        "hours": 2,
        "phase": "exchange",
        "skills": ["..."],
    },
    team=TEAM,
    individual=INDIVIDUAL,
    guide=GUIDE,
    comments=comments(
        LANG,
        {
            "Visible tests check the shape of the answer: its type, index, columns, format": {
                "fr": "Les tests visibles vérifient la forme de la réponse : type, index, colonnes, format"
            },
            "A visible call, then hidden tests check the values": {
                "fr": "Un appel visible, puis des tests cachés vérifient les valeurs"
            },
            "value_in should return a number": {"fr": "value_in doit renvoyer un nombre"},
            "value_in gives a wrong value": {"fr": "value_in donne une valeur fausse"},
        },
    ),
)
