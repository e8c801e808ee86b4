"""Unit 3: Population futures, UN projections to 2100 (English and Spanish)."""

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

LANG = "es"

WPP_EN = (
    "The United Nations project that the world's population will peak at about 10.3 billion "
    "people in the mid-2080s, then slowly decline (World Population Prospects 2024, medium "
    "variant). You will find that peak in the data yourselves."
)
WPP_ES = (
    "Las Naciones Unidas proyectan que la población mundial llegará a su máximo, unos 10.300 "
    "millones de personas, a mediados de la década de 2080, y luego bajará lentamente (World "
    "Population Prospects 2024, variante media). Van a encontrar ese máximo en los datos."
)

RESOURCES_EN = (
    "## Resources\n\n"
    "- United Nations, Department of Economic and Social Affairs, Population Division (2024). "
    "*World Population Prospects 2024*, medium variant, https://population.un.org/wpp/ "
    "(CC BY 3.0 IGO), via the `bokeh_sampledata` package: totals read with "
    '`vxkit.data.indicator("population_projection")`, age groups in '
    "`data/population_by_age.csv` (summed from five-year age groups by vxkit's "
    "`curriculum/tools/extract_data.py`).\n"
    "- UN DESA (2024), *World Population Prospects 2024: Summary of Results*.\n"
    "- SDG 11, Sustainable cities and communities, and SDG 3, Good health (care for older "
    "people): https://sdgs.un.org/goals"
)
RESOURCES_ES = (
    "## Recursos\n\n"
    "- Naciones Unidas, Departamento de Asuntos Económicos y Sociales, División de Población "
    "(2024). *World Population Prospects 2024*, variante media, https://population.un.org/wpp/ "
    "(CC BY 3.0 IGO), a través del paquete `bokeh_sampledata`: los totales se leen con "
    '`vxkit.data.indicator("population_projection")`, los grupos de edad están en '
    "`data/population_by_age.csv` (sumados a partir de grupos de cinco años por "
    "`curriculum/tools/extract_data.py` de vxkit).\n"
    "- UN DESA (2024), *World Population Prospects 2024: Summary of Results*.\n"
    "- ODS 11, Ciudades y comunidades sostenibles, y ODS 3, Salud y bienestar (cuidado de las "
    "personas mayores): https://sdgs.un.org/es/goals"
)

TEAM = [
    md(
        "# Population futures\n\nA team notebook: you and your partners edit it together, live.",
        "# El futuro de la población\n\n"
        "Un notebook de equipo: ustedes y sus compañeros lo editan juntos, en vivo.",
    ),
    md(
        "## Overview\n\n"
        "How many people will live in your countries in 2100, and how old will they be? Your "
        "team reads the UN's projections and asks what they mean for schools, jobs and care.\n\n"
        f"{WPP_EN}\n\n"
        "1. Explore population from 1950 to 2100.\n"
        "2. Compare the age groups: children, working age, older people.\n"
        "3. Each class explains what its country's future could mean; the team concludes.",
        "## Panorama\n\n"
        "¿Cuántas personas vivirán en sus países en 2100, y qué edad tendrán? Su equipo lee las "
        "proyecciones de la ONU y se pregunta qué significan para las escuelas, el trabajo y los "
        "cuidados.\n\n"
        f"{WPP_ES}\n\n"
        "1. Exploren la población de 1950 a 2100.\n"
        "2. Comparen los grupos de edad: niños, edad de trabajar, personas mayores.\n"
        "3. Cada clase explica lo que el futuro de su país podría significar; el equipo concluye.",
    ),
    md(
        "## Prerequisites\n\n"
        "- The earlier units of the exchange.\n"
        "- A *projection* is not a prediction: it says what happens **if** births, deaths and "
        "migration follow the expected path. The UN publishes other variants too.\n"
        "- Time needed: about 3 hours over two weeks.",
        "## Requisitos previos\n\n"
        "- Las unidades anteriores del intercambio.\n"
        "- Una *proyección* no es una predicción: dice lo que pasa **si** los nacimientos, las "
        "muertes y la migración siguen el camino esperado. La ONU publica también otras "
        "variantes.\n"
        "- Duración: unas 3 horas en dos semanas.",
    ),
    md("## Imports\n\nRun this cell first.", "## Importaciones\n\nEjecuten primero esta celda."),
    code(
        team_imports(
            "from vxkit import data",
            "from vxkit.widgets import ExchangeMap, IndicatorExplorer",
            tail="codes = sorted({c.country for c in classes})\n"
            'ages = pd.read_csv("data/population_by_age.csv")',
            pandas=True,
        )
    ),
    md("## Who is in our team?", "## ¿Quiénes somos en el equipo?"),
    team_members(),
    md(
        "## Explore the data together\n\n"
        "The years after 2023 are projections. Agree who drives the explorer.",
        "## Exploren los datos juntos\n\n"
        "Los años después de 2023 son proyecciones. Decidan quién maneja el explorador.",
    ),
    code('IndicatorExplorer("population_projection", exchange=exchange, locale=LOCALE)'),
    md(
        "## Children, working age, older people\n\n"
        "The share (%) of each age group in 2025, 2050 and 2100, for the partner countries "
        "that are in the table, and for the world.",
        "## Niños, edad de trabajar, personas mayores\n\n"
        "La proporción (%) de cada grupo de edad en 2025, 2050 y 2100, para los países del "
        "intercambio que están en la tabla, y para el mundo.",
    ),
    code(
        """
ours = ages[ages["iso3"].isin([data.to_iso3(c) for c in codes] + ["WLD"])]
ours = ours[ours["year"].isin([2025, 2050, 2100])]
shares = ours.pivot_table(index=["country", "year"], columns="age_group", values="people")
(shares.div(shares.sum(axis=1), axis=0) * 100).round(1)
"""
    ),
    md(
        "## On the map\n\nPopulation in 2100 (projection), with your schools.",
        "## En el mapa\n\nLa población en 2100 (proyección), con sus escuelas.",
    ),
    code(
        'ExchangeMap(exchange, locale=LOCALE, indicator="population_projection", year=2100, '
        "years=range(2000, 2101, 25))"
    ),
    *class_findings(
        "Will your country grow or shrink by 2100, and will it be younger or older? Name one "
        "thing this could change in your town (schools, hospitals, housing, jobs), and ask "
        "your partners one question about theirs.",
        "¿Su país crecerá o disminuirá hasta 2100, y será más joven o más viejo? Nombren una "
        "cosa que esto podría cambiar en su ciudad (escuelas, hospitales, vivienda, trabajo), y "
        "háganles una pregunta a sus compañeros sobre la suya.",
        LANG,
    ),
    *joint_conclusion(
        "Our countries' futures side by side: what is different, what do we share, and what "
        "could we learn from each other?",
        "El futuro de nuestros países lado a lado: ¿qué es distinto, qué compartimos y qué "
        "podríamos aprender unos de otros?",
        LANG,
    ),
    md(
        "## Summary\n\n"
        "Some countries will grow for the whole century, others are already shrinking, and "
        "almost everywhere the share of older people rises. A projection shows one likely "
        "path, not a fixed future.",
        "## Resumen\n\n"
        "Algunos países crecerán durante todo el siglo, otros ya están disminuyendo, y en casi "
        "todas partes aumenta la proporción de personas mayores. Una proyección muestra un "
        "camino probable, no un futuro fijo.",
    ),
    md(RESOURCES_EN, RESOURCES_ES),
]

INDIVIDUAL = [
    md(
        "# Population futures (individual work)\n\n"
        "This notebook is yours alone. The code exercises are checked automatically; your "
        "teacher reads the two reflections.",
        "# El futuro de la población (trabajo individual)\n\n"
        "Este notebook es solo tuyo. Los ejercicios de código se corrigen automáticamente; tu "
        "profesor o profesora lee las dos reflexiones.",
    ),
    md(
        "## Overview\n\n"
        "You will add up age groups, compute growth in percent, find the year a population "
        "peaks, and measure how old a country is getting.\n\n"
        f"{WPP_EN}\n\n"
        "Points: 5 code exercises (10 points) and 2 reflections (6 points).",
        "## Panorama\n\n"
        "Vas a sumar grupos de edad, calcular un crecimiento en porcentaje, encontrar el año en "
        "que una población llega a su máximo y medir cuánto envejece un país.\n\n"
        f"{WPP_ES}\n\n"
        "Puntos: 5 ejercicios de código (10 puntos) y 2 reflexiones (6 puntos).",
    ),
    md(
        "## Prerequisites\n\n"
        "- Python functions, pandas filtering, `.sum()` and `.groupby()`.\n"
        "- Percent change: (new - old) / old × 100.\n"
        "- Replace `raise NotImplementedError()` with your code and run the test cell below it.",
        "## Requisitos previos\n\n"
        "- Funciones de Python, filtros de pandas, `.sum()` y `.groupby()`.\n"
        "- Cambio porcentual: (nuevo - antiguo) / antiguo × 100.\n"
        "- Reemplaza `raise NotImplementedError()` por tu código y ejecuta la celda de prueba "
        "que está debajo.",
    ),
    md(
        "## Imports\n\n"
        "The table `ages`: one row per country, year (1950 to 2100, every 5 years) and age "
        "group (`0-14`, `15-64`, `65+`); `people` is the number of people. `WLD` is the world. "
        "`MINE` is the code of your class's country and `PARTNER` that of your partner "
        "class's, read from your exchange: the cell prints them, and adds their rows.",
        "## Importaciones\n\n"
        "La tabla `ages`: una fila por país, año (de 1950 a 2100, cada 5 años) y grupo de edad "
        "(`0-14`, `15-64`, `65+`); `people` es el número de personas. `WLD` es el mundo. "
        "`MINE` es el código del país de tu clase y `PARTNER` el del país de tu clase "
        "compañera, leídos de tu intercambio: la celda los muestra y añade sus filas.",
    ),
    code(
        "import numbers\n\nimport pandas as pd\n\nfrom vxkit import data\n"
        "from vxkit.views import notebook_countries\n\n"
        + exchange_countries("population_projection")
        + """ages = pd.read_csv("data/population_by_age.csv")
# The exchange's countries the file leaves out, from the same UN data
extra = [code for code in ours.exchange if code not in set(ages["iso3"])]
ages = pd.concat([ages, data.population_by_age(extra)], ignore_index=True)
ages.head()
"""
    ),
    md(
        "## 1. Total population\n\n"
        "Write `total_population(df, iso3, year)`: the number of people of all ages in "
        "country `iso3` in `year`, as a whole number (any integer type).",
        "## 1. Población total\n\n"
        "Escribe `total_population(df, iso3, year)`: el número de personas de todas las edades "
        "en el país `iso3` en el año `year`, como número entero (de cualquier tipo entero).",
    ),
    answer(
        "total_population",
        '''
def total_population(df, iso3, year):
    """People of all ages in `iso3` in `year`."""
    ### BEGIN SOLUTION
    rows = df[(df["iso3"] == iso3) & (df["year"] == year)]
    return int(rows["people"].sum())
    ### END SOLUTION
''',
        returns="integer",
        accept=[
            """
def total_population(df, iso3, year):
    return df[(df["iso3"] == iso3) & (df["year"] == year)]["people"].sum()
""",
            """
def total_population(df, iso3, year):
    return df.groupby(["iso3", "year"])["people"].sum().loc[(iso3, year)]
""",
            """
def total_population(df, iso3, year):
    total = 0
    for row in df.itertuples():
        if row.iso3 == iso3 and row.year == year:
            total += row.people
    return total
""",
        ],
        mistakes=[
            Mistake(
                "summing over every year as well as the age groups (no year filter)",
                """
def total_population(df, iso3, year):
    return int(df[df["iso3"] == iso3]["people"].sum())
""",
            ),
            Mistake(
                "returning the three age groups (a Series) instead of their total",
                """
def total_population(df, iso3, year):
    return df[(df["iso3"] == iso3) & (df["year"] == year)]["people"]
""",
            ),
        ],
    ),
    *checks(
        "total_population",
        """
assert isinstance(total_population(ages, "KEN", 2025), numbers.Integral), "total_population should return a whole number"
""",
        """
kenya = total_population(ages, "KEN", 2025)
### BEGIN HIDDEN TESTS
for iso3, year in [("KEN", 2025), ("CHL", 2025), ("FRA", 2100), ("WLD", 2050), ("ESP", 1950)]:
    rows = ages[(ages["iso3"] == iso3) & (ages["year"] == year)]
    assert total_population(ages, iso3, year) == rows["people"].sum(), "total_population gives a wrong total: sum the age groups of that year only"
### END HIDDEN TESTS
""",
    ),
    md(
        "## 2. Growth in percent\n\n"
        "Write `growth_percent(df, iso3, start, end)`: by how many percent the total population "
        f"changes from `start` to `end` (negative if it shrinks), as a number accepted "
        f"{precision('en', 1)}: 50 means 50 %.",
        "## 2. Crecimiento en porcentaje\n\n"
        "Escribe `growth_percent(df, iso3, start, end)`: en qué porcentaje cambia la población "
        f"total de `start` a `end` (negativo si disminuye), como número aceptado "
        f"{precision(LANG, 1)}: 50 significa 50 %.",
    ),
    answer(
        "growth_percent",
        '''
def growth_percent(df, iso3, start, end):
    """Percent change of the total population of `iso3` from `start` to `end`."""
    ### BEGIN SOLUTION
    old = total_population(df, iso3, start)
    new = total_population(df, iso3, end)
    return (new - old) / old * 100
    ### END SOLUTION
''',
        returns="number",
        decimals=1,
        accept=[
            """
def growth_percent(df, iso3, start, end):
    totals = df[df["iso3"] == iso3].groupby("year")["people"].sum()
    return (totals[end] / totals[start] - 1) * 100
""",
            """
def growth_percent(df, iso3, start, end):
    old = total_population(df, iso3, start)
    return round(100 * (total_population(df, iso3, end) - old) / old, 1)
""",
        ],
        mistakes=[
            Mistake(
                "dividing by the new value instead of the old one",
                """
def growth_percent(df, iso3, start, end):
    old = total_population(df, iso3, start)
    new = total_population(df, iso3, end)
    return (new - old) / new * 100
""",
            ),
            Mistake(
                "a fraction instead of a percentage (0.5 for 50 %)",
                """
def growth_percent(df, iso3, start, end):
    old = total_population(df, iso3, start)
    return (total_population(df, iso3, end) - old) / old
""",
            ),
        ],
    ),
    *checks(
        "growth_percent",
        """
assert isinstance(growth_percent(ages, "NGA", 2025, 2100), numbers.Real), "growth_percent should return a number"
""",
        """
nigeria = growth_percent(ages, "NGA", 2025, 2100)
### BEGIN HIDDEN TESTS
totals = ages.groupby(["iso3", "year"])["people"].sum()
for iso3 in ["NGA", "CHL", "KEN", "FRA", "ESP", "WLD", MINE, PARTNER]:
    expected = (totals[iso3, 2100] - totals[iso3, 2025]) / totals[iso3, 2025] * 100
    assert abs(growth_percent(ages, iso3, 2025, 2100) - expected) <= 0.05 + 1e-9, "growth_percent gives a wrong value: (new - old) / old * 100"
assert abs(growth_percent(ages, "JPN", 2000, 2000)) <= 0.05 + 1e-9, "nothing grows from a year to itself"
### END HIDDEN TESTS
""",
    ),
    md(
        "## 3. The peak\n\n"
        "Write `peak_year(df, iso3)`: the year (between 1950 and 2100) in which the total "
        "population of `iso3` is highest, as a whole number (any integer type).\n\n"
        "Hint: group by year, sum, then `.idxmax()`.",
        "## 3. El máximo\n\n"
        "Escribe `peak_year(df, iso3)`: el año (entre 1950 y 2100) en que la población total de "
        "`iso3` es más alta, como número entero (de cualquier tipo entero).\n\n"
        "Pista: agrupa por año, suma y luego usa `.idxmax()`.",
    ),
    answer(
        "peak_year",
        '''
def peak_year(df, iso3):
    """The year with the highest total population of `iso3`."""
    ### BEGIN SOLUTION
    totals = df[df["iso3"] == iso3].groupby("year")["people"].sum()
    return int(totals.idxmax())
    ### END SOLUTION
''',
        returns="integer",
        accept=[
            """
def peak_year(df, iso3):
    return df[df["iso3"] == iso3].groupby("year")["people"].sum().idxmax()
""",
            """
def peak_year(df, iso3):
    totals = df.query("iso3 == @iso3").groupby("year")["people"].sum()
    return totals.sort_values().index[-1]
""",
            """
def peak_year(df, iso3):
    best, best_total = None, -1
    for year in sorted(df["year"].unique()):
        total = total_population(df, iso3, year)
        if total > best_total:
            best, best_total = year, total
    return best
""",
        ],
        mistakes=[
            Mistake(
                "returning the peak population instead of the peak year",
                """
def peak_year(df, iso3):
    return int(df[df["iso3"] == iso3].groupby("year")["people"].sum().max())
""",
            ),
        ],
    ),
    *checks(
        "peak_year",
        """
year = peak_year(ages, "WLD")
assert isinstance(year, numbers.Integral), "peak_year should return a whole number"
assert 1950 <= year <= 2100, "peak_year should return a year between 1950 and 2100"
""",
        """
world = peak_year(ages, "WLD")
### BEGIN HIDDEN TESTS
assert peak_year(ages, "JPN") == 2010, "Japan's population peaked in 2010"
assert peak_year(ages, "CHL") == 2040, "Chile's population is projected to peak in 2040"
assert peak_year(ages, "KEN") == 2100, "Kenya's population still grows in 2100"
assert peak_year(ages, "WLD") == 2085, "the world's population is projected to peak in 2085"
### END HIDDEN TESTS
""",
    ),
    md(
        "## 4. Getting older\n\n"
        "Write `share_65_plus(df, iso3, year)`: the percentage of people aged 65 or more in "
        f"`iso3` in `year`, as a number accepted {precision('en', 1)}: 10 means 10 %.",
        "## 4. Envejecer\n\n"
        "Escribe `share_65_plus(df, iso3, year)`: el porcentaje de personas de 65 años o más en "
        f"`iso3` en el año `year`, como número aceptado {precision(LANG, 1)}: 10 significa "
        "10 %.",
    ),
    answer(
        "share_65_plus",
        '''
def share_65_plus(df, iso3, year):
    """Percent of the population of `iso3` aged 65 or more in `year`."""
    ### BEGIN SOLUTION
    rows = df[(df["iso3"] == iso3) & (df["year"] == year)]
    older = rows[rows["age_group"] == "65+"]["people"].sum()
    return older / rows["people"].sum() * 100
    ### END SOLUTION
''',
        returns="number",
        decimals=1,
        accept=[
            """
def share_65_plus(df, iso3, year):
    by_age = df.query("iso3 == @iso3 and year == @year").set_index("age_group")["people"]
    return round(100 * by_age["65+"] / by_age.sum(), 1)
""",
            """
def share_65_plus(df, iso3, year):
    table = df.pivot_table(index=["iso3", "year"], columns="age_group", values="people")
    row = table.loc[(iso3, year)]
    return float(row["65+"] / row.sum() * 100)
""",
        ],
        mistakes=[
            Mistake(
                "a fraction instead of a percentage (0.1 for 10 %)",
                """
def share_65_plus(df, iso3, year):
    rows = df[(df["iso3"] == iso3) & (df["year"] == year)]
    return rows[rows["age_group"] == "65+"]["people"].sum() / rows["people"].sum()
""",
            ),
            Mistake(
                "dividing by the whole table instead of the country's population that year",
                """
def share_65_plus(df, iso3, year):
    rows = df[(df["iso3"] == iso3) & (df["year"] == year)]
    return rows[rows["age_group"] == "65+"]["people"].sum() / df["people"].sum() * 100
""",
            ),
        ],
    ),
    *checks(
        "share_65_plus",
        """
share = share_65_plus(ages, "WLD", 2025)
assert isinstance(share, numbers.Real), "share_65_plus should return a number"
assert 0 < share < 100, "a percentage is between 0 and 100"
""",
        """
world = share_65_plus(ages, "WLD", 2025)
### BEGIN HIDDEN TESTS
for iso3, year in [("WLD", 2025), ("KEN", 2025), ("CHL", 2100), ("FRA", 2050), ("JPN", 1950)]:
    rows = ages[(ages["iso3"] == iso3) & (ages["year"] == year)]
    expected = rows.loc[rows["age_group"] == "65+", "people"].sum() / rows["people"].sum() * 100
    assert abs(share_65_plus(ages, iso3, year) - expected) <= 0.05 + 1e-9, "share_65_plus gives a wrong value: people aged 65+ divided by all people, times 100"
### END HIDDEN TESTS
""",
    ),
    *partner_task(
        "partner_growth",
        (
            "## 5. Your partner class's country\n\n"
            "Set `partner_growth` to the percent growth of the total population of your partner "
            "class's country (`PARTNER`) from 2025 to 2050, as a number accepted "
            f"{precision('en', 1)}. Ask your partners what it could mean for their town.",
            "## 5. El país de tu clase compañera\n\n"
            "Guarda en `partner_growth` el crecimiento en porcentaje de la población total del "
            "país de tu clase compañera (`PARTNER`) de 2025 a 2050, como número aceptado "
            f"{precision(LANG, 1)}. Pregunta a tus compañeros qué podría significar para su "
            "ciudad.",
        ),
        "partner_growth = growth_percent(ages, PARTNER, 2025, 2050)",
        partner='notebook_countries("population_projection").partner',
        decimals=1,
        expected="""
total = data.population_by_age([partner]).groupby("year")["people"].sum()
expected = (total[2050] - total[2025]) / total[2025] * 100
""",
        message="partner_growth is the growth in your partner class's country (PARTNER), "
        "from 2025 to 2050",
        accept=[
            """
totals = ages[ages["iso3"] == PARTNER].groupby("year")["people"].sum()
partner_growth = (totals[2050] / totals[2025] - 1) * 100
""",
            "partner_growth = round(growth_percent(ages, PARTNER, 2025, 2050), 1)",
        ],
        mistakes=[
            Mistake(
                "your own class's country (`MINE`) instead of the partner class's",
                "partner_growth = growth_percent(ages, MINE, 2025, 2050)",
            ),
            Mistake(
                "the years the other way round (from 2050 back to 2025)",
                "partner_growth = growth_percent(ages, PARTNER, 2050, 2025)",
            ),
        ],
    ),
    md(
        "## Reflections\n\nWrite in English or in Spanish, in full sentences.",
        "## Reflexiones\n\nEscribe en inglés o en español, con frases completas.",
    ),
    readonly(
        "### Reflection 1: my country in 2100 (3 points)\n\n"
        "Using your functions, describe your country's projected future (size and age) and a "
        "partner's. What could it mean for young people like you, there and here?\n\n"
        "**Rubric** (3 points)\n"
        "- 1 point: correct numbers for both countries (growth and share of older people), "
        "with years.\n"
        "- 1 point: one concrete consequence for each country (schools, jobs, care, housing...).\n"
        "- 1 point: written with respect for the partners' situation and choices.",
        "### Reflexión 1: mi país en 2100 (3 puntos)\n\n"
        "Con tus funciones, describe el futuro proyectado de tu país (tamaño y edad) y el de un "
        "país compañero. ¿Qué podría significar para jóvenes como tú, allá y aquí?\n\n"
        "**Rúbrica** (3 puntos)\n"
        "- 1 punto: números correctos para los dos países (crecimiento y proporción de personas "
        "mayores), con los años.\n"
        "- 1 punto: una consecuencia concreta para cada país (escuelas, trabajo, cuidados, "
        "vivienda...).\n"
        "- 1 punto: escrito con respeto por la situación y las decisiones de los compañeros.",
        "reflection_future_question",
    ),
    reflection("reflection_future", 3, "Write your answer here.", "Escribe tu respuesta aquí."),
    readonly(
        "### Reflection 2: a projection is not a prophecy (3 points)\n\n"
        "Give two things that could make the real future different from this projection, and "
        "explain in which direction each would push the numbers.\n\n"
        "**Rubric** (3 points)\n"
        "- 1 point: two relevant factors (births, health, migration, a crisis, policy...).\n"
        "- 1 point: the direction of each effect is explained.\n"
        "- 1 point: distinguishes a projection from a prediction in their own words.",
        "### Reflexión 2: una proyección no es una profecía (3 puntos)\n\n"
        "Da dos cosas que podrían hacer que el futuro real sea distinto de esta proyección, y "
        "explica en qué sentido movería cada una los números.\n\n"
        "**Rúbrica** (3 puntos)\n"
        "- 1 punto: dos factores pertinentes (nacimientos, salud, migración, una crisis, "
        "políticas...).\n"
        "- 1 punto: se explica el sentido de cada efecto.\n"
        "- 1 punto: distingue proyección y predicción con sus propias palabras.",
        "reflection_projection_question",
    ),
    reflection("reflection_projection", 3, "Write your answer here.", "Escribe tu respuesta aquí."),
    md(
        "## Summary\n\n"
        "You summed groups, computed percent change, found a maximum and a share. The world is "
        "projected to peak in the 2080s and to grow older almost everywhere, at very different "
        "speeds in the partner countries.",
        "## Resumen\n\n"
        "Sumaste grupos, calculaste un cambio porcentual, encontraste un máximo y una "
        "proporción. Se proyecta que el mundo llegue a su máximo en la década de 2080 y que "
        "envejezca en casi todas partes, a velocidades muy distintas en los países del "
        "intercambio.",
    ),
    md(RESOURCES_EN, RESOURCES_ES),
]

GUIDE = """
# Teacher guide: Population futures

**Unit id:** `population_futures` · **SDG 11** (Sustainable cities and communities) and
**SDG 3** (health and care at every age) · **Ages** 13-18 · **Time** about 3 hours over two weeks ·
**Phase:** exchange.

## Goals
- Students read the UN's population projections to 2100 for the partner countries and the world.
- They compute totals, growth, peaks and the share of people aged 65+.
- They tell a projection from a prediction and discuss consequences without alarmism.

## Timing across the exchange phases
| phase | when | what |
|---|---|---|
| exchange | week 1, lesson 1 (own class) | Team notebook: explorer, age-group table, map; own-country section. |
| exchange | week 1, lesson 2 (own class) | Individual notebook, 45-60 minutes. |
| live session | week 2 | Classes compare futures; joint conclusion. |

## Running the live session across time zones
- Confirm the slot in both local times; summer time may have changed since the first session.
- Start from a surprising pair (one partner country growing, one shrinking) and let each class
  explain what it sees at home: new schools being built, or schools closing.
- If the classes cannot meet live, each writes its section and two questions; answers follow
  in the next lesson.

## Discussion prompts
- What changes in a town when there are fewer children? More older people?
- Why do the UN publish several variants and not one number?
- Population growth is often discussed with blame. How can we talk about it with respect?

## How to grade
- Autograded (10 points): `total_population`, `growth_percent`, `peak_year`, `share_65_plus`
  and `partner_growth` (the partner class's country), 2 points each. Hidden tests check other countries and years, and exact peak years.
- Manually graded (6 points): two reflections with the rubric above each answer cell.
- The individual notebook covers 18 countries, the world and every country of the exchange
  (its classes' countries in `exchange.toml`, from the same UN data).

## What students typically get wrong
- Treating 2100 figures as certain; forgetting migration.
- Framing high growth as a problem "of" a people; steer towards conditions (health, education,
  choices) and what each society plans for.

## Sources
- UN DESA, Population Division (2024). *World Population Prospects 2024*, medium variant
  (CC BY 3.0 IGO), via `bokeh_sampledata`. The world peak of about 10.3 billion in the mid-2080s
  is in the UN's *Summary of Results* and in the data (2085, 10.29 billion).
- SDG 11 and SDG 3: https://sdgs.un.org/goals
"""

MESSAGES = {
    "total_population should return a whole number": {
        "es": "total_population debe devolver un número entero"
    },
    "total_population gives a wrong total: sum the age groups of that year only": {
        "es": "total_population da un total erróneo: suma solo los grupos de edad de ese año"
    },
    "growth_percent should return a number": {"es": "growth_percent debe devolver un número"},
    "The exchange's countries the file leaves out, from the same UN data": {
        "es": "Los países del intercambio que el archivo no tiene, de los mismos datos de la ONU"
    },
    "partner_growth should be a number": {"es": "partner_growth debe ser un número"},
    "partner_growth is the growth in your partner class's country (PARTNER), from 2025 to 2050": {
        "es": "partner_growth es el crecimiento en el país de tu clase compañera (PARTNER), de 2025 a 2050"
    },
    "growth_percent gives a wrong value: (new - old) / old * 100": {
        "es": "growth_percent da un valor erróneo: (nuevo - antiguo) / antiguo * 100"
    },
    "nothing grows from a year to itself": {"es": "nada crece de un año al mismo año"},
    "peak_year should return a whole number": {"es": "peak_year debe devolver un número entero"},
    "peak_year should return a year between 1950 and 2100": {
        "es": "peak_year debe devolver un año entre 1950 y 2100"
    },
    "Japan's population peaked in 2010": {"es": "la población de Japón llegó a su máximo en 2010"},
    "Chile's population is projected to peak in 2040": {
        "es": "se proyecta que la población de Chile llegue a su máximo en 2040"
    },
    "Kenya's population still grows in 2100": {"es": "la población de Kenia aún crece en 2100"},
    "the world's population is projected to peak in 2085": {
        "es": "se proyecta que la población mundial llegue a su máximo en 2085"
    },
    "share_65_plus should return a number": {"es": "share_65_plus debe devolver un número"},
    "a percentage is between 0 and 100": {"es": "un porcentaje está entre 0 y 100"},
    "share_65_plus gives a wrong value: people aged 65+ divided by all people, times 100": {
        "es": "share_65_plus da un valor erróneo: personas de 65+ divididas por todas, por 100"
    },
}

UNIT = Unit(
    id="population_futures",
    lang=LANG,
    meta={
        "title": "Population futures",
        "sdg": 11,
        "ages": "13-18",
        "hours": 3,
        "phase": "exchange",
        "skills": ["grouping and summing", "percent change", "projections", "age structure"],
    },
    team=TEAM,
    individual=INDIVIDUAL,
    guide=GUIDE,
    comments=comments(LANG, MESSAGES),
)
