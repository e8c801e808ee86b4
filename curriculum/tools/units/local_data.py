"""Unit 4: Our local data, both classes measure the same thing (English and French)."""

from __future__ import annotations

from nbbuild import Mistake, Unit, answer, checks, code, md, precision, readonly, reflection

from units.common import (
    class_findings,
    comments,
    joint_conclusion,
    partner_task,
    team_imports,
    team_members,
)

LANG = "fr"

# Invented practice data (said so in the notebook): two classes, ten school days in January,
# one class in the northern winter, one in the southern summer; one typing mistake (250 for
# 2.5) and one day not measured, for the cleaning exercise.
EXAMPLE = {
    "class_a": [3.5, 5.0, 250.0, 6.5, 4.0, 2.0, 1.5, 7.0, 8.5, 6.0],
    "class_b": [21.0, 22.5, 19.5, 23.0, None, 24.5, 22.0, 18.5, 20.0, 21.5],
}
DAYS = [f"2027-01-{d:02d}" for d in (11, 12, 13, 14, 15, 18, 19, 20, 21, 22)]


def example_csv() -> str:
    """The practice measurements as CSV text."""
    lines = ["class_id,date,temperature_c"]
    for class_id, values in EXAMPLE.items():
        for day, value in zip(DAYS, values, strict=True):
            lines.append(f"{class_id},{day},{'' if value is None else value}")
    return "\n".join(lines) + "\n"


WMO_EN = (
    "Weather services measure air temperature in the shade, with the thermometer between "
    "1.25 and 2 metres above the ground, away from walls (World Meteorological Organization, "
    "*Guide to Instruments and Methods of Observation*, WMO-No. 8, Volume I, chapter 2)."
)
WMO_FR = (
    "Les services météo mesurent la température de l'air à l'ombre, avec le thermomètre entre "
    "1,25 et 2 mètres au-dessus du sol, loin des murs (Organisation météorologique mondiale, "
    "*Guide des instruments et des méthodes d'observation*, OMM-N° 8, volume I, chapitre 2)."
)

RESOURCES_EN = (
    "## Resources\n\n"
    f'- {WMO_EN.split("(")[1].rstrip(").")}: https://library.wmo.int (search "WMO-No. 8").\n'
    "- The measurements: your classes, entered with the vxkit data contribution widget.\n"
    "- The practice data of the individual notebook are **invented** for the exercises.\n"
    "- SDG 4, Quality education (target 4.7, global citizenship), and SDG 13, Climate action: "
    "https://sdgs.un.org/goals"
)
RESOURCES_FR = (
    "## Ressources\n\n"
    f"- {WMO_FR.split('(')[1].rstrip(').')} : https://library.wmo.int (cherchez « WMO-No. 8 »).\n"
    "- Les mesures : vos classes, saisies avec le widget de contribution de données de vxkit.\n"
    "- Les données d'entraînement du notebook individuel sont **inventées** pour les exercices.\n"
    "- ODD 4, Éducation de qualité (cible 4.7, citoyenneté mondiale), et ODD 13, Lutte contre "
    "les changements climatiques : https://sdgs.un.org/fr/goals"
)

TEAM = [
    md(
        "# Our local data\n\nA team notebook: you and your partners edit it together, live.",
        "# Nos données locales\n\n"
        "Un notebook d'équipe : vous et vos partenaires le modifiez ensemble, en direct.",
    ),
    md(
        "## Overview\n\n"
        "For two weeks, every class measures the same thing in the same way: the **air "
        "temperature outside at your school's solar noon**, when the Sun is highest, each "
        "school day. Then your team compares "
        "the series and puts them on the map. Your teachers may choose another measurement "
        "(rain, the time it takes to get to school...): the steps stay the same.\n\n"
        "1. Agree on a measuring protocol.\n"
        "2. Enter each day's measurement with the contribution widget.\n"
        "3. Compare, chart and map the data; each class explains its own; conclude together.",
        "## Aperçu\n\n"
        "Pendant deux semaines, chaque classe mesure la même chose de la même façon : la "
        "**température de l'air dehors au midi solaire de votre école**, quand le Soleil est au "
        "plus haut, chaque jour de cours. Ensuite, "
        "votre équipe compare les séries et les place sur la carte. Vos enseignants peuvent "
        "choisir une autre mesure (la pluie, le temps de trajet jusqu'à l'école...) : les étapes "
        "restent les mêmes.\n\n"
        "1. Se mettre d'accord sur un protocole de mesure.\n"
        "2. Saisir la mesure de chaque jour avec le widget de contribution.\n"
        "3. Comparer, tracer et cartographier les données ; chaque classe explique les siennes ; "
        "conclure ensemble.",
    ),
    md(
        "## Prerequisites\n\n"
        "- A thermometer for each class (a simple one is fine) and someone responsible each day.\n"
        "- The earlier units, especially time zones: solar noon is rarely 12:00 on the clock.\n"
        "- Time needed: 10 minutes a day for two weeks, then 2 hours.",
        "## Prérequis\n\n"
        "- Un thermomètre par classe (un simple suffit) et un responsable chaque jour.\n"
        "- Les unités précédentes, surtout les fuseaux horaires : le midi solaire tombe rarement "
        "à 12 h pile à l'horloge.\n"
        "- Durée : 10 minutes par jour pendant deux semaines, puis 2 heures.",
    ),
    md("## Imports\n\nRun this cell first.", "## Imports\n\nExécutez d'abord cette cellule."),
    code(
        team_imports(
            "from vxkit.views import measuring_times",
            "from vxkit.widgets import DataContribution, ExchangeMap, observations, "
            "observations_chart",
        )
    ),
    md("## Who is in our team?", "## Qui fait partie de notre équipe ?"),
    team_members(),
    md(
        "## Our protocol\n\n"
        f"{WMO_EN}\n\n"
        "Write your team's protocol here before the first measurement: where, how high, at "
        "what time, with what thermometer, who reads it.",
        "## Notre protocole\n\n"
        f"{WMO_FR}\n\n"
        "Écrivez ici le protocole de votre équipe avant la première mesure : où, à quelle "
        "hauteur, à quelle heure, avec quel thermomètre, qui le lit.",
    ),
    md("*Our protocol:*", "*Notre protocole :*"),
    md(
        "## When do we measure?\n\n"
        "We measure when the Sun is highest: at **solar noon**. It is rarely 12:00 on the "
        "clock. Clocks follow a time zone (and summer time), the Sun follows the longitude: "
        "solar noon comes 4 minutes earlier for each degree further east. And because the "
        "Earth's orbit is an ellipse and its axis is tilted, solar noon also moves by up to a "
        "quarter of an hour across the year (the *equation of time*).\n\n"
        "The table gives each school's solar noon, in its own clock time, on the first and the "
        "last day of the two weeks, computed from the school's longitude and time zone in "
        "`exchange.toml`. Measure at that time (a few minutes either way is fine).",
        "## Quand mesurons-nous ?\n\n"
        "Nous mesurons quand le Soleil est au plus haut : au **midi solaire**. Il tombe "
        "rarement à 12 h pile à l'horloge. Les horloges suivent un fuseau horaire (et l'heure "
        "d'été), le Soleil suit la longitude : le midi solaire arrive 4 minutes plus tôt pour "
        "chaque degré plus à l'est. Et comme l'orbite de la Terre est une ellipse et que son axe "
        "est incliné, le midi solaire se déplace aussi de presque un quart d'heure au fil de "
        "l'année (l'*équation du temps*).\n\n"
        "Le tableau donne le midi solaire de chaque école, à l'heure de son horloge, le premier "
        "et le dernier jour des deux semaines, calculé d'après la longitude et le fuseau "
        "horaire de l'école dans `exchange.toml`. Mesurez à cette heure-là (quelques minutes "
        "d'écart, ce n'est pas grave).",
    ),
    code("measuring_times(classes, days=14, locale=LOCALE)"),
    md(
        "## Enter today's measurement\n\n"
        "One student per class enters the day's value: choose *Air temperature at noon*, type "
        "the number and the day, then *Add observation*. To correct a value, enter it again "
        "for the same day: the last one counts.",
        "## Saisir la mesure du jour\n\n"
        "Un élève par classe saisit la valeur du jour : choisissez *Température de l'air à "
        "midi*, tapez le nombre et le jour, puis *Ajouter l'observation*. Pour corriger une "
        "valeur, saisissez-la de nouveau pour le même jour : c'est la dernière qui compte.",
    ),
    code("contribution = DataContribution(locale=LOCALE)\ncontribution"),
    md(
        "## Compare our measurements\n\n"
        "For each class: how many noon temperatures, their mean, lowest and highest, then the "
        "two series day by day, side by side. Before the first measurements the table is "
        "empty.",
        "## Comparer nos mesures\n\n"
        "Pour chaque classe : combien de températures à midi, leur moyenne, la plus basse et la "
        "plus haute, puis les deux séries jour par jour, côte à côte. Avant les premières "
        "mesures, le tableau est vide.",
    ),
    code(
        """
noon = observations(contribution.path, "temperature")
noon.groupby("class_id")["value"].describe().round(1)
"""
    ),
    code("observations_chart(noon, classes, locale=LOCALE)"),
    md(
        "## On the map\n\n"
        "Your schools, coloured by their mean noon temperature: click one to see its local "
        "time and its mean.",
        "## Sur la carte\n\n"
        "Vos écoles, colorées selon leur température moyenne à midi : cliquez sur l'une "
        "d'elles pour voir son heure locale et sa moyenne.",
    ),
    code("ExchangeMap(exchange, locale=LOCALE, observations=noon)"),
    *class_findings(
        "Describe your series: the warmest and coldest days, anything unusual, and what "
        "might have gone wrong in the measuring. What season is it for you?",
        "Décrivez votre série : le jour le plus chaud et le plus froid, ce qui est inhabituel, "
        "et ce qui a pu mal se passer pendant les mesures. Quelle saison est-ce chez vous ?",
        LANG,
    ),
    *joint_conclusion(
        "What is different between our places, and why (season, hemisphere, altitude, the "
        "sea)? Were our measurements really comparable?",
        "Qu'est-ce qui diffère entre nos lieux, et pourquoi (saison, hémisphère, altitude, la "
        "mer) ? Nos mesures étaient-elles vraiment comparables ?",
        LANG,
    ),
    md(
        "## Summary\n\n"
        "You produced data yourselves, with a shared protocol, and compared it across "
        "countries. Differences come from the places, but also from how the data were made.",
        "## Résumé\n\n"
        "Vous avez produit vous-mêmes des données, avec un protocole commun, et les avez "
        "comparées d'un pays à l'autre. Les différences viennent des lieux, mais aussi de la "
        "façon dont les données ont été produites.",
    ),
    md(RESOURCES_EN, RESOURCES_FR),
]

INDIVIDUAL = [
    md(
        "# Our local data (individual work)\n\n"
        "This notebook is yours alone. The code exercises are checked automatically; your "
        "teacher reads the two reflections.",
        "# Nos données locales (travail individuel)\n\n"
        "Ce notebook est à vous seul. Les exercices de code sont vérifiés automatiquement ; "
        "votre enseignant lit les deux réflexions.",
    ),
    md(
        "## Overview\n\n"
        "Real measurements have mistakes and gaps. You will clean a small data set, then "
        "compare two classes. The data here are **invented for practice**: two classes measured "
        "the noon temperature for ten school days in January, one in the northern hemisphere "
        "(winter) and one in the southern hemisphere (summer).\n\n"
        "Points: 5 code exercises (10 points) and 2 reflections (6 points).",
        "## Aperçu\n\n"
        "Les vraies mesures contiennent des erreurs et des trous. Vous allez nettoyer un petit "
        "jeu de données, puis comparer deux classes. Les données sont **inventées pour "
        "l'entraînement** : deux classes ont mesuré la température à midi pendant dix jours de "
        "cours en janvier, l'une dans l'hémisphère nord (l'hiver), l'autre dans l'hémisphère sud "
        "(l'été).\n\n"
        "Points : 5 exercices de code (10 points) et 2 réflexions (6 points).",
    ),
    md(
        "## Prerequisites\n\n"
        "- pandas: filtering, `.mean()`, `.idxmax()`, `.dropna()`, `.pivot()`.\n"
        "- Replace `raise NotImplementedError()` with your code and run the test cell below it.",
        "## Prérequis\n\n"
        "- pandas : filtres, `.mean()`, `.idxmax()`, `.dropna()`, `.pivot()`.\n"
        "- Remplacez `raise NotImplementedError()` par votre code et exécutez la cellule de test "
        "en dessous.",
    ),
    md(
        "## Imports\n\n"
        "The table `raw`: `class_id`, `date` and `temperature_c` (degrees Celsius). Look at it: "
        "do you see the two problems?",
        "## Imports\n\n"
        "Le tableau `raw` : `class_id`, `date` et `temperature_c` (en degrés Celsius). "
        "Regardez-le : voyez-vous les deux problèmes ?",
    ),
    code(
        """
import numbers
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pandas as pd

from vxkit.solar import equation_of_time
from vxkit.views import notebook_classes

# Your class and your partner class, from your exchange
MINE, partners = notebook_classes()
PARTNER = partners[0] if partners else MINE
print(PARTNER.city, PARTNER.longitude, PARTNER.timezone)

raw = pd.read_csv("data/example_measurements.csv")
raw
"""
    ),
    md(
        "## 1. Clean the data\n\n"
        "Write `clean(df)`: a new table without the rows whose temperature is missing or "
        "impossible (below -60 °C or above 60 °C; -60 and 60 themselves are possible), with the "
        "same columns. Do not change `df` itself.",
        "## 1. Nettoyer les données\n\n"
        "Écrivez `clean(df)` : un nouveau tableau sans les lignes dont la température manque "
        "ou est impossible (en dessous de -60 °C ou au-dessus de 60 °C ; -60 et 60 sont "
        "possibles), avec les mêmes colonnes. Ne modifiez pas `df`.",
    ),
    answer(
        "clean",
        '''
def clean(df):
    """The rows of df with a possible temperature (-60 to 60 degrees C)."""
    ### BEGIN SOLUTION
    ok = df["temperature_c"].between(-60, 60)
    return df[ok].copy()
    ### END SOLUTION
''',
        returns="table",
        accept=[
            """
def clean(df):
    return df.dropna().query("-60 <= temperature_c <= 60")
""",
            """
def clean(df):
    t = df["temperature_c"]
    return df[(t >= -60) & (t <= 60)].reset_index(drop=True)
""",
            """
def clean(df):
    keep = [i for i, t in df["temperature_c"].items() if -60 <= t <= 60]
    return df.loc[keep]
""",
        ],
        mistakes=[
            Mistake(
                "dropping the missing values but keeping the impossible 250",
                """
def clean(df):
    return df.dropna()
""",
            ),
            Mistake(
                "changing the original table in place",
                """
def clean(df):
    df.drop(df.index[~df["temperature_c"].between(-60, 60)], inplace=True)
    return df
""",
            ),
            Mistake(
                "removing the possible extremes -60 and 60 too (`<` for `<=`)",
                """
def clean(df):
    return df[(df["temperature_c"] > -60) & (df["temperature_c"] < 60)]
""",
            ),
        ],
    ),
    *checks(
        "clean",
        """
cleaned = clean(raw)
assert isinstance(cleaned, pd.DataFrame), "clean should return a table (a DataFrame)"
assert list(cleaned.columns) == list(raw.columns), "the cleaned table keeps the same columns"
assert len(raw) == 20, "clean must not change the original table"
""",
        """
cleaned = clean(raw)
### BEGIN HIDDEN TESTS
assert len(cleaned) == 18, "clean should remove the missing value and the 250"
assert cleaned["temperature_c"].notna().all(), "missing values are removed"
assert cleaned["temperature_c"].max() <= 60, "impossible values are removed"
# Rows on the boundaries: -60 and 60 are possible, -61 and 61 are not.
extra = pd.DataFrame({"class_id": ["x"] * 4, "date": ["d1", "d2", "d3", "d4"], "temperature_c": [-60.0, -61, 60, 61]})
assert sorted(clean(extra)["temperature_c"]) == [-60, 60], "-60 and 60 are possible, -61 and 61 are not"
### END HIDDEN TESTS
""",
    ),
    md(
        "## 2. The mean of a class\n\n"
        "Write `class_mean(df, class_id)`: the mean temperature of one class in the table "
        f"`df`, as a number accepted {precision('en', 1)}. Use it on the cleaned table.",
        "## 2. La moyenne d'une classe\n\n"
        "Écrivez `class_mean(df, class_id)` : la température moyenne d'une classe dans le "
        f"tableau `df`, sous forme de nombre accepté {precision(LANG, 1)}. Utilisez-la sur le "
        "tableau nettoyé.",
    ),
    answer(
        "class_mean",
        '''
def class_mean(df, class_id):
    """The mean temperature measured by one class."""
    ### BEGIN SOLUTION
    return float(df[df["class_id"] == class_id]["temperature_c"].mean())
    ### END SOLUTION
''',
        returns="number",
        decimals=1,
        accept=[
            """
def class_mean(df, class_id):
    return df.groupby("class_id")["temperature_c"].mean()[class_id]
""",
            """
def class_mean(df, class_id):
    values = df.loc[df["class_id"] == class_id, "temperature_c"].dropna().tolist()
    return round(sum(values) / len(values), 1)
""",
        ],
        mistakes=[
            Mistake(
                "computing the mean on the raw table, before cleaning",
                """
def class_mean(df, class_id):
    return raw[raw["class_id"] == class_id]["temperature_c"].mean()
""",
            ),
            Mistake(
                "the mean of every class together",
                """
def class_mean(df, class_id):
    return df["temperature_c"].mean()
""",
            ),
        ],
    ),
    *checks(
        "class_mean",
        """
assert isinstance(class_mean(clean(raw), "class_a"), numbers.Real), "class_mean should return a number"
""",
        """
winter = class_mean(clean(raw), "class_a")
### BEGIN HIDDEN TESTS
assert abs(class_mean(clean(raw), "class_a") - 44 / 9) <= 0.05 + 1e-9, "class_mean gives a wrong value for class_a"
assert abs(class_mean(clean(raw), "class_b") - 192.5 / 9) <= 0.05 + 1e-9, "class_mean gives a wrong value for class_b"
### END HIDDEN TESTS
""",
    ),
    md(
        "## 3. The warmest day\n\n"
        'Write `warmest_day(df, class_id)`: the date (text like `"2027-01-14"`) of the '
        "warmest measurement of one class.",
        "## 3. Le jour le plus chaud\n\n"
        'Écrivez `warmest_day(df, class_id)` : la date (un texte comme `"2027-01-14"`) de la '
        "mesure la plus chaude d'une classe.",
    ),
    answer(
        "warmest_day",
        '''
def warmest_day(df, class_id):
    """The date of the highest temperature of one class."""
    ### BEGIN SOLUTION
    rows = df[df["class_id"] == class_id]
    return rows.loc[rows["temperature_c"].idxmax(), "date"]
    ### END SOLUTION
''',
        returns="text",
        accept=[
            """
def warmest_day(df, class_id):
    rows = df[df["class_id"] == class_id].sort_values("temperature_c", ascending=False)
    return rows["date"].iloc[0]
""",
            """
def warmest_day(df, class_id):
    return df.query("class_id == @class_id").set_index("date")["temperature_c"].idxmax()
""",
            """
def warmest_day(df, class_id):
    best = None
    for row in df[df["class_id"] == class_id].itertuples():
        if best is None or row.temperature_c > best.temperature_c:
            best = row
    return str(best.date)
""",
        ],
        mistakes=[
            Mistake(
                "returning the highest temperature instead of its date",
                """
def warmest_day(df, class_id):
    return df[df["class_id"] == class_id]["temperature_c"].max()
""",
            ),
            Mistake(
                "the warmest day of every class together (no class filter)",
                """
def warmest_day(df, class_id):
    return df.loc[df["temperature_c"].idxmax(), "date"]
""",
            ),
        ],
    ),
    *checks(
        "warmest_day",
        """
day = warmest_day(clean(raw), "class_a")
assert isinstance(day, str), "return the date as text"
assert re.fullmatch(r"\\d{4}-\\d{2}-\\d{2}", day), "write the date as in the table: YYYY-MM-DD"
""",
        """
day = warmest_day(clean(raw), "class_a")
### BEGIN HIDDEN TESTS
assert warmest_day(clean(raw), "class_a") == "2027-01-21", "class_a's warmest day was 21 January"
assert warmest_day(clean(raw), "class_b") == "2027-01-18", "class_b's warmest day was 18 January"
### END HIDDEN TESTS
""",
    ),
    md(
        "## 4. Day by day\n\n"
        "Write `daily_difference(df, a, b)`: a pandas Series indexed by date (the text of the "
        "table), with the temperature of class `a` minus that of class `b`, only for the days "
        f"both classes measured; values accepted {precision('en', 1)}.\n\n"
        'Hint: `df.pivot(index="date", columns="class_id", values="temperature_c")`, then '
        "`.dropna()`.",
        "## 4. Jour après jour\n\n"
        "Écrivez `daily_difference(df, a, b)` : une Series pandas indexée par la date (le texte "
        "du tableau), avec la température de la classe `a` moins celle de la classe `b`, "
        "seulement pour les jours où les deux classes ont mesuré ; valeurs acceptées "
        f"{precision(LANG, 1)}.\n\n"
        'Indice : `df.pivot(index="date", columns="class_id", values="temperature_c")`, puis '
        "`.dropna()`.",
    ),
    answer(
        "daily_difference",
        '''
def daily_difference(df, a, b):
    """Temperature of class a minus class b, for each day both measured."""
    ### BEGIN SOLUTION
    table = df.pivot(index="date", columns="class_id", values="temperature_c").dropna()
    return table[a] - table[b]
    ### END SOLUTION
''',
        returns="series",
        accept=[
            """
def daily_difference(df, a, b):
    first = df[df["class_id"] == a].set_index("date")["temperature_c"]
    second = df[df["class_id"] == b].set_index("date")["temperature_c"]
    return (first - second).dropna()
""",
            """
def daily_difference(df, a, b):
    both = df[df["class_id"] == a].merge(df[df["class_id"] == b], on="date")
    return (both["temperature_c_x"] - both["temperature_c_y"]).set_axis(both["date"]).round(1)
""",
        ],
        mistakes=[
            Mistake(
                "the difference the wrong way round (b minus a)",
                """
def daily_difference(df, a, b):
    table = df.pivot(index="date", columns="class_id", values="temperature_c").dropna()
    return table[b] - table[a]
""",
            ),
            Mistake(
                "keeping the days only one class measured",
                """
def daily_difference(df, a, b):
    table = df.pivot(index="date", columns="class_id", values="temperature_c")
    return table[a] - table[b]
""",
            ),
        ],
    ),
    *checks(
        "daily_difference",
        """
diff = daily_difference(clean(raw), "class_b", "class_a")
assert isinstance(diff, pd.Series), "return a pandas Series"
assert all(isinstance(day, str) for day in diff.index), "the index is the date, as text"
assert all(re.fullmatch(r"\\d{4}-\\d{2}-\\d{2}", day) for day in diff.index), "dates are written YYYY-MM-DD"
""",
        """
diff = daily_difference(clean(raw), "class_b", "class_a")
### BEGIN HIDDEN TESTS
assert len(diff) == 8, "keep only the 8 days both classes measured"
assert "2027-01-13" not in diff.index and "2027-01-15" not in diff.index, "days one class did not measure are left out"
assert abs(diff["2027-01-11"] - 17.5) <= 0.05 + 1e-9, "class_b minus class_a on 11 January is 17.5"
other_way = daily_difference(clean(raw), "class_a", "class_b")
assert abs(other_way["2027-01-22"] + 15.5) <= 0.05 + 1e-9, "a minus b: class_a minus class_b on 22 January is -15.5"
### END HIDDEN TESTS
""",
    ),
    *partner_task(
        "partner_noon",
        (
            "## 5. When is noon at your partners' school?\n\n"
            "Your partners measure when the Sun is highest: at **solar noon**. At longitude 0, "
            "solar noon comes at 12:00 UTC minus the *equation of time* (in minutes: how far a "
            "sundial is ahead of the clock that day; `equation_of_time(DAY)` gives it). Each "
            "degree further east brings it 4 minutes earlier, so, in hours:\n\n"
            "`solar noon (UTC) = 12 - longitude / 15 - equation of time / 60`\n\n"
            "Set `DAY` to `date(2027, 3, 15)`, then `partner_noon` to the solar noon of your partner "
            "school (`PARTNER.longitude`, `PARTNER.timezone`) on that day, **in the clock time "
            "of its town**, in hours (13.5 means 13:30), as a number accepted "
            f"{precision('en', 2)}.\n\n"
            "Hint: `ZoneInfo(PARTNER.timezone).utcoffset(datetime(2027, 3, 15, 12))` is how "
            "far the partners' clocks are ahead of UTC that day; `.total_seconds() / 3600` "
            "turns it into hours.",
            "## 5. À quelle heure est midi chez vos partenaires ?\n\n"
            "Vos partenaires mesurent quand le Soleil est au plus haut : au **midi solaire**. À "
            "la longitude 0, le midi solaire arrive à 12 h UTC moins l'*équation du temps* (en "
            "minutes : l'avance d'un cadran solaire sur l'horloge ce jour-là ; "
            "`equation_of_time(DAY)` la donne). Chaque degré plus à l'est l'avance de 4 "
            "minutes, donc, en heures :\n\n"
            "`midi solaire (UTC) = 12 - longitude / 15 - équation du temps / 60`\n\n"
            "Mettez `date(2027, 3, 15)` dans `DAY`, puis dans `partner_noon` le midi solaire de "
            "l'école partenaire (`PARTNER.longitude`, `PARTNER.timezone`) ce jour-là, **à "
            "l'heure des horloges de sa ville**, en heures (13,5 veut dire 13 h 30), sous forme "
            f"de nombre accepté {precision(LANG, 2)}.\n\n"
            "Indice : `ZoneInfo(PARTNER.timezone).utcoffset(datetime(2027, 3, 15, 12))` donne "
            "l'avance des horloges de vos partenaires sur l'heure UTC ce jour-là ; "
            "`.total_seconds() / 3600` la convertit en heures.",
        ),
        """
DAY = date(2027, 3, 15)
offset = ZoneInfo(PARTNER.timezone).utcoffset(datetime(2027, 3, 15, 12)).total_seconds() / 3600
partner_noon = 12 - PARTNER.longitude / 15 - equation_of_time(DAY) / 60 + offset
""",
        partner="notebook_classes()[1][0]",
        decimals=2,
        expected="""
offset = ZoneInfo(partner.timezone).utcoffset(datetime(2027, 3, 15, 12)).total_seconds() / 3600
expected = 12 - partner.longitude / 15 - equation_of_time(date(2027, 3, 15)) / 60 + offset
""",
        message="partner_noon is your partner school's solar noon on 15 March 2027, in the "
        "clock time of its town, in hours",
        accept=[
            """
from vxkit.solar import solar_noon

noon = solar_noon(PARTNER.longitude, PARTNER.timezone, date(2027, 3, 15))
partner_noon = noon.hour + noon.minute / 60 + noon.second / 3600
""",
            """
from datetime import timedelta, timezone

DAY = date(2027, 3, 15)
minutes = 720 - 4 * PARTNER.longitude - equation_of_time(DAY)
utc = datetime(2027, 3, 15, tzinfo=timezone.utc) + timedelta(minutes=minutes)
local = utc.astimezone(ZoneInfo(PARTNER.timezone))
partner_noon = round(local.hour + local.minute / 60 + local.second / 3600, 2)
""",
        ],
        mistakes=[
            Mistake(
                "the longitude the wrong way round (east makes solar noon earlier)",
                """
DAY = date(2027, 3, 15)
offset = ZoneInfo(PARTNER.timezone).utcoffset(datetime(2027, 3, 15, 12)).total_seconds() / 3600
partner_noon = 12 + PARTNER.longitude / 15 - equation_of_time(DAY) / 60 + offset
""",
            ),
            Mistake(
                "leaving out the equation of time (a quarter of an hour in some months)",
                """
offset = ZoneInfo(PARTNER.timezone).utcoffset(datetime(2027, 3, 15, 12)).total_seconds() / 3600
partner_noon = 12 - PARTNER.longitude / 15 + offset
""",
            ),
            Mistake(
                "solar noon in UTC, not in the clock time of the partners' town",
                """
DAY = date(2027, 3, 15)
partner_noon = 12 - PARTNER.longitude / 15 - equation_of_time(DAY) / 60
""",
            ),
            Mistake(
                "one's own school's solar noon instead of the partner school's",
                """
DAY = date(2027, 3, 15)
offset = ZoneInfo(MINE.timezone).utcoffset(datetime(2027, 3, 15, 12)).total_seconds() / 3600
partner_noon = 12 - MINE.longitude / 15 - equation_of_time(DAY) / 60 + offset
""",
            ),
        ],
    ),
    md(
        "## Reflections\n\nWrite in English or in French, in full sentences.",
        "## Réflexions\n\nÉcrivez en anglais ou en français, avec des phrases complètes.",
    ),
    readonly(
        "### Reflection 1: were we measuring the same thing? (3 points)\n\n"
        "Think of your team's real measurements. Name two things that could make the two "
        "classes' numbers not comparable, and how your protocol could prevent them.\n\n"
        "**Rubric** (3 points)\n"
        "- 1 point: two concrete sources of difference (sun or shade, height, time, instrument, "
        "rounding, missed days...).\n"
        "- 1 point: a fix for each.\n"
        "- 1 point: links it to the cleaning done in this notebook.",
        "### Réflexion 1 : mesurions-nous la même chose ? (3 points)\n\n"
        "Pensez aux vraies mesures de votre équipe. Citez deux choses qui pourraient rendre les "
        "chiffres des deux classes non comparables, et comment votre protocole pourrait les "
        "éviter.\n\n"
        "**Grille** (3 points)\n"
        "- 1 point : deux sources concrètes de différence (soleil ou ombre, hauteur, heure, "
        "instrument, arrondi, jours manqués...).\n"
        "- 1 point : une solution pour chacune.\n"
        "- 1 point : fait le lien avec le nettoyage fait dans ce notebook.",
        "reflection_comparable_question",
    ),
    reflection("reflection_comparable", 3, "Write your answer here.", "Écrivez votre réponse ici."),
    readonly(
        "### Reflection 2: their everyday weather (3 points)\n\n"
        "What did your partners' measurements teach you about their daily life (clothes, "
        "school breaks outside, the season)? Ask them one question about it and write their "
        "answer (first names only).\n\n"
        "**Rubric** (3 points)\n"
        "- 1 point: a fact from the partners' data, with its number and date.\n"
        "- 1 point: a link to daily life, checked with the partners (their answer is quoted).\n"
        "- 1 point: curious and respectful tone.",
        "### Réflexion 2 : leur météo de tous les jours (3 points)\n\n"
        "Qu'est-ce que les mesures de vos partenaires vous ont appris sur leur vie quotidienne "
        "(vêtements, récréations dehors, la saison) ? Posez-leur une question à ce sujet et "
        "écrivez leur réponse (prénoms seulement).\n\n"
        "**Grille** (3 points)\n"
        "- 1 point : un fait tiré des données des partenaires, avec sa valeur et sa date.\n"
        "- 1 point : un lien avec la vie quotidienne, vérifié auprès des partenaires (leur "
        "réponse est citée).\n"
        "- 1 point : un ton curieux et respectueux.",
        "reflection_everyday_question",
    ),
    reflection("reflection_everyday", 3, "Write your answer here.", "Écrivez votre réponse ici."),
    md(
        "## Summary\n\n"
        "You removed impossible and missing values, computed means, found a maximum and "
        "compared two series day by day. Cleaning comes first: one typing mistake (250 instead "
        "of 2.5) would have changed the mean of class A by more than 20 degrees.",
        "## Résumé\n\n"
        "Vous avez retiré des valeurs impossibles et manquantes, calculé des moyennes, trouvé un "
        "maximum et comparé deux séries jour par jour. Le nettoyage vient d'abord : une seule "
        "faute de frappe (250 au lieu de 2,5) aurait changé la moyenne de la classe A de plus de "
        "20 degrés.",
    ),
    md(RESOURCES_EN, RESOURCES_FR),
]

GUIDE = """
# Teacher guide: Our local data

**Unit id:** `local_data` · **SDG 4** (Quality education, target 4.7: global citizenship) and
**SDG 13** (Climate action: observing the weather) · **Ages** 12-18 · **Time** 10 minutes a day
for two weeks, then about 2 hours · **Phase:** exchange (the classes' own data).

## Goals
- Classes agree on a common measuring protocol and produce data themselves.
- Students clean data (missing and impossible values) before they compute anything.
- They compare series across hemispheres and explain differences by place and by method.

## Timing across the exchange phases
| phase | when | what |
|---|---|---|
| plan | week 0, live or in the notebook | The team writes its protocol in the team notebook. |
| exchange | weeks 1-2, daily (own class) | One student per class enters the day's value with the contribution widget (5-10 minutes). |
| exchange | week 2 (own class) | Individual notebook on the practice data, 45 minutes. |
| live session | week 3 | Compare, chart and map; joint conclusion. |

## Running the live session across time zones
- Each class measures at its school's solar noon, the time the team notebook's table "When do
  we measure?" gives in the school's own clock time (computed with `vxkit.solar` from the
  longitude and time zone in `exchange.toml`). It is rarely 12:00: for the demo exchange's
  schools on 11 January 2027 it is {demo_noons}. The measurements are
  not taken at the same moment, but at the same height of the Sun: make this explicit; it is
  part of the lesson (and of the protocol).
- Schools' holidays differ (see `exchange.toml`): gaps in the series are expected and
  discussed, not filled in.
- If the live slot is short, each class prepares its chart and one question beforehand.
- Other measurements that work: rainfall with a home-made gauge, minutes to get to school,
  noise level with a phone app, hours of daylight. Keep one shared unit and protocol.

## Discussion prompts
- Why is your partner's January so different from yours?
- Which of our measurements would you trust least, and why?
- What would a weather service do differently (see the WMO guide)?

## How to grade
- Autograded (10 points): `clean`, `class_mean`, `warmest_day`, `daily_difference`, 2 points
  each, on invented practice data (the same for every student), and `partner_noon`, the
  partner school's solar noon on 15 March 2027 in its own clock time, graded on the partner
  class's coordinates and time zone read again from `exchange.toml`.
- Manually graded (6 points): two reflections on the team's real data; rubrics above each
  answer cell. Reflection 2 asks students to quote their partners (first names only).

## What students typically get wrong
- Computing the mean before cleaning (the 250 typo makes class A look tropical).
- Comparing noon in Lyon with noon in Valparaíso as if it were the same moment, or measuring
  at 12:00 on the clock instead of at solar noon.

## Sources
- WMO, *Guide to Instruments and Methods of Observation* (WMO-No. 8), Volume I,
  chapter 2: air temperature measured at 1.25-2 m above ground, shielded from the sun.
- The practice data of the individual notebook are invented by the vxkit authors.
- SDG 4 and SDG 13: https://sdgs.un.org/goals
"""


def demo_noons() -> str:
    """Each demo school's solar noon on 11 January 2027, in its clock time, for the guide."""
    from datetime import date

    from vxkit.exchange import parse_exchange, tomllib
    from vxkit.solar import solar_noon
    from vxkit.workspace import template_text

    demo = parse_exchange(tomllib.loads(template_text("demo_exchange.toml")), "demo")
    times = [
        f"{c.city} {solar_noon(c.longitude, c.timezone, date(2027, 1, 11)):%H:%M}"
        for c in demo.classes
        if c.longitude is not None
    ]
    return ", ".join(times)


GUIDE = GUIDE.replace("{demo_noons}", demo_noons())

MESSAGES = {
    "clean should return a table (a DataFrame)": {
        "fr": "clean doit renvoyer un tableau (un DataFrame)"
    },
    "the cleaned table keeps the same columns": {
        "fr": "le tableau nettoyé garde les mêmes colonnes"
    },
    "clean must not change the original table": {
        "fr": "clean ne doit pas modifier le tableau d'origine"
    },
    "clean should remove the missing value and the 250": {
        "fr": "clean doit enlever la valeur manquante et le 250"
    },
    "missing values are removed": {"fr": "les valeurs manquantes sont enlevées"},
    "impossible values are removed": {"fr": "les valeurs impossibles sont enlevées"},
    "Rows on the boundaries: -60 and 60 are possible, -61 and 61 are not.": {
        "fr": "Des lignes aux limites : -60 et 60 sont possibles, -61 et 61 non."
    },
    "-60 and 60 are possible, -61 and 61 are not": {
        "fr": "-60 et 60 sont possibles, -61 et 61 non"
    },
    "class_mean should return a number": {"fr": "class_mean doit renvoyer un nombre"},
    "class_mean gives a wrong value for class_a": {
        "fr": "class_mean donne une valeur fausse pour class_a"
    },
    "class_mean gives a wrong value for class_b": {
        "fr": "class_mean donne une valeur fausse pour class_b"
    },
    "return the date as text": {"fr": "renvoyez la date sous forme de texte"},
    "write the date as in the table: YYYY-MM-DD": {
        "fr": "écrivez la date comme dans le tableau : AAAA-MM-JJ"
    },
    "class_a's warmest day was 21 January": {
        "fr": "le jour le plus chaud de class_a était le 21 janvier"
    },
    "class_b's warmest day was 18 January": {
        "fr": "le jour le plus chaud de class_b était le 18 janvier"
    },
    "return a pandas Series": {"fr": "renvoyez une Series pandas"},
    "the index is the date, as text": {"fr": "l'index est la date, sous forme de texte"},
    "dates are written YYYY-MM-DD": {"fr": "les dates s'écrivent AAAA-MM-JJ"},
    "keep only the 8 days both classes measured": {
        "fr": "ne gardez que les 8 jours où les deux classes ont mesuré"
    },
    "days one class did not measure are left out": {
        "fr": "les jours où une classe n'a pas mesuré sont laissés de côté"
    },
    "class_b minus class_a on 11 January is 17.5": {
        "fr": "class_b moins class_a le 11 janvier donne 17,5"
    },
    "a minus b: class_a minus class_b on 22 January is -15.5": {
        "fr": "a moins b : class_a moins class_b le 22 janvier donne -15,5"
    },
    "Your class and your partner class, from your exchange": {
        "fr": "Votre classe et votre classe partenaire, d'après votre échange"
    },
    "partner_noon should be a number": {"fr": "partner_noon doit être un nombre"},
    "partner_noon is your partner school's solar noon on 15 March 2027, in the clock time of its town, in hours": {
        "fr": "partner_noon est le midi solaire de l'école partenaire le 15 mars 2027, à l'heure des horloges de sa ville, en heures"
    },
}

UNIT = Unit(
    id="local_data",
    lang=LANG,
    meta={
        "title": "Our local data",
        "sdg": 4,
        "ages": "12-18",
        "hours": 4,
        "phase": "exchange",
        "skills": ["measuring with a protocol", "cleaning data", "comparing series", "mapping"],
    },
    team=TEAM,
    individual=INDIVIDUAL,
    guide=GUIDE,
    comments=comments(LANG, MESSAGES),
    extra={"data/example_measurements.csv": example_csv()},
)
