"""Unit 1: Climate, CO2 per person since 1950 (English and Spanish)."""

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

IPCC_EN = (
    "The IPCC (the UN's panel of climate scientists) wrote in 2022 that approximately 3.3 to "
    "3.6 billion people live in contexts that are highly vulnerable to climate change "
    "(IPCC AR6, Working Group II, Summary for Policymakers, statement B.2.4)."
)
IPCC_ES = (
    "El IPCC (el grupo de científicos del clima de la ONU) escribió en 2022 que entre 3.300 y "
    "3.600 millones de personas, aproximadamente, viven en contextos muy vulnerables al cambio "
    "climático (IPCC AR6, Grupo de Trabajo II, Resumen para responsables de políticas, "
    "afirmación B.2.4)."
)

RESOURCES_EN = (
    "## Resources\n\n"
    "- CO₂ per person, 1950-2012: Carbon Dioxide Information Analysis Center (CDIAC), via the "
    '`bokeh_sampledata` package, read offline with `vxkit.data.indicator("co2_per_person")` '
    "(public domain). Fossil fuels and cement only; no land use.\n"
    "- IPCC, 2021: Summary for Policymakers. In: *Climate Change 2021: The Physical Science "
    "Basis*, Working Group I contribution to the Sixth Assessment Report. "
    "https://www.ipcc.ch/report/ar6/wg1/\n"
    "- IPCC, 2022: Summary for Policymakers. In: *Climate Change 2022: Impacts, Adaptation and "
    "Vulnerability*, Working Group II contribution to the Sixth Assessment Report. "
    "https://www.ipcc.ch/report/ar6/wg2/\n"
    "- Newer figures (after 2012) and emissions by sector: Our World in Data, "
    "https://ourworldindata.org/co2-emissions (check a number there before you publish it).\n"
    "- SDG 13, Climate action: https://sdgs.un.org/goals/goal13"
)
RESOURCES_ES = (
    "## Recursos\n\n"
    "- CO₂ por persona, 1950-2012: Carbon Dioxide Information Analysis Center (CDIAC), a "
    "través del paquete `bokeh_sampledata`, leído sin conexión con "
    '`vxkit.data.indicator("co2_per_person")` (dominio público). Solo combustibles fósiles y '
    "cemento; no incluye el uso del suelo.\n"
    "- IPCC, 2021: Resumen para responsables de políticas. En: *Cambio climático 2021: bases "
    "físicas*, contribución del Grupo de Trabajo I al Sexto Informe de Evaluación. "
    "https://www.ipcc.ch/report/ar6/wg1/\n"
    "- IPCC, 2022: Resumen para responsables de políticas. En: *Cambio climático 2022: "
    "impactos, adaptación y vulnerabilidad*, contribución del Grupo de Trabajo II al Sexto "
    "Informe de Evaluación. https://www.ipcc.ch/report/ar6/wg2/\n"
    "- Cifras más recientes (después de 2012) y emisiones por sector: Our World in Data, "
    "https://ourworldindata.org/co2-emissions (comprueben allí una cifra antes de publicarla).\n"
    "- ODS 13, Acción por el clima: https://sdgs.un.org/goals/goal13"
)

TEAM = [
    md(
        "# Climate: who emits, who is exposed?\n\n"
        "A team notebook: you and your partners edit it together, live.",
        "# Clima: ¿quién emite, quién está expuesto?\n\n"
        "Un notebook de equipo: ustedes y sus compañeros lo editan juntos, en vivo.",
    ),
    md(
        "## Overview\n\n"
        "Carbon dioxide (CO₂) from burning coal, oil and gas is the main cause of global "
        "warming (IPCC, 2021). In this unit your team compares how much CO₂ each person emits, on average, "
        "in your countries since 1950, and asks who feels the effects.\n\n"
        f"{IPCC_EN}\n\n"
        "1. Explore CO₂ per person in the partner countries.\n"
        "2. Each class explains its own country's curve.\n"
        "3. Write a joint conclusion: who emits, who is exposed, what is fair?",
        "## Panorama\n\n"
        "El dióxido de carbono (CO₂) que sale de quemar carbón, petróleo y gas es la causa "
        "principal del calentamiento global (IPCC, 2021). En esta unidad su equipo compara cuánto CO₂ emite "
        "cada persona, en promedio, en sus países desde 1950, y se pregunta quién sufre los "
        "efectos.\n\n"
        f"{IPCC_ES}\n\n"
        "1. Exploren el CO₂ por persona en los países del intercambio.\n"
        "2. Cada clase explica la curva de su propio país.\n"
        "3. Escriban una conclusión común: ¿quién emite, quién está expuesto, qué es justo?",
    ),
    md(
        "## Prerequisites\n\n"
        "- The unit *Meet your partners*.\n"
        "- Reading a line chart: years along the bottom, values up the side.\n"
        "- Time needed: about 3 hours over two weeks.",
        "## Requisitos previos\n\n"
        "- La unidad *Conozcan a sus compañeros*.\n"
        "- Saber leer un gráfico de líneas: los años abajo, los valores en el lado.\n"
        "- Duración: unas 3 horas en dos semanas.",
    ),
    md(
        "## Imports\n\nRun this cell first.",
        "## Importaciones\n\nEjecuten primero esta celda.",
    ),
    code(
        team_imports(
            "from vxkit import data",
            "from vxkit.widgets import ExchangeMap, IndicatorExplorer",
            tail="codes = sorted({c.country for c in classes})",
        )
    ),
    md("## Who is in our team?", "## ¿Quiénes somos en el equipo?"),
    team_members(),
    md(
        "## Explore the data together\n\n"
        "Choose countries and years in the explorer. Everyone in the team sees the same "
        "widget: agree who drives it. Try the partner countries first, then add a country where "
        "incomes are very high and one where they are very low.",
        "## Exploren los datos juntos\n\n"
        "Elijan países y años en el explorador. Todo el equipo ve el mismo widget: decidan quién "
        "lo maneja. Prueben primero los países del intercambio y luego añadan un país de "
        "ingresos muy altos y uno de ingresos muy bajos.",
    ),
    code('IndicatorExplorer("co2_per_person", exchange=exchange, locale=LOCALE)'),
    md(
        "The table shows CO₂ per person (tonnes per year) in your countries every 20 years.",
        "La tabla muestra el CO₂ por persona (toneladas por año) en sus países cada 20 años.",
    ),
    code(
        """
with_data = set(data.countries_with_data("co2_per_person"))
ours = [code for code in codes if data.to_iso3(code) in with_data]
co2 = data.indicator("co2_per_person", countries=ours)
co2.pivot(index="year", columns="country", values="value").loc[[1950, 1970, 1990, 2010]].round(2)
"""
    ),
    md(
        "## On the map\n\n"
        "The map colours each country by its CO₂ per person in 2010; the dots are your schools.",
        "## En el mapa\n\n"
        "El mapa colorea cada país según su CO₂ por persona en 2010; los puntos son sus escuelas.",
    ),
    code(
        'ExchangeMap(exchange, locale=LOCALE, indicator="co2_per_person", year=2010, years=range(1950, 2011, 10))'
    ),
    *class_findings(
        "Describe your country's curve: when did CO₂ per person rise or fall, and why do you "
        "think so (industry, cars, electricity from coal or from rivers)? Then name one way "
        "climate change already affects your region, with a source for it.",
        "Describan la curva de su país: ¿cuándo subió o bajó el CO₂ por persona, y por qué "
        "creen que pasó (industria, autos, electricidad de carbón o de ríos)? Luego nombren una "
        "forma en que el cambio climático ya afecta a su región, con una fuente.",
        LANG,
    ),
    *joint_conclusion(
        "Who emits the most per person among our countries, and who is most exposed? Are "
        "these the same countries? What would be fair to ask of each country?",
        "¿Quién emite más por persona entre nuestros países, y quién está más expuesto? ¿Son "
        "los mismos países? ¿Qué sería justo pedirle a cada país?",
        LANG,
    ),
    md(
        "## Summary\n\n"
        "CO₂ per person differs many times over between countries, and has changed a lot "
        "since 1950. The countries that emit the most per person are not always those most "
        "exposed to the effects.",
        "## Resumen\n\n"
        "El CO₂ por persona varía muchísimo entre países y ha cambiado mucho desde 1950. Los "
        "países que más emiten por persona no siempre son los más expuestos a los efectos.",
    ),
    md(RESOURCES_EN, RESOURCES_ES),
]

INDIVIDUAL = [
    md(
        "# Climate: CO₂ per person (individual work)\n\n"
        "This notebook is yours alone. The code exercises are checked automatically; your "
        "teacher reads the two reflections.",
        "# Clima: CO₂ por persona (trabajo individual)\n\n"
        "Este notebook es solo tuyo. Los ejercicios de código se corrigen automáticamente; tu "
        "profesor o profesora lee las dos reflexiones.",
    ),
    md(
        "## Overview\n\n"
        "You will answer questions about CO₂ emissions per person with pandas: a value, a "
        "change, a ranking and a comparison. Then you reflect on who emits and who is exposed.\n\n"
        f"{IPCC_EN}\n\n"
        "Points: 5 code exercises (10 points) and 2 reflections (6 points).",
        "## Panorama\n\n"
        "Vas a responder preguntas sobre las emisiones de CO₂ por persona con pandas: un valor, "
        "un cambio, una clasificación y una comparación. Luego reflexionas sobre quién emite y "
        "quién está expuesto.\n\n"
        f"{IPCC_ES}\n\n"
        "Puntos: 5 ejercicios de código (10 puntos) y 2 reflexiones (6 puntos).",
    ),
    md(
        "## Prerequisites\n\n"
        '- Python functions (`def`, `return`) and pandas filtering: `df[df["year"] == 2010]`.\n'
        "- Replace `raise NotImplementedError()` with your code and run the test cell below it.",
        "## Requisitos previos\n\n"
        '- Funciones de Python (`def`, `return`) y filtros de pandas: `df[df["year"] == 2010]`.\n'
        "- Reemplaza `raise NotImplementedError()` por tu código y ejecuta la celda de prueba "
        "que está debajo.",
    ),
    md(
        "## Imports\n\n"
        "The data: one row per country and year; `value` is tonnes of CO₂ per person. "
        "`MINE` is the code of your class's country and `PARTNER` that of your partner "
        "class's, read from your exchange: the cell prints them.",
        "## Importaciones\n\n"
        "Los datos: una fila por país y año; `value` son toneladas de CO₂ por persona. "
        "`MINE` es el código del país de tu clase y `PARTNER` el del país de tu clase "
        "compañera, leídos de tu intercambio: la celda los muestra.",
    ),
    code(
        "import numbers\n\nfrom vxkit import data\nfrom vxkit.views import notebook_countries\n\n"
        + exchange_countries("co2_per_person")
        + """# Countries to compare with, and every country of the exchange
REFERENCE = ["ARG", "BGD", "BRA", "CHL", "CHN", "DEU", "ESP", "FRA", "GBR"]
REFERENCE += ["IND", "JPN", "KEN", "MAR", "MEX", "NGA", "SEN", "USA", "ZAF"]
co2 = data.indicator("co2_per_person", countries=sorted({*REFERENCE, *ours.exchange}))
co2.head()
"""
    ),
    md(
        "## 1. One value\n\n"
        "Write `value_in(df, iso3, year)`: the value for the country with code `iso3` in "
        f"`year`, as a number (any number type), accepted {precision('en', 2)}.",
        "## 1. Un valor\n\n"
        "Escribe `value_in(df, iso3, year)`: el valor del país con código `iso3` en el año "
        f"`year`, como número (de cualquier tipo), aceptado {precision(LANG, 2)}.",
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
        decimals=2,
        accept=[
            """
def value_in(df, iso3, year):
    return df.set_index(["iso3", "year"]).loc[(iso3, year), "value"]
""",
            """
def value_in(df, iso3, year):
    return round(df.query("iso3 == @iso3 and year == @year")["value"].item(), 2)
""",
            """
def value_in(df, iso3, year):
    for _, row in df.iterrows():
        if row["iso3"] == iso3 and row["year"] == year:
            return row["value"]
""",
        ],
        mistakes=[
            Mistake(
                "returning the one-row Series (or frame) instead of a number",
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
assert isinstance(value_in(co2, "FRA", 2010), numbers.Real), "value_in should return a number"
""",
        """
france = value_in(co2, "FRA", 2010)
### BEGIN HIDDEN TESTS
for iso3, year in [("FRA", 2010), ("KEN", 1950), ("USA", 2010), ("CHL", 1990), (MINE, 2010), (PARTNER, 2000)]:
    expected = co2.loc[(co2["iso3"] == iso3) & (co2["year"] == year), "value"].iloc[0]
    assert abs(value_in(co2, iso3, year) - expected) <= 0.005 + 1e-9, "value_in gives a wrong value for another country or year"
### END HIDDEN TESTS
""",
    ),
    md(
        "## 2. Change over time\n\n"
        "Write `change(df, iso3, start, end)`: the value in `end` minus the value in `start`, "
        f"as a number accepted {precision('en', 2)}. A positive result means emissions per "
        "person went up. (You may use `value_in`.)",
        "## 2. Cambio en el tiempo\n\n"
        "Escribe `change(df, iso3, start, end)`: el valor en `end` menos el valor en `start`, "
        f"como número aceptado {precision(LANG, 2)}. Un resultado positivo significa que las "
        "emisiones por persona subieron. (Puedes usar `value_in`.)",
    ),
    answer(
        "change",
        '''
def change(df, iso3, start, end):
    """How much the value of `iso3` grew from `start` to `end` (negative: it fell)."""
    ### BEGIN SOLUTION
    return value_in(df, iso3, end) - value_in(df, iso3, start)
    ### END SOLUTION
''',
        returns="number",
        decimals=2,
        accept=[
            """
def change(df, iso3, start, end):
    by_year = df[df["iso3"] == iso3].set_index("year")["value"]
    return by_year[end] - by_year[start]
""",
            """
def change(df, iso3, start, end):
    return round(value_in(df, iso3, end) - value_in(df, iso3, start), 2)
""",
            """
def change(df, iso3, start, end):
    table = df.pivot(index="year", columns="iso3", values="value")
    return float(table.loc[end, iso3] - table.loc[start, iso3])
""",
        ],
        mistakes=[
            Mistake(
                "start minus end (the sign reversed)",
                """
def change(df, iso3, start, end):
    return value_in(df, iso3, start) - value_in(df, iso3, end)
""",
            ),
        ],
    ),
    *checks(
        "change",
        """
assert isinstance(change(co2, "CHN", 1950, 2010), numbers.Real), "change should return a number"
""",
        """
china = change(co2, "CHN", 1950, 2010)


# Follow-through: a change computed from the student's own (rounded) value_in counts too.
def own(iso3, start, end):
    try:
        return float(value_in(co2, iso3, end) - value_in(co2, iso3, start))
    except Exception:
        return float("nan")


### BEGIN HIDDEN TESTS
for iso3, start in [("CHN", 1950), ("GBR", 1970), ("FRA", 1960), ("KEN", 1960), ("CHL", 1960)]:
    by_year = co2[co2["iso3"] == iso3].set_index("year")["value"]
    expected = by_year[2010] - by_year[start]
    got = change(co2, iso3, start, 2010)
    ok = abs(got - expected) <= 0.005 + 1e-9 or abs(got - own(iso3, start, 2010)) <= 0.005 + 1e-9
    assert ok, "change gives a wrong value: the value in end minus the value in start"
assert abs(change(co2, "USA", 2000, 2000)) <= 0.005 + 1e-9, "nothing changes from a year to itself"
### END HIDDEN TESTS
""",
    ),
    md(
        "## 3. The highest emitters\n\n"
        "Write `top_emitters(df, year, n)`: the list of the `n` country codes with the highest "
        "values in `year`, highest first.\n\n"
        'Hint: `sort_values("value", ascending=False)`, `.head(n)` and `.tolist()`.',
        "## 3. Los que más emiten\n\n"
        "Escribe `top_emitters(df, year, n)`: la lista de los `n` códigos de país con los "
        "valores más altos en `year`, del más alto al más bajo.\n\n"
        'Pista: `sort_values("value", ascending=False)`, `.head(n)` y `.tolist()`.',
    ),
    answer(
        "top_emitters",
        '''
def top_emitters(df, year, n):
    """The codes of the n countries with the highest values in `year`, highest first."""
    ### BEGIN SOLUTION
    rows = df[df["year"] == year].sort_values("value", ascending=False)
    return rows["iso3"].head(n).tolist()
    ### END SOLUTION
''',
        returns="list",
        accept=[
            """
def top_emitters(df, year, n):
    return list(df[df["year"] == year].nlargest(n, "value")["iso3"])
""",
            """
def top_emitters(df, year, n):
    pairs = [(row.value, row.iso3) for row in df[df["year"] == year].itertuples()]
    return [code for _, code in sorted(pairs, reverse=True)[:n]]
""",
            """
def top_emitters(df, year, n):
    rows = df.query("year == @year").sort_values("value")
    return rows["iso3"].tolist()[::-1][:n]
""",
        ],
        mistakes=[
            Mistake(
                "sorting the wrong way (the lowest emitters first)",
                """
def top_emitters(df, year, n):
    return df[df["year"] == year].sort_values("value")["iso3"].head(n).tolist()
""",
            ),
            Mistake(
                "returning a Series or country names instead of a list of codes",
                """
def top_emitters(df, year, n):
    return df[df["year"] == year].nlargest(n, "value")["country"]
""",
            ),
        ],
    ),
    *checks(
        "top_emitters",
        """
top = top_emitters(co2, 2010, 3)
assert isinstance(top, list), "top_emitters should return a list"
assert len(top) == 3, "the list should have n codes"
assert all(isinstance(code, str) and len(code) == 3 for code in top), "each item is a three-letter country code"
""",
        """
top = top_emitters(co2, 2010, 3)
### BEGIN HIDDEN TESTS
assert top == co2[co2["year"] == 2010].nlargest(3, "value")["iso3"].tolist(), "the highest values come first"
assert top_emitters(co2, 1950, 1) == ["USA"], "with n = 1 the list has the highest emitter"
expected = co2[co2["year"] == 1980].nlargest(5, "value")["iso3"].tolist()
assert top_emitters(co2, 1980, 5) == expected, "top_emitters gives wrong codes for another year"
### END HIDDEN TESTS
""",
    ),
    md(
        "## 4. How many times more?\n\n"
        "Write `times_more(df, a, b, year)`: how many times more CO₂ per person country `a` "
        "emitted than country `b` in `year` (the value of `a` divided by the value of `b`), "
        f"as a number accepted {precision('en', 1)}.",
        "## 4. ¿Cuántas veces más?\n\n"
        "Escribe `times_more(df, a, b, year)`: cuántas veces más CO₂ por persona emitió el país "
        "`a` que el país `b` en `year` (el valor de `a` dividido por el valor de `b`), como "
        f"número aceptado {precision(LANG, 1)}.",
    ),
    answer(
        "times_more",
        '''
def times_more(df, a, b, year):
    """The value of country a divided by the value of country b in `year`."""
    ### BEGIN SOLUTION
    return value_in(df, a, year) / value_in(df, b, year)
    ### END SOLUTION
''',
        returns="number",
        decimals=1,
        accept=[
            """
def times_more(df, a, b, year):
    by = df[df["year"] == year].set_index("iso3")["value"]
    return by[a] / by[b]
""",
            """
def times_more(df, a, b, year):
    return round(value_in(df, a, year) / value_in(df, b, year), 1)
""",
        ],
        mistakes=[
            Mistake(
                "dividing the other way round (b by a)",
                """
def times_more(df, a, b, year):
    return value_in(df, b, year) / value_in(df, a, year)
""",
            ),
            Mistake(
                "the difference instead of the ratio",
                """
def times_more(df, a, b, year):
    return value_in(df, a, year) - value_in(df, b, year)
""",
            ),
        ],
    ),
    *checks(
        "times_more",
        """
ratio = times_more(co2, "USA", "KEN", 2010)
assert isinstance(ratio, numbers.Real), "times_more should return a number"
""",
        """
ratio = times_more(co2, "USA", "KEN", 2010)


# Follow-through: a ratio of the student's own (rounded) value_in counts too.
def own(a, b, year):
    try:
        return float(value_in(co2, a, year) / value_in(co2, b, year))
    except Exception:
        return float("nan")


### BEGIN HIDDEN TESTS
by = co2[co2["year"] == 2010].set_index("iso3")["value"]
for a, b in [("USA", "KEN"), ("FRA", "CHL"), ("KEN", "USA"), ("ESP", "ESP")]:
    got = times_more(co2, a, b, 2010)
    ok = abs(got - by[a] / by[b]) <= 0.05 + 1e-9 or abs(got - own(a, b, 2010)) <= 0.05 + 1e-9
    assert ok, "times_more gives a wrong value: the value of a divided by the value of b"
### END HIDDEN TESTS
""",
    ),
    *partner_task(
        "partner_change",
        (
            "## 5. Your partner class's country\n\n"
            "Set `partner_change` to how much CO₂ per person changed from 2000 to 2010 in your "
            "partner class's country (`PARTNER`), as a number accepted "
            f"{precision('en', 2)}. Your partners can tell you what lies behind it.",
            "## 5. El país de tu clase compañera\n\n"
            "Guarda en `partner_change` cuánto cambió el CO₂ por persona de 2000 a 2010 en el "
            "país de tu clase compañera (`PARTNER`), como número aceptado "
            f"{precision(LANG, 2)}. Tus compañeros pueden contarte qué hay detrás.",
        ),
        "partner_change = change(co2, PARTNER, 2000, 2010)",
        partner='notebook_countries("co2_per_person").partner',
        decimals=2,
        expected="""
by_year = data.indicator("co2_per_person", countries=[partner]).set_index("year")["value"]
expected = by_year[2010] - by_year[2000]
""",
        message="partner_change is the change in your partner class's country (PARTNER), "
        "from 2000 to 2010",
        accept=[
            "partner_change = value_in(co2, PARTNER, 2010) - value_in(co2, PARTNER, 2000)",
            """
by_year = co2[co2["iso3"] == PARTNER].set_index("year")["value"]
partner_change = round(by_year[2010] - by_year[2000], 2)
""",
        ],
        mistakes=[
            Mistake(
                "your own class's country (`MINE`) instead of the partner class's",
                "partner_change = change(co2, MINE, 2000, 2010)",
            ),
            Mistake(
                "the partner country's value in 2010 instead of the change",
                "partner_change = value_in(co2, PARTNER, 2010)",
            ),
        ],
    ),
    md(
        "## Reflections\n\nWrite in English or in Spanish, in full sentences.",
        "## Reflexiones\n\nEscribe en inglés o en español, con frases completas.",
    ),
    readonly(
        "### Reflection 1: who emits, who is exposed? (3 points)\n\n"
        "Use two numbers from your exercises to compare your country with a partner country. "
        "Then say who, in your opinion, is more exposed to the effects of climate change, "
        "and why. Is it the same country?\n\n"
        "**Rubric** (3 points)\n"
        "- 1 point: two correct numbers, with their unit and year.\n"
        "- 1 point: a reasoned view on exposure (heat, drought, floods, sea level, who can "
        "protect themselves), not only on emissions.\n"
        "- 1 point: respectful of the partner country (no blame on people, facts not clichés).",
        "### Reflexión 1: ¿quién emite, quién está expuesto? (3 puntos)\n\n"
        "Usa dos números de tus ejercicios para comparar tu país con un país del intercambio. "
        "Luego di quién, en tu opinión, está más expuesto a los efectos del cambio climático, y "
        "por qué. ¿Es el mismo país?\n\n"
        "**Rúbrica** (3 puntos)\n"
        "- 1 punto: dos números correctos, con su unidad y su año.\n"
        "- 1 punto: una opinión razonada sobre la exposición (calor, sequía, inundaciones, nivel "
        "del mar, quién puede protegerse), no solo sobre las emisiones.\n"
        "- 1 punto: respetuosa con el país compañero (sin culpar a las personas, hechos y no "
        "clichés).",
        "reflection_exposure_question",
    ),
    reflection(
        "reflection_exposure",
        3,
        "Write your answer here.",
        "Escribe tu respuesta aquí.",
    ),
    readonly(
        "### Reflection 2: what the numbers do not show (3 points)\n\n"
        "These data stop in 2012, count only fossil fuels and cement, and give an average per "
        "person. Name one thing they do not show, and explain how it could change a "
        "conclusion.\n\n"
        "**Rubric** (3 points)\n"
        "- 1 point: names a real limit (years, sources left out, averages hide differences, "
        "goods made in one country and used in another...).\n"
        "- 1 point: explains its effect on a conclusion.\n"
        "- 1 point: says where to look for a better number (a named source).",
        "### Reflexión 2: lo que los números no muestran (3 puntos)\n\n"
        "Estos datos terminan en 2012, cuentan solo combustibles fósiles y cemento, y dan un "
        "promedio por persona. Nombra algo que no muestran y explica cómo podría cambiar una "
        "conclusión.\n\n"
        "**Rúbrica** (3 puntos)\n"
        "- 1 punto: nombra un límite real (años, fuentes que faltan, los promedios esconden "
        "diferencias, productos fabricados en un país y usados en otro...).\n"
        "- 1 punto: explica su efecto en una conclusión.\n"
        "- 1 punto: dice dónde buscar un número mejor (una fuente con nombre).",
        "reflection_limits_question",
    ),
    reflection(
        "reflection_limits",
        3,
        "Write your answer here.",
        "Escribe tu respuesta aquí.",
    ),
    md(
        "## Summary\n\n"
        "You selected values, computed changes, ranked countries and compared them with a "
        "ratio: the four moves behind most data stories. You also saw that an average per "
        "person hides a lot.",
        "## Resumen\n\n"
        "Seleccionaste valores, calculaste cambios, ordenaste países y los comparaste con una "
        "razón: los cuatro pasos detrás de la mayoría de las historias con datos. También viste "
        "que un promedio por persona esconde mucho.",
    ),
    md(RESOURCES_EN, RESOURCES_ES),
]

GUIDE = """
# Teacher guide: Climate, who emits and who is exposed

**Unit id:** `climate_co2` · **SDG 13** (Climate action; target 13.3 on education and
awareness) · **Ages** 12-18 · **Time** about 3 hours over two weeks · **Phase:** exchange.

## Goals
- Students read and compare CO₂ emissions per person between the partner countries since 1950.
- They tell emissions (who causes) apart from exposure (who suffers), with sources.
- They discuss fairness without blaming people in the partner country.

## Timing across the exchange phases
| phase | when | what |
|---|---|---|
| plan | week 1 (own class, 30 min) | Teachers agree on the live slot; classes read the Overview. |
| exchange | week 1, lesson 1 (own class) | Team notebook: explorer, table and map; each class writes about its own country. |
| exchange | week 1, lesson 2 (own class) | Individual notebook, 45-60 minutes. |
| live session | week 2 | Teams compare their curves and write the joint conclusion. |

## Running the live session across time zones
- Use the slot chosen in *Meet your partners*; check it again if summer time changed since.
- Appoint one "driver" per team for the explorer: all partners see the same widget state, so
  two people clicking at once confuses everyone.
- Start with each class reading its own section aloud (3 minutes each), then 10 minutes on
  the joint conclusion. Partners who cannot be live write their view in the notebook first.

## Discussion prompts
- The partner with the lowest emissions per person: does it feel the effects less or more?
- Why might a country's emissions per person fall while its people get richer?
- Is it fair to compare totals or per person? Who gains from each choice?
- What does your region already see (heat, drought, floods, glaciers), and where is that
  written down?

## How to grade
- Autograded (10 points): `value_in`, `change`, `top_emitters`, `times_more` and
  `partner_change` (the partner class's country), 2 points each.
  Hidden tests recompute the expected values from the same data for other countries and years.
- Manually graded (6 points): two reflections, rubric above each answer cell. Accept any
  language the class uses; grade the reasoning and the care taken with facts and with the partner country.

## What students typically get wrong
- Totals and per-person values mixed up (China's total is the largest; its per-person value
  in 2010 was far below the USA's).
- Reading 2012 as "today": these data end in 2012. Send students to Our World in Data for newer
  figures, and ask them to cite the year of every number.
- Exposure described as a trait of a people ("they are poor") instead of conditions (where
  people live, what protection they have).

## Sources
- CO₂ per person 1950-2012: CDIAC, via `bokeh_sampledata`, as served by `vxkit.data`
  (public domain).
- IPCC, 2021: Summary for Policymakers, AR6 Working Group I (human influence, above all CO₂
  from fossil fuels, has warmed the climate). https://www.ipcc.ch/report/ar6/wg1/
- IPCC, 2022: Summary for Policymakers, AR6 Working Group II, statement B.2.4 (3.3 to 3.6
  billion people live in contexts highly vulnerable to climate change).
  https://www.ipcc.ch/report/ar6/wg2/
- SDG 13: https://sdgs.un.org/goals/goal13
"""

COMMENTS: dict[str, dict[str, str]] = {
    "value_in should return a number": {"es": "value_in debe devolver un número"},
    "value_in gives a wrong value for another country or year": {
        "es": "value_in da un valor erróneo para otro país u otro año"
    },
    "change should return a number": {"es": "change debe devolver un número"},
    "Follow-through: a change computed from the student's own (rounded) value_in counts too.": {
        "es": "Sin doble penalización: un cambio calculado con tu propio value_in (redondeado) también cuenta."
    },
    "change gives a wrong value: the value in end minus the value in start": {
        "es": "change da un valor erróneo: el valor en end menos el valor en start"
    },
    "nothing changes from a year to itself": {"es": "nada cambia de un año al mismo año"},
    "top_emitters should return a list": {"es": "top_emitters debe devolver una lista"},
    "the list should have n codes": {"es": "la lista debe tener n códigos"},
    "each item is a three-letter country code": {
        "es": "cada elemento es un código de país de tres letras"
    },
    "the highest values come first": {"es": "los valores más altos van primero"},
    "with n = 1 the list has the highest emitter": {
        "es": "con n = 1 la lista tiene el país que más emite"
    },
    "top_emitters gives wrong codes for another year": {
        "es": "top_emitters da códigos erróneos para otro año"
    },
    "times_more should return a number": {"es": "times_more debe devolver un número"},
    "Follow-through: a ratio of the student's own (rounded) value_in counts too.": {
        "es": "Sin doble penalización: un cociente de tu propio value_in (redondeado) también cuenta."
    },
    "times_more gives a wrong value: the value of a divided by the value of b": {
        "es": "times_more da un valor erróneo: el valor de a dividido por el valor de b"
    },
    "Countries to compare with, and every country of the exchange": {
        "es": "Países para comparar, y todos los países del intercambio"
    },
    "partner_change should be a number": {"es": "partner_change debe ser un número"},
    "partner_change is the change in your partner class's country (PARTNER), from 2000 to 2010": {
        "es": "partner_change es el cambio en el país de tu clase compañera (PARTNER), de 2000 a 2010"
    },
}

UNIT = Unit(
    id="climate_co2",
    lang=LANG,
    meta={
        "title": "Climate: who emits, who is exposed?",
        "sdg": 13,
        "ages": "12-18",
        "hours": 3,
        "phase": "exchange",
        "skills": [
            "filtering data with pandas",
            "comparing countries",
            "reading line charts",
            "citing sources",
        ],
    },
    team=TEAM,
    individual=INDIVIDUAL,
    guide=GUIDE,
    comments=comments(LANG, COMMENTS),
)
