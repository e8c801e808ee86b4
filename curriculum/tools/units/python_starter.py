"""The Python and pandas starter for 12-14 year olds new to code (English and French)."""

from __future__ import annotations

from nbbuild import Mistake, Unit, answer, checks, code, md, precision, readonly, reflection

from units.common import comments, team_imports, team_members

LANG = "fr"
# The bar chart both notebooks draw: one bar per country, people up the side.
BAR_CHART = '.plot.bar(x="country", y="value", legend=False, ylabel="people")'

RESOURCES_EN = (
    "## Resources\n\n"
    "- Population 1964-2013: Gapminder, via the `bokeh_sampledata` package, read offline with "
    '`vxkit.data.indicator("population")` (CC BY 2.0, Gapminder.org).\n'
    "- The pandas getting-started tutorials: https://pandas.pydata.org/docs/getting_started/"
)
RESOURCES_FR = (
    "## Ressources\n\n"
    "- Population 1964-2013 : Gapminder, via le paquet `bokeh_sampledata`, lue hors ligne avec "
    '`vxkit.data.indicator("population")` (CC BY 2.0, Gapminder.org).\n'
    "- Les tutoriels de démarrage de pandas (en anglais) : "
    "https://pandas.pydata.org/docs/getting_started/"
)

TEAM = [
    md(
        "# Python and pandas starter\n\n"
        "A team notebook: you and your partners edit it together, live.",
        "# Premiers pas avec Python et pandas\n\n"
        "Un notebook d'équipe : vous et vos partenaires le modifiez ensemble, en direct.",
    ),
    md(
        "## Overview\n\n"
        "Your first chart with your partners: how many people live in each of your countries? "
        "Run the cells one after the other, then each class writes one sentence about its "
        "country's bar.",
        "## Aperçu\n\n"
        "Votre premier graphique avec vos partenaires : combien de personnes vivent dans chacun "
        "de vos pays ? Exécutez les cellules l'une après l'autre, puis chaque classe écrit une "
        "phrase sur la barre de son pays.",
    ),
    md(
        "## Prerequisites\n\n"
        "- None: this is where you start.\n"
        "- How to run a cell: click it, then press **Shift + Enter**.\n"
        "- Time needed: about 20 minutes.",
        "## Prérequis\n\n"
        "- Aucun : c'est ici que vous commencez.\n"
        "- Pour exécuter une cellule : cliquez dessus, puis appuyez sur **Maj + Entrée**.\n"
        "- Durée : environ 20 minutes.",
    ),
    md("## Imports\n\nRun this cell first.", "## Imports\n\nExécutez d'abord cette cellule."),
    code(team_imports("from vxkit import data")),
    md("## Who is in our team?", "## Qui fait partie de notre équipe ?"),
    team_members(),
    md(
        "## Our first chart together\n\n"
        "The list `codes` holds your countries' codes; the table has their population in 2010. "
        "Change `2010` to another year between 1964 and 2013 and run the cell again.",
        "## Notre premier graphique ensemble\n\n"
        "La liste `codes` contient les codes de vos pays ; le tableau donne leur population en "
        "2010. Remplacez `2010` par une autre année entre 1964 et 2013 et exécutez de nouveau "
        "la cellule.",
    ),
    code(
        """
with_data = set(data.countries_with_data("population"))
codes = sorted({data.to_iso3(c.country) for c in classes} & with_data)
population = data.indicator("population", countries=codes)
# Only the rows of one year
year = population[population["year"] == 2010]
"""
        + f"year{BAR_CHART}\n"
    ),
    md(
        "## One sentence per class\n\n"
        "Each class writes one sentence about its own country's bar, with the number and the "
        "year, for example: *In 2010, about 17 million people lived in Chile.*\n\n"
        "*Write here.*",
        "## Une phrase par classe\n\n"
        "Chaque classe écrit une phrase sur la barre de son propre pays, avec le nombre et "
        "l'année, par exemple : *En 2010, environ 17 millions de personnes vivaient au Chili.*"
        "\n\n*Écrivez ici.*",
    ),
    md(
        "## Summary\n\n"
        "You ran code together, read a table and drew a bar chart: the start of every unit.",
        "## Résumé\n\n"
        "Vous avez exécuté du code ensemble, lu un tableau et tracé un diagramme en barres : le "
        "début de chaque unité.",
    ),
    md(RESOURCES_EN, RESOURCES_FR),
]

INDIVIDUAL = [
    md(
        "# Python and pandas starter (individual work)\n\n"
        "This notebook is yours alone. Four warm-ups are checked automatically; your teacher "
        "reads your sentence at the end. Mistakes are fine: run the test cell, read its "
        "message, try again.",
        "# Premiers pas avec Python et pandas (travail individuel)\n\n"
        "Ce notebook est à vous seul. Quatre échauffements sont corrigés automatiquement ; "
        "votre professeur lit votre phrase à la fin. Se tromper n'est pas grave : exécutez la "
        "cellule de test, lisez son message, réessayez.",
    ),
    md(
        "## Overview\n\n"
        "You learn the five things every unit of the exchange uses: a variable, a list, a "
        "table (a pandas DataFrame), choosing rows of a table and adding them up, and a bar "
        "chart.\n\n"
        "Points: 4 warm-ups (8 points) and 1 sentence (2 points).",
        "## Aperçu\n\n"
        "Vous apprenez les cinq notions qu'utilisent toutes les unités de l'échange : une "
        "variable, une liste, un tableau (un DataFrame de pandas), choisir des lignes d'un "
        "tableau et les additionner, et un diagramme en barres.\n\n"
        "Points : 4 échauffements (8 points) et 1 phrase (2 points).",
    ),
    md(
        "## Prerequisites\n\n"
        "- None: this is where you start.\n"
        "- Run a cell: click it, then press **Shift + Enter**. Run the cells in order, from "
        "the top.\n"
        "- In a warm-up, replace `raise NotImplementedError()` with your code, then run the "
        "test cell below it.",
        "## Prérequis\n\n"
        "- Aucun : c'est ici que vous commencez.\n"
        "- Exécuter une cellule : cliquez dessus, puis appuyez sur **Maj + Entrée**. Exécutez "
        "les cellules dans l'ordre, depuis le haut.\n"
        "- Dans un échauffement, remplacez `raise NotImplementedError()` par votre code, puis "
        "exécutez la cellule de test en dessous.",
    ),
    md(
        "## Imports\n\n"
        "This cell loads the tools: `numbers` (the tests use it), `pandas` (tables) and "
        "`data` (vxkit's data, which work without the internet).",
        "## Imports\n\n"
        "Cette cellule charge les outils : `numbers` (les tests s'en servent), `pandas` (les "
        "tableaux) et `data` (les données de vxkit, qui fonctionnent sans connexion internet).",
    ),
    code("import numbers\n\nimport pandas as pd\n\nfrom vxkit import data"),
    md(
        "## 1. Variables\n\n"
        "A variable is a name for a value. `=` puts the value on the right into the name on the "
        "left; `#` starts a comment, which Python skips. Run this cell: `print` shows the values.",
        "## 1. Les variables\n\n"
        "Une variable est un nom pour une valeur. `=` range la valeur de droite dans le nom de "
        "gauche ; `#` commence un commentaire, que Python ignore. Exécutez cette cellule : "
        "`print` affiche les valeurs.",
    ),
    code(
        """
name = "Chloé"
lessons = 3  # lessons of maths a week
minutes = 55  # minutes in one lesson
print(name, lessons, minutes)
"""
    ),
    md(
        "**Warm-up 1.** Set `total_minutes` to the number of minutes of maths in a week: "
        "`lessons` lessons of `minutes` minutes each. Use the variables, and `*` to multiply. "
        "The answer is a whole number.",
        "**Échauffement 1.** Mettez dans `total_minutes` le nombre de minutes de maths par "
        "semaine : `lessons` cours de `minutes` minutes chacun. Utilisez les variables, et `*` "
        "pour multiplier. La réponse est un nombre entier.",
    ),
    answer(
        "total_minutes",
        "\n### BEGIN SOLUTION\ntotal_minutes = lessons * minutes\n### END SOLUTION\n",
        returns="integer",
        accept=[
            "total_minutes = 165",
            "total_minutes = minutes * lessons",
            "total_minutes = sum([minutes] * lessons)",
        ],
        mistakes=[
            Mistake("adding instead of multiplying", "total_minutes = lessons + minutes"),
            Mistake(
                "giving hours instead of minutes (a decimal number)",
                "total_minutes = lessons * minutes / 60",
            ),
        ],
    ),
    *checks(
        "total_minutes",
        """
assert isinstance(total_minutes, numbers.Integral), "total_minutes should be a whole number"
""",
        """
got = total_minutes
### BEGIN HIDDEN TESTS
assert got == 3 * 55, "total_minutes is the number of lessons times the minutes of one lesson"
### END HIDDEN TESTS
""",
    ),
    md(
        "## 2. Lists\n\n"
        "A list keeps several values in order, between `[` and `]`. `len` counts them, `sum` "
        "adds them up, `max` finds the largest. Here are the temperatures (°C) a class measured "
        "at noon on six days.",
        "## 2. Les listes\n\n"
        "Une liste garde plusieurs valeurs dans l'ordre, entre `[` et `]`. `len` les compte, "
        "`sum` les additionne, `max` trouve la plus grande. Voici les températures (°C) qu'une "
        "classe a mesurées à midi pendant six jours.",
    ),
    code(
        """
temperatures = [12, 15, 9, 14, 11, 13]
print(len(temperatures), sum(temperatures), max(temperatures))
"""
    ),
    md(
        "**Warm-up 2.** Set `mean_temperature` to the mean of `temperatures`: their sum "
        f"divided by how many there are, as a number accepted {precision('en', 1)}.",
        "**Échauffement 2.** Mettez dans `mean_temperature` la moyenne de `temperatures` : leur "
        f"somme divisée par leur nombre ; réponse acceptée {precision(LANG, 1)}.",
    ),
    answer(
        "mean_temperature",
        "\n### BEGIN SOLUTION\n"
        "mean_temperature = sum(temperatures) / len(temperatures)\n"
        "### END SOLUTION\n",
        returns="number",
        decimals=1,
        accept=[
            "mean_temperature = round(sum(temperatures) / len(temperatures), 1)",
            "mean_temperature = pd.Series(temperatures).mean()",
            "mean_temperature = 12.3",
        ],
        mistakes=[
            Mistake(
                "dividing by a number of days typed by hand, one too few",
                "mean_temperature = sum(temperatures) / 5",
            ),
            Mistake("the sum instead of the mean", "mean_temperature = sum(temperatures)"),
        ],
    ),
    *checks(
        "mean_temperature",
        """
assert isinstance(mean_temperature, numbers.Real), "mean_temperature should be a number"
""",
        """
got = mean_temperature
### BEGIN HIDDEN TESTS
expected = (12 + 15 + 9 + 14 + 11 + 13) / 6
assert abs(got - expected) <= 0.05 + 1e-9, "mean_temperature is the sum divided by the number of days"
### END HIDDEN TESTS
""",
    ),
    md(
        "## 3. A table: a pandas DataFrame\n\n"
        "A DataFrame is a table with named columns. This one comes from `vxkit.data`: the "
        "population of five countries, one row per country and year (`value` is the number of "
        "people). `.head()` shows the first rows.",
        "## 3. Un tableau : un DataFrame de pandas\n\n"
        "Un DataFrame est un tableau dont les colonnes ont un nom. Celui-ci vient de "
        "`vxkit.data` : la population de cinq pays, une ligne par pays et par année (`value` "
        "est le nombre d'habitants). `.head()` montre les premières lignes.",
    ),
    code(
        """
population = data.indicator("population", countries=["CHL", "FRA", "GBR", "JPN", "KEN"])
population.head()
"""
    ),
    md(
        "To choose rows, write a condition in square brackets: "
        '`population[population["country"] == "Chile"]` keeps the rows of Chile only.\n\n'
        "**Warm-up 3.** Set `rows_2010` to the rows of `population` for the year 2010 (all "
        "five countries, every column).",
        "Pour choisir des lignes, écrivez une condition entre crochets : "
        '`population[population["country"] == "Chile"]` ne garde que les lignes du Chili.\n\n'
        "**Échauffement 3.** Mettez dans `rows_2010` les lignes de `population` de l'année "
        "2010 (les cinq pays, toutes les colonnes).",
    ),
    answer(
        "rows_2010",
        "\n### BEGIN SOLUTION\n"
        'rows_2010 = population[population["year"] == 2010]\n'
        "### END SOLUTION\n",
        returns="table",
        accept=[
            'rows_2010 = population.query("year == 2010")',
            "rows_2010 = population[population.year == 2010]",
            'rows_2010 = population.loc[population["year"] == 2010, :]',
        ],
        mistakes=[
            Mistake(
                "`>=` instead of `==` (the years after 2010 too)",
                'rows_2010 = population[population["year"] >= 2010]',
            ),
            Mistake(
                "keeping only the `value` column instead of the rows",
                'rows_2010 = population[population["year"] == 2010]["value"]',
            ),
        ],
    ),
    *checks(
        "rows_2010",
        """
assert isinstance(rows_2010, pd.DataFrame), "rows_2010 should be a table (a DataFrame), not one column"
assert list(rows_2010.columns) == list(population.columns), "rows_2010 keeps every column of population"
""",
        """
got = rows_2010
### BEGIN HIDDEN TESTS
assert set(got["year"]) == {2010}, "rows_2010 has the rows of 2010 only"
assert sorted(got["iso3"]) == ["CHL", "FRA", "GBR", "JPN", "KEN"], "rows_2010 has one row for each of the five countries"
### END HIDDEN TESTS
""",
    ),
    md(
        "## 4. A sum\n\n"
        '`rows_2010["value"]` is one column; `.sum()` adds it up.\n\n'
        "**Warm-up 4.** Set `total_millions` to the number of people in the five countries "
        "together in 2010, in millions (divide by `1_000_000`), as a number accepted "
        f"{precision('en', 1)}.",
        "## 4. Une somme\n\n"
        '`rows_2010["value"]` est une colonne ; `.sum()` l\'additionne.\n\n'
        "**Échauffement 4.** Mettez dans `total_millions` le nombre d'habitants des cinq pays "
        "réunis en 2010, en millions (divisez par `1_000_000`) ; réponse acceptée "
        f"{precision(LANG, 1)}.",
    ),
    answer(
        "total_millions",
        "\n### BEGIN SOLUTION\n"
        'total_millions = rows_2010["value"].sum() / 1_000_000\n'
        "### END SOLUTION\n",
        returns="number",
        decimals=1,
        accept=[
            "total_millions = round(sum(rows_2010.value) / 1e6, 1)",
            'total_millions = population[population.year == 2010]["value"].sum() / 10**6',
            'total_millions = (rows_2010["value"] / 1_000_000).sum()',
        ],
        mistakes=[
            Mistake(
                "adding up every year, not only 2010",
                'total_millions = population["value"].sum() / 1_000_000',
            ),
            Mistake(
                "forgetting to divide by a million",
                'total_millions = rows_2010["value"].sum()',
            ),
        ],
    ),
    *checks(
        "total_millions",
        """
assert isinstance(total_millions, numbers.Real), "total_millions should be a number"
""",
        """
got = total_millions


# Follow-through: a sum of the student's own rows_2010 counts too.
def own():
    try:
        return float(rows_2010["value"].sum() / 1_000_000)
    except Exception:
        return float("nan")


### BEGIN HIDDEN TESTS
expected = population.loc[population["year"] == 2010, "value"].sum() / 1_000_000
ok = abs(got - expected) <= 0.05 + 1e-9 or abs(got - own()) <= 0.05 + 1e-9
assert ok, "total_millions is the sum of value in 2010, divided by a million"
### END HIDDEN TESTS
""",
    ),
    md(
        "## 5. A bar chart\n\n"
        "`.plot.bar` draws one bar per row. Run the cell, then change `2010` to `1970` and run "
        "it again: which bar grew the most?",
        "## 5. Un diagramme en barres\n\n"
        "`.plot.bar` trace une barre par ligne. Exécutez la cellule, puis remplacez `2010` par "
        "`1970` et exécutez-la de nouveau : quelle barre a le plus grandi ?",
    ),
    code(f'chosen = population[population["year"] == 2010]\nchosen{BAR_CHART}\n'),
    readonly(
        "### Your sentence for your partners (2 points)\n\n"
        "Look at the bar chart. Write two sentences for your partner class: which country had "
        "the most people in 2010, about how many, and one thing that surprised you.\n\n"
        "**Rubric** (2 points)\n"
        "- 1 point: a correct reading of the chart (the country, a number with its unit and "
        "its year).\n"
        "- 1 point: two clear, full sentences a partner abroad can read, kind about every "
        "country.",
        "### Votre phrase pour vos partenaires (2 points)\n\n"
        "Regardez le diagramme en barres. Écrivez deux phrases pour votre classe partenaire : "
        "quel pays avait le plus d'habitants en 2010, environ combien, et une chose qui vous a "
        "surpris.\n\n"
        "**Grille** (2 points)\n"
        "- 1 point : une lecture juste du graphique (le pays, un nombre avec son unité et son "
        "année).\n"
        "- 1 point : deux phrases complètes et claires, qu'un partenaire à l'étranger peut "
        "lire, bienveillantes envers chaque pays.",
        "reflection_chart_question",
    ),
    reflection("reflection_chart", 2, "Write your answer here.", "Écrivez votre réponse ici."),
    md(
        "## Summary\n\n"
        "A variable names a value, a list keeps values in order, a DataFrame is a table; a "
        "condition in square brackets chooses rows, `.sum()` adds a column up and `.plot.bar` "
        "draws it. Every unit of the exchange is made of these.",
        "## Résumé\n\n"
        "Une variable nomme une valeur, une liste garde des valeurs dans l'ordre, un DataFrame "
        "est un tableau ; une condition entre crochets choisit des lignes, `.sum()` additionne "
        "une colonne et `.plot.bar` la dessine. Toutes les unités de l'échange reposent sur ces "
        "notions.",
    ),
    md(RESOURCES_EN, RESOURCES_FR),
]

GUIDE = """
# Teacher guide: Python and pandas starter

**Unit id:** `python_starter` · **SDG 4** (Quality education; target 4.4 on digital skills) ·
**Ages** 12-14 (older beginners too) · **Time** one lesson of about 50 minutes · **Phase:**
before the first unit.

## Goals
- Students run cells in order and read a test's message to correct their code.
- They use a variable, a list, a pandas DataFrame, a condition that chooses rows, a sum and a
  bar chart: everything the later units assume.
- They write two clear sentences about a chart for readers abroad.

## Timing across the exchange phases
| phase | when | what |
|---|---|---|
| plan | before *Meet your partners* (own class, 50 min) | Individual notebook: four warm-ups and one sentence, 35-40 minutes. |
| plan | the same lesson or the next (own class, 15 min) | Team notebook: the first chart of the team's countries, one sentence per class. |
| live session | none needed | The team notebook can be done by each class in its own lesson. |

## Running the live session across time zones
- No live session is needed: each class runs the team notebook in its own lesson and reads the
  partners' sentence the next time.
- If the classes do meet live, one student per class drives the chart and reads out the
  class's sentence (2 minutes each).

## Discussion prompts
- Why does a test ask for "a whole number" or "accepted to 1 decimal place"?
- Which bar surprised you? Would the chart look the same per person, or in 1970?
- Where in everyday life have you seen a table with rows and columns?

## How to grade
- Autograded (8 points): `total_minutes`, `mean_temperature`, `rows_2010` and
  `total_millions`, 2 points each. Tests are kind: any whole-number type passes as a whole
  number, decimals are accepted to the place the question states, and `total_millions`
  computed from a student's own `rows_2010` counts.
- Manually graded (2 points): the sentence for the partners, rubric above the answer cell.
  Accept any language the class uses.
- The starter can be used without grading: students run the test cells, read the messages and
  try again, and the teacher never collects it.

## What students typically get wrong
- Running a cell before the ones above it (`NameError`): run the cells from the top.
- Typing `=` in a condition instead of `==`, or forgetting the quotes around text.
- Reading the bar chart's axis in scientific notation (`1e8` is 100 million): say it aloud.

## Sources
- Population 1964-2013: Gapminder, via `bokeh_sampledata`, as served by `vxkit.data`
  (CC BY 2.0).
- pandas getting-started tutorials: https://pandas.pydata.org/docs/getting_started/
"""

COMMENTS: dict[str, dict[str, str]] = {
    "Only the rows of one year": {"fr": "Seulement les lignes d'une année"},
    "lessons of maths a week": {"fr": "cours de maths par semaine"},
    "minutes in one lesson": {"fr": "minutes dans un cours"},
    "total_minutes should be a whole number": {"fr": "total_minutes doit être un nombre entier"},
    "total_minutes is the number of lessons times the minutes of one lesson": {
        "fr": "total_minutes est le nombre de cours multiplié par les minutes d'un cours"
    },
    "mean_temperature should be a number": {"fr": "mean_temperature doit être un nombre"},
    "mean_temperature is the sum divided by the number of days": {
        "fr": "mean_temperature est la somme divisée par le nombre de jours"
    },
    "rows_2010 should be a table (a DataFrame), not one column": {
        "fr": "rows_2010 doit être un tableau (un DataFrame), pas une seule colonne"
    },
    "rows_2010 keeps every column of population": {
        "fr": "rows_2010 garde toutes les colonnes de population"
    },
    "rows_2010 has the rows of 2010 only": {"fr": "rows_2010 ne contient que les lignes de 2010"},
    "rows_2010 has one row for each of the five countries": {
        "fr": "rows_2010 a une ligne pour chacun des cinq pays"
    },
    "total_millions should be a number": {"fr": "total_millions doit être un nombre"},
    "Follow-through: a sum of the student's own rows_2010 counts too.": {
        "fr": "Sans double pénalité : une somme de votre propre rows_2010 compte aussi."
    },
    "total_millions is the sum of value in 2010, divided by a million": {
        "fr": "total_millions est la somme de value en 2010, divisée par un million"
    },
}

UNIT = Unit(
    id="python_starter",
    lang=LANG,
    meta={
        "title": "Python and pandas starter",
        "sdg": 4,
        "ages": "12-14",
        "hours": 1,
        "phase": "get to know each other",
        "skills": ["variables and lists", "a pandas table", "choosing rows", "a sum", "bar charts"],
    },
    team=TEAM,
    individual=INDIVIDUAL,
    guide=GUIDE,
    comments=comments(LANG, COMMENTS),
)
