"""Extension tasks for 16-18 year olds, at the end of the data units' graded notebooks.

One strand across four units, kept in one file: the same shape everywhere (a question, a code
cell that runs as it is, an answer cell; ungraded), one place to review the level, and the
units' own files stay as they are (``nbbuild.load_unit`` adds these cells before the Summary
and their comments to the unit's table). Texts are English and the unit's partner language,
as in the unit; the third language is in the catalogue like the rest of the unit. The code
uses what the notebook's Imports cell loaded, so it runs whether or not the exercises above
are done, except in ``local_data``, which builds on the student's own ``clean`` (exercise 1):
the cleaning rule is that exercise's answer, and the extension must not give it away.
"""

from __future__ import annotations

import dataclasses

from nbbuild import Cell, Unit, extension


@dataclasses.dataclass
class Extensions:
    """A unit's extension tasks and the translations of their code comments."""

    cells: list[Cell]
    comments: dict[str, str]  # English -> the unit's partner language


CLIMATE = Extensions(
    extension(
        "extension_trend",
        (
            "## Extension (16-18): the trend since 1990\n\n"
            "Not graded: for those who want more. A straight line through points shows a "
            "trend. `np.polyfit(x, y, 1)` finds the line closest to the points and returns its "
            "slope (here in tonnes of CO₂ per person **per year**) and its intercept. The cell "
            "below fits a line to your country's values from 1990 to 2012.\n\n"
            "1. Fit the same line for `PARTNER`. Whose emissions per person fell (or rose) "
            "faster?\n"
            "2. Use your country's line to estimate 2030: `slope * 2030 + intercept`.\n"
            "3. How far would you trust that estimate? Give two reasons why the real value "
            "could be quite different.",
            "## Extensión (16-18): la tendencia desde 1990\n\n"
            "No se califica: para quien quiera ir más lejos. Una línea recta entre los puntos "
            "muestra una tendencia. `np.polyfit(x, y, 1)` encuentra la recta más cercana a los "
            "puntos y devuelve su pendiente (aquí en toneladas de CO₂ por persona **por año**) "
            "y su ordenada en el origen. La celda de abajo ajusta una recta a los valores de tu "
            "país de 1990 a 2012.\n\n"
            "1. Ajusta la misma recta para `PARTNER`. ¿En qué país bajaron (o subieron) más "
            "rápido las emisiones por persona?\n"
            "2. Usa la recta de tu país para estimar el valor de 2030: `slope * 2030 + intercept`.\n"
            "3. ¿Cuánto confiarías en esa estimación? Da dos razones por las que el valor real "
            "podría ser bastante distinto.",
        ),
        """
# Your country's values from 1990 to 2012
recent = co2[(co2["iso3"] == MINE) & (co2["year"] >= 1990)]
# The straight line closest to the points: its slope and its intercept
slope, intercept = np.polyfit(recent["year"], recent["value"], 1)
print(MINE, round(slope, 3))
""",
        (
            "*Your answer: the two slopes with their unit, your estimate for 2030, and how far "
            "you trust it.*",
            "*Tu respuesta: las dos pendientes con su unidad, tu estimación para 2030 y cuánto "
            "confías en ella.*",
        ),
        guide="`np.polyfit` fits a straight line to CO₂ per person since 1990 in the partner "
        "countries; students compare the slopes and extrapolate to 2030. In these data France's "
        "slope is about -0.07 and Chile's about +0.10 tonnes per person per year. A good answer "
        "gives both slopes with their unit and two reasons for doubt: a line assumes steady "
        "change, the data end in 2012, and policies, crises and new energy bend curves.",
    ),
    {
        "Your country's values from 1990 to 2012": "Los valores de tu país de 1990 a 2012",
        "The straight line closest to the points: its slope and its intercept": (
            "La recta más cercana a los puntos: su pendiente y su ordenada en el origen"
        ),
    },
)

HEALTH = Extensions(
    extension(
        "extension_log_scale",
        (
            "## Extension (16-18): richer, and healthier?\n\n"
            "Not graded: for those who want more. Each step of `np.log10` is ten times richer "
            "(1,000 dollars is 3, 10,000 is 4), and life expectancy grows roughly in a straight "
            "line with it. The cell below computes the correlation `r` between the two across "
            "the countries in 2007 (1: a perfect rising line, 0: no link).\n\n"
            "1. Fit a line with `np.polyfit(x, y, 1)`: how many years of life expectancy go "
            "with each tenfold rise in income?\n"
            "2. Find two countries well above the line and two well below (compare `y` with "
            "`slope * x + intercept`). What, other than money, might explain them?\n"
            "3. Does a strong `r` prove that money makes people live longer? Explain in two or "
            "three sentences.",
            "## Pour aller plus loin (16-18 ans) : plus riche, et en meilleure santé ?\n\n"
            "Non noté : pour celles et ceux qui veulent aller plus loin. Chaque pas de "
            "`np.log10` correspond à un revenu dix fois plus grand (1 000 dollars donnent 3, "
            "10 000 donnent 4), et l'espérance de vie augmente à peu près en ligne droite avec "
            "lui. La cellule ci-dessous calcule la corrélation `r` entre les deux sur les pays "
            "en 2007 (1 : une droite montante parfaite, 0 : aucun lien).\n\n"
            "1. Ajustez une droite avec `np.polyfit(x, y, 1)` : à combien d'années "
            "d'espérance de vie en plus correspond chaque multiplication du revenu par dix ?\n"
            "2. Trouvez deux pays bien au-dessus de la droite et deux bien en dessous "
            "(comparez `y` à `slope * x + intercept`). Qu'est-ce qui, à part l'argent, "
            "pourrait les expliquer ?\n"
            "3. Un `r` élevé prouve-t-il que l'argent fait vivre plus longtemps ? Expliquez en "
            "deux ou trois phrases.",
        ),
        """
# Every country with both values in 2007
y2007 = both[both["year"] == 2007].dropna(subset=["life_expectancy", "gdp_per_capita"])
# One step of log10 is ten times richer
x = np.log10(y2007["gdp_per_capita"])
y = y2007["life_expectancy"]
r = np.corrcoef(x, y)[0, 1]
print(len(y2007), round(r, 2))
""",
        (
            "*Your answer: the years per tenfold rise in income, four countries with what might "
            "explain them, and whether `r` proves a cause.*",
            "*Votre réponse : les années en plus pour chaque multiplication du revenu par dix, "
            "quatre pays avec ce qui "
            "pourrait les expliquer, et si `r` prouve une cause.*",
        ),
        guide="income on a log scale (`np.log10`), then `np.corrcoef` and `np.polyfit` across "
        "the 140 countries with both values in 2007: r is about 0.80 and each tenfold rise in "
        "income goes with about 15 more years. Far below the line are Botswana, Equatorial "
        "Guinea, Eswatini and South Africa. A good answer names other causes (health care, "
        "HIV, inequality, education, clean water, conflict) and says that a correlation alone "
        "proves no cause.",
    ),
    {
        "Every country with both values in 2007": "Chaque pays qui a les deux valeurs en 2007",
        "One step of log10 is ten times richer": "Un pas de log10, c'est dix fois plus riche",
    },
)

POPULATION = Extensions(
    extension(
        "extension_growth_rate",
        (
            "## Extension (16-18): how sure is a projection?\n\n"
            "Not graded: for those who want more. A total hides the growth per year: a "
            "population that grows by 1 % a year doubles in about 70 years. The cell below "
            "computes your country's average growth per year from 2025 to 2050 in the UN's "
            "projection, and `doubling`, the years it would take to double at that rate "
            "(negative: the years it would take to halve).\n\n"
            "1. Compute the same rate from 1975 to 2000, then for `PARTNER`. Is growth "
            "slowing down?\n"
            "2. Does a doubling time make sense for your country? Why might the rate not stay "
            "the same?\n"
            "3. These numbers are the UN's *medium* projection, one scenario among several: "
            "the UN also publishes others with about half a child more or fewer per woman. Why "
            "is 2100 much less certain than 2030? Give two reasons.",
            "## Extensión (16-18): ¿qué tan segura es una proyección?\n\n"
            "No se califica: para quien quiera ir más lejos. Un total esconde el crecimiento "
            "por año: una población que crece un 1 % al año se duplica en unos 70 años. La "
            "celda de abajo calcula el crecimiento medio por año de tu país de 2025 a 2050 en "
            "la proyección de la ONU, y `doubling`, los años que tardaría en duplicarse a ese "
            "ritmo (negativo: los años que tardaría en reducirse a la mitad).\n\n"
            "1. Calcula la misma tasa de 1975 a 2000, y luego para `PARTNER`. ¿El "
            "crecimiento se está frenando?\n"
            "2. ¿Tiene sentido un tiempo de duplicación para tu país? ¿Por qué la tasa podría "
            "no mantenerse igual?\n"
            "3. Estos números son la proyección *media* de la ONU, un escenario entre varios: "
            "la ONU publica también otros con alrededor de medio hijo más o menos por mujer. "
            "¿Por qué la proyección para 2100 es mucho menos segura que la de 2030? Da dos "
            "razones.",
        ),
        """
# Your country's total population every five years, from vxkit.data (the same UN data)
mine = data.indicator("population_projection", countries=[MINE]).set_index("year")["value"]
# Average growth per year from 2025 to 2050: 0.01 is 1 % a year
rate = (mine[2050] / mine[2025]) ** (1 / 25) - 1
# Years to double at that rate (negative: years to halve)
doubling = np.log(2) / np.log(1 + rate)
print(MINE, round(100 * rate, 2), round(doubling))
""",
        (
            "*Your answer: the rates you compared, what the doubling time tells you, and two "
            "reasons why 2100 is uncertain.*",
            "*Tu respuesta: las tasas que comparaste, lo que te dice el tiempo de duplicación y "
            "dos razones por las que la proyección para 2100 es incierta.*",
        ),
        guide="compound growth per year and the doubling time (`np.log`), 1975-2000 against "
        "2025-2050, for the partner countries; then why a projection to 2100 is "
        "uncertain. A good answer compares rates in % a year and gives two sources of "
        "uncertainty: future fertility, migration, mortality, and the medium variant being "
        "one scenario (the UN's high and low variants differ from it by half a child per "
        "woman).",
    ),
    {
        "Your country's total population every five years, from vxkit.data (the same UN data)": (
            "La población total de tu país cada cinco años, de vxkit.data (los mismos datos de "
            "la ONU)"
        ),
        "Average growth per year from 2025 to 2050: 0.01 is 1 % a year": (
            "Crecimiento medio por año de 2025 a 2050: 0.01 es 1 % al año"
        ),
        "Years to double at that rate (negative: years to halve)": (
            "Años para duplicarse a ese ritmo (negativo: años para reducirse a la mitad)"
        ),
    },
)

LOCAL = Extensions(
    extension(
        "extension_noise",
        (
            "## Extension (16-18): a difference, or just noise?\n\n"
            "Not graded: for those who want more. Ten days are few, and each measurement is a "
            "little off. The standard error of a mean (`std / √count`) says how much the mean "
            "could move if the class measured on ten other days; roughly, the true mean lies "
            "within two standard errors of the one you found. The cell below computes it for "
            "each class, from your `clean` of exercise 1 (do that one first).\n\n"
            "1. Give each class's mean as an interval, from `mean - 2 * se` to "
            "`mean + 2 * se`. Do the two intervals overlap?\n"
            "2. A thermometer in the sun reads several degrees too high every day. Would "
            "measuring on more days fix that? Explain the difference between random and "
            "systematic errors.\n"
            "3. What would you change in your team's protocol to make a difference of 1 °C "
            "between the classes believable?",
            "## Pour aller plus loin (16-18 ans) : une vraie différence, ou du bruit ?\n\n"
            "Non noté : pour celles et ceux qui veulent aller plus loin. Dix jours, c'est peu, "
            "et chaque mesure comporte une petite erreur. L'erreur type d'une moyenne (`std / √count`) "
            "dit de combien la moyenne pourrait bouger si la classe mesurait pendant dix autres "
            "jours ; en gros, la vraie moyenne se trouve à moins de deux erreurs types de celle "
            "que vous avez trouvée. La cellule ci-dessous la calcule pour chaque classe, "
            "à partir de votre `clean` de l'exercice 1 (faites-le d'abord).\n\n"
            "1. Donnez la moyenne de chaque classe sous forme d'intervalle, de `mean - 2 * se` "
            "à `mean + 2 * se`. Les deux intervalles se chevauchent-ils ?\n"
            "2. Un thermomètre au soleil indique plusieurs degrés de trop chaque jour. Mesurer "
            "pendant plus de jours corrigerait-il cela ? Expliquez la différence entre erreurs "
            "aléatoires et erreurs systématiques.\n"
            "3. Que changeriez-vous dans le protocole de votre équipe pour qu'une différence de "
            "1 °C entre les classes soit crédible ?",
        ),
        """
# Your clean() from exercise 1: it must work first
summary = clean(raw).groupby("class_id")["temperature_c"].agg(["mean", "std", "count"])
# Standard error: the spread divided by the square root of the number of days
summary["se"] = summary["std"] / summary["count"] ** 0.5
summary.round(2)
""",
        (
            "*Your answer: the two intervals, random against systematic errors, and one change "
            "to the protocol.*",
            "*Votre réponse : les deux intervalles, erreurs aléatoires et erreurs "
            "systématiques, et un changement du protocole.*",
        ),
        guide="the standard error of each class's mean (pandas only, on the practice data "
        "cleaned by the student's own `clean`), intervals of two standard errors, and random against systematic errors: more "
        "days shrink the first, never a thermometer in the sun. On the practice data the two "
        "classes' intervals are far apart; with the team's own data the answer depends on the "
        "protocol, which is the point to discuss.",
    ),
    {
        "Your clean() from exercise 1: it must work first": (
            "Votre clean() de l'exercice 1 : il doit d'abord fonctionner"
        ),
        "Standard error: the spread divided by the square root of the number of days": (
            "Erreur type : l'écart type divisé par la racine carrée du nombre de jours"
        ),
    },
)

EXTENSIONS = {
    "climate_co2": CLIMATE,
    "health_wealth": HEALTH,
    "population_futures": POPULATION,
    "local_data": LOCAL,
}


def with_extensions(unit: Unit) -> Unit:
    """``unit`` with its extension tasks before the graded notebook's Summary (a copy: the
    unit's module keeps its own cells)."""
    ext = EXTENSIONS.get(unit.id)
    if ext is None:
        return unit
    cells = list(unit.individual)
    at = next(
        i
        for i, cell in enumerate(cells)
        if cell.kind == "markdown" and str(cell.text["en"]).startswith("## Summary")  # type: ignore[index]
    )
    cells[at:at] = ext.cells
    return dataclasses.replace(unit, individual=cells, comments={**unit.comments, **ext.comments})
