"""Last unit: Close our exchange, reflection and goodbyes (English and French; Spanish from its
catalogue). Teachers print a certificate per student with ``vxkit certificates CLASS``."""

from __future__ import annotations

from nbbuild import Mistake, Unit, code, md, precision, readonly, reflection

from units.common import comments, joint_conclusion, partner_task, team_imports, team_members

LANG = "fr"

TEAM = [
    md(
        "# Close our exchange\n\n"
        "The exchange ends here. In this last notebook your team looks back at what it did, "
        "says what each class learned from the others, and says goodbye.",
        "# Clore notre échange\n\n"
        "L'échange se termine ici. Dans ce dernier notebook, votre équipe revient sur ce "
        "qu'elle a fait, dit ce que chaque classe a appris des autres, et se dit au revoir.",
    ),
    md(
        "## Overview\n\n"
        "1. See once more where the schools are.\n"
        "2. Each class writes what it learned from its partners.\n"
        "3. Everyone writes a goodbye message.\n"
        "4. The team writes what it achieved together.",
        "## Aperçu\n\n"
        "1. Revoir où sont les écoles.\n"
        "2. Chaque classe écrit ce qu'elle a appris de ses partenaires.\n"
        "3. Chacun écrit un message d'au revoir.\n"
        "4. L'équipe écrit ce qu'elle a réussi ensemble.",
    ),
    md(
        "## Prerequisites\n\n"
        "- The units of your exchange, and your team's portfolio.\n"
        "- Time needed: about 2 hours, in two lessons.",
        "## Prérequis\n\n"
        "- Les unités de votre échange, et le portfolio de votre équipe.\n"
        "- Durée : environ 2 heures, en deux séances.",
    ),
    md(
        "## Imports\n\nRun this cell first: it loads the exchange and finds your team.",
        "## Imports\n\nExécutez d'abord cette cellule : elle charge l'échange et trouve votre équipe.",
    ),
    code(team_imports("from vxkit.widgets import ExchangeMap")),
    md("## Who is in our team?", "## Qui fait partie de notre équipe ?"),
    team_members(),
    md(
        "## How far we travelled\n\n"
        "Nobody took a plane, but your work went from school to school. Find your school and "
        "your partners' on the map.",
        "## Le chemin parcouru\n\n"
        "Personne n'a pris l'avion, mais votre travail est allé d'école en école. Retrouvez "
        "votre école et celles de vos partenaires sur la carte.",
    ),
    code("ExchangeMap(exchange, locale=LOCALE)"),
    md(
        "## What we learned from each other\n\n"
        "Each class writes, in its own subsection, two things it learned **from its partners** "
        "(not from the data alone), and one idea it had before the exchange that changed.",
        "## Ce que nous avons appris les uns des autres\n\n"
        "Chaque classe écrit, dans sa sous-section, deux choses qu'elle a apprises **de ses "
        "partenaires** (pas seulement des données), et une idée qu'elle avait avant l'échange "
        "et qui a changé.",
    ),
    md(
        "### Class A: (class name)\n\n*Write here.*",
        "### Classe A : (nom de la classe)\n\n*Écrivez ici.*",
    ),
    md(
        "### Class B: (class name)\n\n*Write here.*",
        "### Classe B : (nom de la classe)\n\n*Écrivez ici.*",
    ),
    md(
        "### Class C: (if your team has a third class)\n\n*Write here.*",
        "### Classe C : (si votre équipe a une troisième classe)\n\n*Écrivez ici.*",
    ),
    md(
        "## Goodbye messages\n\n"
        "Each of you writes one or two sentences to the team, in your own language and in "
        "English: a thank-you, a memory, a wish. First names only, and nothing you would not "
        "want published in the portfolio.",
        "## Messages d'au revoir\n\n"
        "Chacun écrit une ou deux phrases à l'équipe, dans sa langue et en anglais : un merci, "
        "un souvenir, un vœu. Prénoms seulement, et rien que vous ne voudriez pas voir publié "
        "dans le portfolio.",
    ),
    md("*Write your messages here.*", "*Écrivez vos messages ici.*"),
    *joint_conclusion(
        "What we achieved together, in three sentences, and one thing we would do differently "
        "in another exchange.",
        "Ce que nous avons réussi ensemble, en trois phrases, et une chose que nous ferions "
        "autrement dans un autre échange.",
        LANG,
    ),
    md(
        "## Summary\n\n"
        "Your exchange is over: your teachers print a certificate for each of you, with the "
        "units you handed in and your partner classes.",
        "## Résumé\n\n"
        "Votre échange est terminé : vos enseignants impriment un certificat pour chacun de "
        "vous, avec les unités que vous avez rendues et vos classes partenaires.",
    ),
    md(
        "## Resources\n\n"
        "- School locations: written by your teachers in `exchange.toml`; map tiles © "
        "OpenStreetMap contributors (https://www.openstreetmap.org/copyright).\n"
        "- eTwinning, how projects end and are shared: https://school-education.ec.europa.eu/en/etwinning",
        "## Ressources\n\n"
        "- Emplacement des écoles : écrit par vos enseignants dans `exchange.toml` ; fonds de "
        "carte © les contributeurs d'OpenStreetMap (https://www.openstreetmap.org/copyright).\n"
        "- eTwinning, comment les projets se terminent et se partagent : "
        "https://school-education.ec.europa.eu/fr/etwinning",
    ),
]

INDIVIDUAL = [
    md(
        "# Close our exchange (individual work)",
        "# Clore notre échange (travail individuel)",
    ),
    md(
        "## Overview\n\n"
        "You compute how far apart your school and your partner school are, then look back on "
        "the exchange. Points: 1 code exercise (2 points), 2 reflections (3 points each).",
        "## Aperçu\n\n"
        "Vous calculez la distance entre votre école et l'école partenaire, puis vous revenez "
        "sur l'échange. Points : 1 exercice de code (2 points), 2 réflexions (3 points chacune).",
    ),
    md(
        "## Prerequisites\n\n"
        "- The earlier units of the exchange.\n"
        "- Replace the solution with your code, then run the test cell below it.",
        "## Prérequis\n\n"
        "- Les unités précédentes de l'échange.\n"
        "- Remplacez la solution par votre code, puis exécutez la cellule de test en dessous.",
    ),
    md("## Imports\n\nRun this cell first.", "## Imports\n\nExécutez d'abord cette cellule."),
    code(
        """
import math
import numbers

from vxkit.views import notebook_classes

# Your class and your partner class, from your exchange
MINE, partners = notebook_classes()
PARTNER = partners[0] if partners else MINE
# latitude and longitude of each school, in degrees, from exchange.toml
print(MINE.city, MINE.latitude, MINE.longitude, "-", PARTNER.city, PARTNER.latitude, PARTNER.longitude)
"""
    ),
    *partner_task(
        "distance_km",
        (
            "## 1. How far apart are our schools?\n\n"
            "Set `distance_km` to the distance, in kilometres, between your school "
            "(`MINE.latitude`, `MINE.longitude`) and your partner school (`PARTNER.latitude`, "
            "`PARTNER.longitude`) along the Earth's surface, as a number accepted "
            f"{precision('en', 1)}. Take the Earth as a sphere of radius 6371 km and use "
            "the haversine formula, with the angles in radians:\n\n"
            "`a = sin²(Δlat / 2) + cos(lat1) · cos(lat2) · sin²(Δlon / 2)`, "
            "distance `= 2 · 6371 · asin(√a)`.\n\n"
            "Hint: `math.radians` turns degrees into radians.",
            "## 1. Quelle distance sépare nos écoles ?\n\n"
            "Mettez dans `distance_km` la distance, en kilomètres, entre votre école "
            "(`MINE.latitude`, `MINE.longitude`) et l'école partenaire (`PARTNER.latitude`, "
            "`PARTNER.longitude`) à la surface de la Terre, sous forme de nombre accepté "
            f"{precision(LANG, 1)}. Prenez la Terre pour une sphère de 6371 km de rayon et "
            "utilisez la formule de haversine, avec les angles en radians :\n\n"
            "`a = sin²(Δlat / 2) + cos(lat1) · cos(lat2) · sin²(Δlon / 2)`, "
            "distance `= 2 · 6371 · asin(√a)`.\n\n"
            "Indice : `math.radians` convertit les degrés en radians.",
        ),
        """
lat1, lon1 = math.radians(MINE.latitude), math.radians(MINE.longitude)
lat2, lon2 = math.radians(PARTNER.latitude), math.radians(PARTNER.longitude)
a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
distance_km = 2 * 6371 * math.asin(math.sqrt(a))
""",
        partner="notebook_classes()[1][0]",
        decimals=1,
        expected="""
mine = notebook_classes()[0]
p1, l1, p2, l2 = map(math.radians, (mine.latitude, mine.longitude, partner.latitude, partner.longitude))
cosine = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(l2 - l1)
expected = 6371 * math.acos(max(-1.0, min(1.0, cosine)))
""",
        message="distance_km is the distance between your school and your partner school, "
        "on a sphere of radius 6371 km",
        accept=[
            """
to_rad = math.pi / 180
p1, p2 = MINE.latitude * to_rad, PARTNER.latitude * to_rad
dl = (PARTNER.longitude - MINE.longitude) * to_rad
distance_km = round(6371 * math.acos(math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)), 1)
""",
            """
import numpy as np

lat = np.radians([MINE.latitude, PARTNER.latitude])
dlon = np.radians(PARTNER.longitude - MINE.longitude)
a = np.sin((lat[1] - lat[0]) / 2) ** 2 + np.cos(lat[0]) * np.cos(lat[1]) * np.sin(dlon / 2) ** 2
distance_km = 2 * 6371 * np.arcsin(np.sqrt(a))
""",
        ],
        mistakes=[
            Mistake(
                "the angles left in degrees (`math.sin` takes radians)",
                """
lat1, lon1, lat2, lon2 = MINE.latitude, MINE.longitude, PARTNER.latitude, PARTNER.longitude
a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
distance_km = 2 * 6371 * math.asin(math.sqrt(a))
""",
            ),
            Mistake(
                "a flat map: Pythagoras on the degrees, 111.2 km each",
                """
dlat = PARTNER.latitude - MINE.latitude
dlon = PARTNER.longitude - MINE.longitude
distance_km = 111.2 * math.sqrt(dlat**2 + dlon**2)
""",
            ),
        ],
    ),
    md(
        "## Reflections\n\n"
        "Write in English or in your own language. Full sentences, first names only.",
        "## Réflexions\n\n"
        "Écrivez en anglais ou en français. Des phrases complètes, prénoms seulement.",
    ),
    readonly(
        "### Reflection 1: what I learned from my partners (3 points)\n\n"
        "What did you learn from your partners that you could not have learned from the data "
        "or from a book? Give an example from a moment of the exchange.\n\n"
        "**Rubric** (3 points)\n"
        "- 3 points: names something learned from the partners themselves, with a precise "
        "moment of the exchange, and says how it changed an idea they had.\n"
        "- 2 points: something learned from the partners, with an example, but no change of "
        "idea.\n"
        '- 1 point: a general statement ("it was interesting") or only what the data showed.\n'
        "- 0 points: no answer about the partners.",
        "### Réflexion 1 : ce que j'ai appris de mes partenaires (3 points)\n\n"
        "Qu'avez-vous appris de vos partenaires que vous n'auriez pas pu apprendre des données "
        "ou d'un livre ? Donnez un exemple tiré d'un moment de l'échange.\n\n"
        "**Grille** (3 points)\n"
        "- 3 points : nomme quelque chose appris des partenaires eux-mêmes, avec un moment "
        "précis de l'échange, et dit comment cela a changé une idée.\n"
        "- 2 points : quelque chose appris des partenaires, avec un exemple, mais sans "
        "changement d'idée.\n"
        "- 1 point : une phrase générale (« c'était intéressant ») ou seulement ce que "
        "montraient les données.\n"
        "- 0 point : pas de réponse sur les partenaires.",
        "reflection_learned_question",
    ),
    reflection(
        "reflection_learned",
        3,
        "Write your answer here.",
        "Écrivez votre réponse ici.",
    ),
    readonly(
        "### Reflection 2: working together at a distance (3 points)\n\n"
        "What was hard about working with a class far away, and what did your team do about "
        "it? What would you keep for another exchange?\n\n"
        "**Rubric** (3 points)\n"
        "- 3 points: one concrete difficulty (time zones, language, connection, ...), what "
        "the team did about it, and one practice to keep, with a reason.\n"
        "- 2 points: a difficulty and what was done, but nothing to keep, or no reason.\n"
        "- 1 point: a difficulty only.\n"
        "- 0 points: no answer about working together.",
        "### Réflexion 2 : travailler ensemble à distance (3 points)\n\n"
        "Qu'est-ce qui a été difficile dans le travail avec une classe lointaine, et qu'a fait "
        "votre équipe ? Que garderiez-vous pour un autre échange ?\n\n"
        "**Grille** (3 points)\n"
        "- 3 points : une difficulté concrète (fuseaux horaires, langue, connexion...), ce que "
        "l'équipe a fait, et une pratique à garder, avec une raison.\n"
        "- 2 points : une difficulté et ce qui a été fait, mais rien à garder, ou sans "
        "raison.\n"
        "- 1 point : une difficulté seulement.\n"
        "- 0 point : pas de réponse sur le travail en commun.",
        "reflection_together_question",
    ),
    reflection(
        "reflection_together",
        3,
        "Write your answer here.",
        "Écrivez votre réponse ici.",
    ),
    md(
        "## Summary\n\n"
        "You measured the distance your exchange bridged and looked back on what you learned "
        "with your partners. Thank you, and goodbye!",
        "## Résumé\n\n"
        "Vous avez mesuré la distance que votre échange a franchie et vous êtes revenus sur ce "
        "que vous avez appris avec vos partenaires. Merci, et au revoir !",
    ),
    md(
        "## Resources\n\n"
        "- Python documentation, `math`: https://docs.python.org/3/library/math.html\n"
        "- The haversine formula: https://en.wikipedia.org/wiki/Haversine_formula",
        "## Ressources\n\n"
        "- Documentation de Python, `math` : https://docs.python.org/fr/3/library/math.html\n"
        "- La formule de haversine : https://fr.wikipedia.org/wiki/Formule_de_haversine",
    ),
]

COMMENTS = {
    "Your class and your partner class, from your exchange": {
        "fr": "Votre classe et votre classe partenaire, d'après votre échange"
    },
    "latitude and longitude of each school, in degrees, from exchange.toml": {
        "fr": "latitude et longitude de chaque école, en degrés, d'après exchange.toml"
    },
    "distance_km should be a number": {"fr": "distance_km doit être un nombre"},
    "distance_km is the distance between your school and your partner school, on a sphere of radius 6371 km": {
        "fr": "distance_km est la distance entre votre école et l'école partenaire, sur une sphère "
        "de 6371 km de rayon"
    },
}

GUIDE = """
# Teacher guide: Close our exchange

**Unit id:** `closing` · **SDG 17** (Partnerships for the goals, target 17.6 on international
cooperation, and SDG 4.7 on education for global citizenship) · **Ages** 12-18 · **Time** about
2 hours in two lessons · **Phase:** publish.

## Goals
- Students look back on what they learned from their partners, not only from the data.
- Each student says goodbye to the team, kindly and in a way fit to publish.
- Students compute the great-circle distance between two schools from their coordinates.
- Every student gets a certificate of participation.

## Lessons: objectives and success criteria
| lesson | objective | success criteria |
|---|---|---|
| 1 (own class, 45 min) | Compute the distance between the schools and write the two reflections. | `distance_km` passes its tests; each reflection gives a moment of the exchange. |
| 2 (live, 30 min, or in turns) | The team writes what each class learned, its goodbyes and its joint conclusion. | Every class has written its subsection; every student has a goodbye message. |

## Timing across the exchange phases
| phase | when | what |
|---|---|---|
| publish | last week, lesson 1 (own class) | Individual notebook: the distance and the two reflections. |
| publish | last week, lesson 2 (live or in turns) | Team notebook: what we learned, goodbyes, joint conclusion; then `vxkit portfolio`. |
| after the exchange | the last day | `vxkit certificates CLASS` for each class; hand out the printed certificates. |

## Running the live session across time zones
- Keep the goodbyes live if the classes share an hour (the plan unit's `overlap_hours`); if not,
  each class writes its messages in its lesson and reads the others' in the next.
- A short video call to say goodbye matters more than any notebook: plan 10 minutes for it.

## Certificates
- `vxkit certificates CLASS` writes `certificates-CLASS.html` (`--out FILE` for another name):
  one A4 page per student of the class, with their first name, the class and school, the partner
  classes, the exchange's title and dates, and the units they handed in (collected with
  `vxkit collect`, their own or their team's). The page is in the class's first language.
- Open it in a browser and print it; run it after the last `vxkit collect` so every unit counts.

## Discussion prompts
- Which moment of the exchange will you remember, and why?
- What would you tell a class starting an exchange next year?

## How to grade
- Autograded (2 points): `distance_km`, graded on the partner school's coordinates, read again
  from the exchange (every school needs `latitude` and `longitude` in `exchange.toml`).
- Manually graded (6 points): two reflections, 3 points each, with level descriptors in the
  rubric above each answer. Grade content, not language.
- Model answer, reflection 1 (a student in Nairobi): "Josefa told us that in Valparaíso they
  have earthquake drills at school. I thought an earthquake was something that happens once in
  a lifetime; for them it is part of school life, like a fire drill for us."
- Model answer, reflection 2: "The hardest was the time: Valparaíso starts school when our day
  is nearly over. We left questions in the team notebook and they answered the next morning. I
  would keep the table of who does what, because nobody waited for anybody."

## What students typically get wrong
- Goodbye messages with surnames, addresses or social media accounts: they are published.

## Sources
- The haversine formula: https://en.wikipedia.org/wiki/Haversine_formula (mean Earth radius
  6371 km).
- SDG targets 17.6 and 4.7: United Nations, https://sdgs.un.org/goals/goal17 and
  https://sdgs.un.org/goals/goal4.
"""

UNIT = Unit(
    id="closing",
    lang=LANG,
    meta={
        "title": "Close our exchange",
        "sdg": 17,
        "ages": "12-18",
        "hours": 2,
        "phase": "publish",
        "skills": ["latitude and longitude", "trigonometry", "reflecting", "saying goodbye"],
    },
    team=TEAM,
    individual=INDIVIDUAL,
    guide=GUIDE,
    comments=comments(LANG, COMMENTS),
)
