"""Unit 2: Health and wealth, life expectancy and income (English and French)."""

from __future__ import annotations

from nbbuild import Mistake, Unit, answer, checks, code, md, precision, readonly, reflection

from units.common import (
    class_findings,
    comments,
    exchange_countries,
    joint_conclusion,
    partner_task,
    team_imports,
    team_members,
)

LANG = "fr"

LOAD = """
YEARS = range(1967, 2008, 5)
life = data.indicator("life_expectancy", years=YEARS)
gdp = data.indicator("gdp_per_capita", years=YEARS)
both = life.merge(gdp, on=["iso3", "country", "year"], suffixes=("_life", "_gdp"))
both = both.rename(columns={"value_life": "life_expectancy", "value_gdp": "gdp_per_capita"})
"""

RESOURCES_EN = (
    "## Resources\n\n"
    "- Life expectancy at birth, 1964-2013: Gapminder (https://www.gapminder.org/data/), via "
    'the `bokeh_sampledata` package, read with `vxkit.data.indicator("life_expectancy")` '
    "(CC BY 2.0).\n"
    "- GDP per person (inflation-adjusted US dollars at purchasing power parity), 1952-2007 "
    "every five years: Gapminder, via the `plotly` package, read with "
    '`vxkit.data.indicator("gdp_per_capita")` (CC BY 4.0).\n'
    "- Hans Rosling, Ola Rosling, Anna Rosling Rönnlund, *Factfulness* (2018), and the "
    "Gapminder tools: https://www.gapminder.org/tools/\n"
    "- SDG 3, Good health and well-being: https://sdgs.un.org/goals/goal3"
)
RESOURCES_FR = (
    "## Ressources\n\n"
    "- Espérance de vie à la naissance, 1964-2013 : Gapminder (https://www.gapminder.org/data/), "
    'par le paquet `bokeh_sampledata`, lue avec `vxkit.data.indicator("life_expectancy")` '
    "(CC BY 2.0).\n"
    "- PIB par personne (dollars américains corrigés de l'inflation, en parité de pouvoir "
    "d'achat), 1952-2007 tous les cinq ans : Gapminder, par le paquet `plotly`, lu avec "
    '`vxkit.data.indicator("gdp_per_capita")` (CC BY 4.0).\n'
    "- Hans Rosling, Ola Rosling, Anna Rosling Rönnlund, *Factfulness* (2018), et les outils "
    "Gapminder : https://www.gapminder.org/tools/\n"
    "- ODD 3, Bonne santé et bien-être : https://sdgs.un.org/fr/goals/goal3"
)

TEAM = [
    md(
        "# Health and wealth\n\nA team notebook: you and your partners edit it together, live.",
        "# Santé et richesse\n\n"
        "Un notebook d'équipe : vous et vos partenaires le modifiez ensemble, en direct.",
    ),
    md(
        "## Overview\n\n"
        "Do people live longer in richer countries? Your team looks at life expectancy at birth "
        "and income per person in your countries, and at how both changed over 40 years.\n\n"
        "1. Explore life expectancy in the partner countries.\n"
        "2. Place every country on a chart of income against life expectancy.\n"
        "3. Each class explains its own country's changes; the team concludes together.",
        "## Aperçu\n\n"
        "Vit-on plus longtemps dans les pays plus riches ? Votre équipe étudie l'espérance de vie "
        "à la naissance et le revenu par personne dans vos pays, et comment les deux ont changé "
        "en 40 ans.\n\n"
        "1. Explorer l'espérance de vie dans les pays partenaires.\n"
        "2. Placer chaque pays sur un graphique revenu / espérance de vie.\n"
        "3. Chaque classe explique les changements de son propre pays ; l'équipe conclut ensemble.",
    ),
    md(
        "## Prerequisites\n\n"
        "- The units *Meet your partners* and, ideally, *Climate*.\n"
        "- *Life expectancy at birth*: how many years a baby born that year would live if the "
        "risks of dying at each age stayed as they are that year. It is an average, not a "
        "promise to anyone.\n"
        "- Time needed: about 3 hours over two weeks.",
        "## Prérequis\n\n"
        "- Les unités *Rencontrez vos partenaires* et, si possible, *Climat*.\n"
        "- *Espérance de vie à la naissance* : le nombre d'années que vivrait un bébé né cette "
        "année-là si les risques de mourir à chaque âge restaient ceux de cette année. C'est "
        "une moyenne, pas une promesse faite à quelqu'un.\n"
        "- Durée : environ 3 heures sur deux semaines.",
    ),
    md("## Imports\n\nRun this cell first.", "## Imports\n\nExécutez d'abord cette cellule."),
    code(
        team_imports(
            "from vxkit import data",
            "from vxkit.widgets import ExchangeMap, IndicatorExplorer",
            tail="codes = sorted({c.country for c in classes})\n" + LOAD,
        )
    ),
    md("## Who is in our team?", "## Qui fait partie de notre équipe ?"),
    team_members(),
    md(
        "## Explore the data together\n\n"
        "Agree who drives the explorer: everybody sees the same widget.",
        "## Explorer les données ensemble\n\n"
        "Décidez qui manipule l'explorateur : tout le monde voit le même widget.",
    ),
    code('IndicatorExplorer("life_expectancy", exchange=exchange, locale=LOCALE)'),
    md(
        "## Income and life expectancy in 2007\n\n"
        "Each dot is a country; the partner countries are in colour. The income axis is "
        "logarithmic: each step to the right multiplies income by ten.",
        "## Revenu et espérance de vie en 2007\n\n"
        "Chaque point est un pays ; les pays partenaires sont en couleur. L'axe des revenus est "
        "logarithmique : chaque pas vers la droite multiplie le revenu par dix.",
    ),
    code(
        """
year = both[both["year"] == 2007]
ax = year.plot.scatter(x="gdp_per_capita", y="life_expectancy", logx=True, color="lightgrey")
ours = year[year["iso3"].isin([data.to_iso3(c) for c in codes])]
ours.plot.scatter(x="gdp_per_capita", y="life_expectancy", logx=True, color="crimson", ax=ax)
for _, row in ours.iterrows():
    ax.annotate(row["country"], (row["gdp_per_capita"], row["life_expectancy"]))
"""
    ),
    md(
        "## On the map\n\nLife expectancy at birth in 2007, with your schools.",
        "## Sur la carte\n\nL'espérance de vie à la naissance en 2007, avec vos écoles.",
    ),
    code(
        'ExchangeMap(exchange, locale=LOCALE, indicator="life_expectancy", year=2007, years=range(1967, 2008, 10))'
    ),
    *class_findings(
        "How did life expectancy and income change in your country from 1967 to 2007? Find "
        "one event or change (vaccination, clean water, a crisis, a war, a new health system) "
        "that may explain part of it, and give its source.",
        "Comment l'espérance de vie et le revenu ont-ils changé dans votre pays de 1967 à 2007 ? "
        "Trouvez un événement ou un changement (vaccination, eau potable, une crise, une guerre, "
        "un nouveau système de santé) qui peut en expliquer une partie, et donnez sa source.",
        LANG,
    ),
    *joint_conclusion(
        "Do richer countries always live longer? Name one country that lives longer than its "
        "income suggests, and what you would like to know about it.",
        "Les pays plus riches vivent-ils toujours plus longtemps ? Citez un pays où l'on vit plus "
        "longtemps que son revenu le laisserait penser, et ce que vous aimeriez savoir sur lui.",
        LANG,
    ),
    md(
        "## Summary\n\n"
        "Life expectancy rose in almost every country, and richer countries tend to live "
        "longer, but income does not explain everything: health care, education and clean "
        "water matter too.",
        "## Résumé\n\n"
        "L'espérance de vie a augmenté dans presque tous les pays, et les pays plus riches "
        "vivent en général plus longtemps, mais le revenu n'explique pas tout : la santé, "
        "l'éducation et l'eau potable comptent aussi.",
    ),
    md(RESOURCES_EN, RESOURCES_FR),
]

INDIVIDUAL = [
    md(
        "# Health and wealth (individual work)\n\n"
        "This notebook is yours alone. The code exercises are checked automatically; your "
        "teacher reads the two reflections.",
        "# Santé et richesse (travail individuel)\n\n"
        "Ce notebook est à vous seul. Les exercices de code sont vérifiés automatiquement ; votre "
        "enseignant lit les deux réflexions.",
    ),
    md(
        "## Overview\n\n"
        "With pandas you will look up life expectancy, measure how much it grew, count "
        "countries, and compare the richer half of the world with the poorer half.\n\n"
        "Points: 5 code exercises (10 points) and 2 reflections (6 points).",
        "## Aperçu\n\n"
        "Avec pandas, vous allez chercher l'espérance de vie, mesurer sa hausse, compter des "
        "pays, et comparer la moitié la plus riche du monde avec la moitié la plus pauvre.\n\n"
        "Points : 5 exercices de code (10 points) et 2 réflexions (6 points).",
    ),
    md(
        "## Prerequisites\n\n"
        "- Python functions and pandas filtering; `.median()` and `.mean()` of a column.\n"
        "- Replace `raise NotImplementedError()` with your code and run the test cell below it.",
        "## Prérequis\n\n"
        "- Les fonctions Python et les filtres pandas ; `.median()` et `.mean()` d'une colonne.\n"
        "- Remplacez `raise NotImplementedError()` par votre code et exécutez la cellule de test "
        "en dessous.",
    ),
    md(
        "## Imports\n\n"
        "The table `both`: one row per country and year (1967 to 2007, every 5 years), with "
        "`life_expectancy` (years) and `gdp_per_capita` (dollars per person). `MINE` is the "
        "code of your class's country and `PARTNER` that of your partner class's, read from "
        "your exchange: the cell prints them.",
        "## Imports\n\n"
        "Le tableau `both` : une ligne par pays et par année (de 1967 à 2007, tous les 5 ans), "
        "avec `life_expectancy` (en années) et `gdp_per_capita` (en dollars par personne). "
        "`MINE` est le code du pays de votre classe et `PARTNER` celui du pays de votre classe "
        "partenaire, lus dans votre échange : la cellule les affiche.",
    ),
    code(
        "import numbers\n\nimport pandas as pd\n\nfrom vxkit import data\n"
        "from vxkit.views import notebook_countries\n\n"
        + exchange_countries("gdp_per_capita")
        + LOAD
        + "both.head()\n"
    ),
    md(
        "## 1. Life expectancy in one country\n\n"
        "Write `life_in(df, iso3, year)`: the life expectancy of country `iso3` in `year`, "
        f"as a number (any number type), accepted {precision('en', 1)}.",
        "## 1. L'espérance de vie d'un pays\n\n"
        "Écrivez `life_in(df, iso3, year)` : l'espérance de vie du pays `iso3` en `year`, sous "
        f"forme de nombre (de n'importe quel type), acceptée {precision(LANG, 1)}.",
    ),
    answer(
        "life_in",
        '''
def life_in(df, iso3, year):
    """Life expectancy in country `iso3` in `year`."""
    ### BEGIN SOLUTION
    row = df[(df["iso3"] == iso3) & (df["year"] == year)]
    return float(row["life_expectancy"].iloc[0])
    ### END SOLUTION
''',
        returns="number",
        decimals=1,
        accept=[
            """
def life_in(df, iso3, year):
    return df.set_index(["iso3", "year"]).loc[(iso3, year), "life_expectancy"]
""",
            """
def life_in(df, iso3, year):
    rows = df.query("iso3 == @iso3 and year == @year")
    return round(rows["life_expectancy"].values[0], 1)
""",
            """
def life_in(df, iso3, year):
    for _, row in df.iterrows():
        if row["iso3"] == iso3 and row["year"] == year:
            return row["life_expectancy"]
""",
        ],
        mistakes=[
            Mistake(
                "returning the one-row Series instead of a number",
                """
def life_in(df, iso3, year):
    return df[(df["iso3"] == iso3) & (df["year"] == year)]["life_expectancy"]
""",
            ),
        ],
    ),
    *checks(
        "life_in",
        """
assert isinstance(life_in(both, "FRA", 2007), numbers.Real), "life_in should return a number"
""",
        """
france = life_in(both, "FRA", 2007)
### BEGIN HIDDEN TESTS
for iso3, year in [("FRA", 2007), ("KEN", 1967), ("CHL", 2007), ("JPN", 1987), (MINE, 2007), (PARTNER, 1987)]:
    expected = both.loc[(both["iso3"] == iso3) & (both["year"] == year), "life_expectancy"]
    assert abs(life_in(both, iso3, year) - expected.iloc[0]) <= 0.05 + 1e-9, "life_in gives a wrong value for another country or year"
### END HIDDEN TESTS
""",
    ),
    md(
        "## 2. Years gained\n\n"
        "Write `years_gained(df, iso3, start, end)`: life expectancy in `end` minus life "
        f"expectancy in `start`, as a number accepted {precision('en', 1)}.",
        "## 2. Années gagnées\n\n"
        "Écrivez `years_gained(df, iso3, start, end)` : l'espérance de vie en `end` moins "
        f"l'espérance de vie en `start`, sous forme de nombre accepté {precision(LANG, 1)}.",
    ),
    answer(
        "years_gained",
        '''
def years_gained(df, iso3, start, end):
    """How many years of life expectancy `iso3` gained from `start` to `end`."""
    ### BEGIN SOLUTION
    return life_in(df, iso3, end) - life_in(df, iso3, start)
    ### END SOLUTION
''',
        returns="number",
        decimals=1,
        accept=[
            """
def years_gained(df, iso3, start, end):
    by_year = df[df["iso3"] == iso3].set_index("year")["life_expectancy"]
    return by_year[end] - by_year[start]
""",
            """
def years_gained(df, iso3, start, end):
    return round(life_in(df, iso3, end) - life_in(df, iso3, start), 1)
""",
            """
def years_gained(df, iso3, start, end):
    table = df.pivot(index="year", columns="iso3", values="life_expectancy")
    return float(table.loc[end, iso3] - table.loc[start, iso3])
""",
        ],
        mistakes=[
            Mistake(
                "start minus end (the sign reversed)",
                """
def years_gained(df, iso3, start, end):
    return life_in(df, iso3, start) - life_in(df, iso3, end)
""",
            ),
        ],
    ),
    *checks(
        "years_gained",
        """
assert isinstance(years_gained(both, "CHL", 1967, 2007), numbers.Real), "years_gained should return a number"
""",
        """
chile = years_gained(both, "CHL", 1967, 2007)
### BEGIN HIDDEN TESTS


# Follow-through: a gain computed from the student's own (rounded) life_in counts too.
def own_gain(iso3, start, end):
    try:
        return float(life_in(both, iso3, end) - life_in(both, iso3, start))
    except Exception:
        return float("nan")


for iso3 in ["CHL", "FRA", "KEN", "ESP", "BRA"]:
    by_year = both[both["iso3"] == iso3].set_index("year")["life_expectancy"]
    expected = by_year[2007] - by_year[1967]
    got = years_gained(both, iso3, 1967, 2007)
    ok = abs(got - expected) <= 0.05 + 1e-9 or abs(got - own_gain(iso3, 1967, 2007)) <= 0.05 + 1e-9
    assert ok, "years_gained gives a wrong value: end minus start"
assert abs(years_gained(both, "JPN", 1987, 1987)) <= 0.05 + 1e-9, "no years are gained from a year to itself"
### END HIDDEN TESTS
""",
    ),
    md(
        "## 3. How many countries?\n\n"
        "Write `count_above(df, year, threshold)`: how many countries had a life expectancy "
        "strictly above `threshold` in `year`, as a whole number (any integer type).",
        "## 3. Combien de pays ?\n\n"
        "Écrivez `count_above(df, year, threshold)` : combien de pays avaient une espérance de "
        "vie strictement supérieure à `threshold` en `year`, sous forme de nombre entier "
        "(de n'importe quel type entier).",
    ),
    answer(
        "count_above",
        '''
def count_above(df, year, threshold):
    """The number of countries whose life expectancy was above `threshold` in `year`."""
    ### BEGIN SOLUTION
    rows = df[(df["year"] == year) & (df["life_expectancy"] > threshold)]
    return len(rows)
    ### END SOLUTION
''',
        returns="integer",
        accept=[
            """
def count_above(df, year, threshold):
    return (df[df["year"] == year]["life_expectancy"] > threshold).sum()
""",
            """
def count_above(df, year, threshold):
    return df.query("year == @year and life_expectancy > @threshold")["iso3"].count()
""",
            """
def count_above(df, year, threshold):
    n = 0
    for value in df.loc[df["year"] == year, "life_expectancy"]:
        if value > threshold:
            n += 1
    return n
""",
        ],
        mistakes=[
            Mistake(
                "`>=` instead of `>` (a country exactly at the threshold counted)",
                """
def count_above(df, year, threshold):
    return len(df[(df["year"] == year) & (df["life_expectancy"] >= threshold)])
""",
            ),
            Mistake(
                "returning the filtered table or a Series instead of a whole number",
                """
def count_above(df, year, threshold):
    return df[(df["year"] == year) & (df["life_expectancy"] > threshold)]
""",
            ),
        ],
    ),
    *checks(
        "count_above",
        """
assert isinstance(count_above(both, 2007, 70), numbers.Integral), "count_above should return a whole number"
""",
        """
above = count_above(both, 2007, 70)
### BEGIN HIDDEN TESTS
france = both.loc[(both["iso3"] == "FRA") & (both["year"] == 2007), "life_expectancy"].iloc[0]
for year, threshold in [(2007, 70), (1967, 60), (1987, 75.5), (2007, 200), (2007, france)]:
    rows = both[both["year"] == year]
    assert count_above(both, year, threshold) == (rows["life_expectancy"] > threshold).sum(), "count only the countries strictly above the threshold"
### END HIDDEN TESTS
""",
    ),
    md(
        "## 4. The richer half and the poorer half\n\n"
        "Write `rich_poor_gap(df, year)`: in `year`, the mean life expectancy of the countries "
        "whose `gdp_per_capita` is **above** the median, minus the mean life expectancy of the "
        f"other countries, as a number accepted {precision('en', 1)}. A country exactly at "
        "the median is not above it.\n\n"
        'Hint: `rows["gdp_per_capita"].median()` is the median; `rows[mask]` and '
        "`rows[~mask]` split the table in two.",
        "## 4. La moitié la plus riche et la moitié la plus pauvre\n\n"
        "Écrivez `rich_poor_gap(df, year)` : en `year`, l'espérance de vie moyenne des pays dont "
        "le `gdp_per_capita` est **supérieur** à la médiane, moins l'espérance de vie moyenne "
        f"des autres pays, sous forme de nombre accepté {precision(LANG, 1)}. Un pays "
        "exactement à la médiane n'est pas au-dessus.\n\n"
        'Indice : `rows["gdp_per_capita"].median()` est la médiane ; `rows[mask]` et '
        "`rows[~mask]` coupent le tableau en deux.",
    ),
    answer(
        "rich_poor_gap",
        '''
def rich_poor_gap(df, year):
    """Mean life expectancy above the median income minus the mean of the others."""
    ### BEGIN SOLUTION
    rows = df[df["year"] == year]
    richer = rows["gdp_per_capita"] > rows["gdp_per_capita"].median()
    return rows[richer]["life_expectancy"].mean() - rows[~richer]["life_expectancy"].mean()
    ### END SOLUTION
''',
        returns="number",
        decimals=1,
        accept=[
            """
def rich_poor_gap(df, year):
    rows = df[df["year"] == year]
    rich = rows["gdp_per_capita"] > rows["gdp_per_capita"].median()
    means = rows.groupby(rich)["life_expectancy"].mean()
    return round(means[True] - means[False], 1)
""",
            """
def rich_poor_gap(df, year):
    rows = df.query("year == @year")
    middle = rows.gdp_per_capita.median()
    return (
        rows.loc[rows.gdp_per_capita > middle, "life_expectancy"].mean()
        - rows.loc[rows.gdp_per_capita <= middle, "life_expectancy"].mean()
    )
""",
        ],
        mistakes=[
            Mistake(
                "putting the countries exactly at the median in the richer half",
                """
def rich_poor_gap(df, year):
    rows = df[df["year"] == year]
    richer = rows["gdp_per_capita"] >= rows["gdp_per_capita"].median()
    return rows[richer]["life_expectancy"].mean() - rows[~richer]["life_expectancy"].mean()
""",
            ),
            Mistake(
                "the poorer half minus the richer half",
                """
def rich_poor_gap(df, year):
    rows = df[df["year"] == year]
    richer = rows["gdp_per_capita"] > rows["gdp_per_capita"].median()
    return rows[~richer]["life_expectancy"].mean() - rows[richer]["life_expectancy"].mean()
""",
            ),
        ],
    ),
    *checks(
        "rich_poor_gap",
        """
assert isinstance(rich_poor_gap(both, 2007), numbers.Real), "rich_poor_gap should return a number"
""",
        """
gap = rich_poor_gap(both, 2007)
### BEGIN HIDDEN TESTS
for year in [1967, 1987, 2007]:
    rows = both[both["year"] == year]
    rich = rows["gdp_per_capita"] > rows["gdp_per_capita"].median()
    expected = rows[rich]["life_expectancy"].mean() - rows[~rich]["life_expectancy"].mean()
    assert abs(rich_poor_gap(both, year) - expected) <= 0.05 + 1e-9, "rich_poor_gap gives a wrong value: the richer half minus the others"
# Three countries: the middle one sits exactly at the median and belongs to the poorer half.
tie = pd.DataFrame({"year": [2000] * 3, "gdp_per_capita": [1.0, 2.0, 3.0], "life_expectancy": [50.0, 62.0, 70.0]})
assert abs(rich_poor_gap(tie, 2000) - 14) <= 0.05 + 1e-9, "a country exactly at the median is not above it"
### END HIDDEN TESTS
""",
    ),
    *partner_task(
        "partner_gained",
        (
            "## 5. Your partner class's country\n\n"
            "Set `partner_gained` to the years of life expectancy your partner class's country "
            f"(`PARTNER`) gained from 1967 to 2007, as a number accepted {precision('en', 1)}. "
            "Ask your partners what changed in those forty years.",
            "## 5. Le pays de votre classe partenaire\n\n"
            "Mettez dans `partner_gained` les années d'espérance de vie que le pays de votre "
            "classe partenaire (`PARTNER`) a gagnées de 1967 à 2007, sous forme de nombre "
            f"accepté {precision(LANG, 1)}. Demandez à vos partenaires ce qui a changé en "
            "quarante ans.",
        ),
        "partner_gained = years_gained(both, PARTNER, 1967, 2007)",
        partner='notebook_countries("gdp_per_capita").partner',
        decimals=1,
        expected="""
life = data.indicator("life_expectancy", countries=[partner]).set_index("year")["value"]
expected = life[2007] - life[1967]
""",
        message="partner_gained is the years gained in your partner class's country (PARTNER), "
        "from 1967 to 2007",
        accept=[
            "partner_gained = life_in(both, PARTNER, 2007) - life_in(both, PARTNER, 1967)",
            """
rows = both[both["iso3"] == PARTNER].set_index("year")
partner_gained = round(rows.loc[2007, "life_expectancy"] - rows.loc[1967, "life_expectancy"], 1)
""",
        ],
        mistakes=[
            Mistake(
                "your own class's country (`MINE`) instead of the partner class's",
                "partner_gained = years_gained(both, MINE, 1967, 2007)",
            ),
            Mistake(
                "the partner country's life expectancy in 2007 instead of the years gained",
                "partner_gained = life_in(both, PARTNER, 2007)",
            ),
        ],
    ),
    md(
        "## Reflections\n\nWrite in English or in French, in full sentences.",
        "## Réflexions\n\nÉcrivez en anglais ou en français, avec des phrases complètes.",
    ),
    readonly(
        "### Reflection 1: more than money (3 points)\n\n"
        "Find in the table one country whose life expectancy in 2007 is much higher than "
        "countries with a similar income. Give its numbers and propose two possible reasons. "
        "Say how you could check them.\n\n"
        "**Rubric** (3 points)\n"
        "- 1 point: a suitable country, with its two numbers and the year.\n"
        "- 1 point: two plausible reasons (health care, education, clean water, food, peace...).\n"
        "- 1 point: presents them as hypotheses and names a way or a source to check them.",
        "### Réflexion 1 : plus que l'argent (3 points)\n\n"
        "Trouvez dans le tableau un pays dont l'espérance de vie en 2007 est bien plus élevée "
        "que celle de pays au revenu semblable. Donnez ses chiffres et proposez deux raisons "
        "possibles. Dites comment vous pourriez les vérifier.\n\n"
        "**Grille** (3 points)\n"
        "- 1 point : un pays qui convient, avec ses deux chiffres et l'année.\n"
        "- 1 point : deux raisons plausibles (santé, éducation, eau potable, alimentation, "
        "paix...).\n"
        "- 1 point : les présente comme des hypothèses et cite un moyen ou une source pour les "
        "vérifier.",
        "reflection_money_question",
    ),
    reflection("reflection_money", 3, "Write your answer here.", "Écrivez votre réponse ici."),
    readonly(
        "### Reflection 2: one lifetime (3 points)\n\n"
        "Compare how life expectancy changed from 1967 to 2007 in your country and in a "
        "partner's country. If you can, ask an older person you know what changed in health "
        "during their life (do not write their name). What surprised you?\n\n"
        "**Rubric** (3 points)\n"
        "- 1 point: correct comparison of the two countries with numbers.\n"
        "- 1 point: links the numbers to real changes in people's lives.\n"
        "- 1 point: writes about the partner country with care (facts, no pity or clichés).",
        "### Réflexion 2 : une vie (3 points)\n\n"
        "Comparez l'évolution de l'espérance de vie de 1967 à 2007 dans votre pays et dans le "
        "pays d'un partenaire. Si vous le pouvez, demandez à une personne âgée que vous "
        "connaissez ce qui a changé pour la santé pendant sa vie (n'écrivez pas son nom). "
        "Qu'est-ce qui vous a surpris ?\n\n"
        "**Grille** (3 points)\n"
        "- 1 point : comparaison juste des deux pays, avec des chiffres.\n"
        "- 1 point : relie les chiffres à des changements réels dans la vie des gens.\n"
        "- 1 point : parle du pays partenaire avec respect (des faits, ni pitié ni clichés).",
        "reflection_lifetime_question",
    ),
    reflection("reflection_lifetime", 3, "Write your answer here.", "Écrivez votre réponse ici."),
    md(
        "## Summary\n\n"
        "You looked values up, measured change, counted countries above a line, and compared "
        "two halves of the world. Richer countries live longer on average, but some countries "
        "do much better than their income suggests.",
        "## Résumé\n\n"
        "Vous avez cherché des valeurs, mesuré un changement, compté des pays au-dessus d'un "
        "seuil et comparé deux moitiés du monde. Les pays riches vivent en moyenne plus "
        "longtemps, mais certains pays font bien mieux que leur revenu le laisserait penser.",
    ),
    md(RESOURCES_EN, RESOURCES_FR),
]

GUIDE = """
# Teacher guide: Health and wealth

**Unit id:** `health_wealth` · **SDG 3** (Good health and well-being; target 3.2 on the deaths
of newborns and young children) · **Ages** 12-18 · **Time** about 3
hours over two weeks · **Phase:** exchange.

## Goals
- Students read life expectancy and income per person, and how both changed from 1967 to 2007.
- They see the overall link (richer countries live longer on average) and its exceptions.
- They explain changes in their own country with sources, and write about the partner's with
  care.

## Timing across the exchange phases
| phase | when | what |
|---|---|---|
| exchange | week 1, lesson 1 (own class) | Team notebook: explorer, income/life chart, map; own-country section. |
| exchange | week 1, lesson 2 (own class) | Individual notebook, 45-60 minutes. |
| live session | week 2 | Each class presents its country's change (3 minutes); joint conclusion. |
| optional | week 2 homework | Reflection 2 interview with an older person (no names). |

## Running the live session across time zones
- Reuse the slot of earlier units; confirm in both local times at the top of the team notebook.
- Ask each class to prepare its section before the session; live time goes to questions.
- When one class cannot be live, it writes two questions for the others in the notebook; the
  others answer in their next lesson.

## Discussion prompts
- Why did life expectancy rise so much almost everywhere? (Much of the rise came from fewer
  children dying young: see Our World in Data, *Life expectancy*,
  https://ourworldindata.org/life-expectancy.)
- What does "average" hide: differences between regions, between women and men?
- Which partner country surprised you on the chart, and why?

## How to grade
- Autograded (10 points): `life_in`, `years_gained`, `count_above`, `rich_poor_gap` and
  `partner_gained` (the partner class's country), 2 points each. Hidden tests recompute the answers for other countries and years.
- Manually graded (6 points): two reflections; the rubric is above each answer cell. Accept
  any language the class uses; grade reasoning and care with facts and with the partner country.

## What students typically get wrong
- Reading life expectancy at birth as "everyone dies at that age".
- Forgetting that GDP per person is an average: it says nothing about how income is shared.
- Pity or clichés about poorer partner countries: steer towards change and causes.

## Sources
- Life expectancy at birth 1964-2013: Gapminder via `bokeh_sampledata` (CC BY 2.0), as served by
  `vxkit.data`.
- GDP per person 1952-2007: Gapminder via `plotly` (CC BY 4.0), as served by `vxkit.data`.
- SDG 3: https://sdgs.un.org/goals/goal3
"""

MESSAGES = {
    "life_in should return a number": {"fr": "life_in doit renvoyer un nombre"},
    "life_in gives a wrong value for another country or year": {
        "fr": "life_in donne une valeur fausse pour un autre pays ou une autre année"
    },
    "years_gained should return a number": {"fr": "years_gained doit renvoyer un nombre"},
    "partner_gained should be a number": {"fr": "partner_gained doit être un nombre"},
    "partner_gained is the years gained in your partner class's country (PARTNER), from 1967 to 2007": {
        "fr": "partner_gained est le nombre d'années gagnées dans le pays de votre classe partenaire (PARTNER), de 1967 à 2007"
    },
    "years_gained gives a wrong value: end minus start": {
        "fr": "years_gained donne une valeur fausse : la fin moins le début"
    },
    "no years are gained from a year to itself": {
        "fr": "on ne gagne aucune année d'une année à elle-même"
    },
    "count_above should return a whole number": {
        "fr": "count_above doit renvoyer un nombre entier"
    },
    "count only the countries strictly above the threshold": {
        "fr": "ne comptez que les pays strictement au-dessus du seuil"
    },
    "rich_poor_gap should return a number": {"fr": "rich_poor_gap doit renvoyer un nombre"},
    "rich_poor_gap gives a wrong value: the richer half minus the others": {
        "fr": "rich_poor_gap donne une valeur fausse : la moitié la plus riche moins les autres"
    },
    "a country exactly at the median is not above it": {
        "fr": "un pays exactement à la médiane n'est pas au-dessus"
    },
    "Follow-through: a gain computed from the student's own (rounded) life_in counts too.": {
        "fr": "Pas de double pénalité : un gain calculé avec votre propre life_in (arrondi) compte aussi."
    },
    "Three countries: the middle one sits exactly at the median and belongs to the poorer half.": {
        "fr": "Trois pays : celui du milieu est exactement à la médiane, dans la moitié la plus pauvre."
    },
}

UNIT = Unit(
    id="health_wealth",
    lang=LANG,
    meta={
        "title": "Health and wealth",
        "sdg": 3,
        "ages": "12-18",
        "hours": 3,
        "phase": "exchange",
        "skills": ["merging tables", "median and mean", "scatter plots", "explaining change"],
    },
    team=TEAM,
    individual=INDIVIDUAL,
    guide=GUIDE,
    comments=comments(LANG, MESSAGES),
)
