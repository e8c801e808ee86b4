"""Unit 1: Plan our exchange, Learning Circles style (English and French; Spanish from its catalogue)."""

from __future__ import annotations

from nbbuild import Mistake, Unit, code, md, precision, readonly, reflection

from units.common import comments, joint_conclusion, partner_task, team_imports, team_members

LANG = "fr"

TEAM = [
    md(
        "# Plan our exchange\n\n"
        "In a learning circle, every class **sponsors a question**: a question about its own "
        "town or country that the partner classes help to answer with data. In this notebook "
        "your team writes its questions and decides who does what, and when.",
        "# Préparer notre échange\n\n"
        "Dans un cercle d'apprentissage, chaque classe **parraine une question** : une question "
        "sur sa ville ou son pays à laquelle les classes partenaires l'aident à répondre avec des "
        "données. Dans ce notebook, votre équipe écrit ses questions et décide qui fait quoi, et "
        "quand.",
    ),
    md(
        "## Overview\n\n"
        "1. See when all the classes are at school at the same time.\n"
        "2. Each class writes the question it sponsors.\n"
        "3. The team shares out the work across the time zones.",
        "## Aperçu\n\n"
        "1. Voir quand toutes les classes sont en cours en même temps.\n"
        "2. Chaque classe écrit la question qu'elle parraine.\n"
        "3. L'équipe se partage le travail à travers les fuseaux horaires.",
    ),
    md(
        "## Prerequisites\n\n"
        "- The unit *Meet your partners*: you know your team and the time difference.\n"
        "- Time needed: about 2 hours, in two lessons.",
        "## Prérequis\n\n"
        "- L'unité *Rencontrez vos partenaires* : vous connaissez votre équipe et le décalage "
        "horaire.\n"
        "- Durée : environ 2 heures, en deux séances.",
    ),
    md(
        "## Imports\n\nRun this cell first: it loads the exchange and finds your team.",
        "## Imports\n\nExécutez d'abord cette cellule : elle charge l'échange et trouve votre équipe.",
    ),
    code(team_imports("from vxkit.widgets import TimeZonePlanner")),
    md("## Who is in our team?", "## Qui fait partie de notre équipe ?"),
    team_members(),
    md(
        "## When are we all at school?\n\n"
        "The planner shows the hours when every class of the team is at school. Live work "
        "fits in these hours; everything else is done in each class's own lessons.",
        "## Quand sommes-nous tous en cours ?\n\n"
        "Le planificateur montre les heures où toutes les classes de l'équipe sont en cours. Le "
        "travail en direct se fait pendant ces heures ; le reste se fait pendant les cours de "
        "chaque classe.",
    ),
    code("TimeZonePlanner(classes=classes, locale=LOCALE)"),
    md(
        "## The questions we sponsor\n\n"
        "Each class writes, in its own subsection, **one question** about its town or country "
        "that matters to it, why it matters, and which data could answer it (an indicator of "
        "`vxkit.data`, or measurements the partners make). A good question can be answered by "
        "the partners too, for their own country.",
        "## Les questions que nous parrainons\n\n"
        "Chaque classe écrit, dans sa sous-section, **une question** sur sa ville ou son pays "
        "qui compte pour elle, pourquoi elle compte, et quelles données pourraient y répondre "
        "(un indicateur de `vxkit.data`, ou des mesures faites par les partenaires). Une bonne "
        "question peut aussi être posée par les partenaires, pour leur propre pays.",
    ),
    md(
        "### The question of class A: (class name)\n\n*Write here.*",
        "### La question de la classe A : (nom de la classe)\n\n*Écrivez ici.*",
    ),
    md(
        "### The question of class B: (class name)\n\n*Write here.*",
        "### La question de la classe B : (nom de la classe)\n\n*Écrivez ici.*",
    ),
    md(
        "### The question of class C: (if your team has a third class)\n\n*Write here.*",
        "### La question de la classe C : (si votre équipe a une troisième classe)\n\n"
        "*Écrivez ici.*",
    ),
    md(
        "## Who does what, and when\n\n"
        "Fill in the table together: every task has one person in charge, and a date in the "
        "local time of that person's class.\n\n"
        "| task | who (first name, class) | done by (local date) |\n"
        "|---|---|---|\n"
        "| find the data for question A | | |\n"
        "| find the data for question B | | |\n"
        "| write the summary for the portfolio | | |",
        "## Qui fait quoi, et quand\n\n"
        "Remplissez le tableau ensemble : chaque tâche a une personne responsable, et une date "
        "à l'heure locale de la classe de cette personne.\n\n"
        "| tâche | qui (prénom, classe) | pour le (date locale) |\n"
        "|---|---|---|\n"
        "| trouver les données de la question A | | |\n"
        "| trouver les données de la question B | | |\n"
        "| écrire le résumé pour le portfolio | | |",
    ),
    *joint_conclusion(
        "Our plan in three sentences: our questions, when we meet live (in each class's local "
        "time), and what we will publish at the end.",
        "Notre plan en trois phrases : nos questions, quand nous nous retrouvons en direct (à "
        "l'heure locale de chaque classe), et ce que nous publierons à la fin.",
        LANG,
    ),
    md(
        "## Summary\n\n"
        "Your team has its questions and a plan that fits every class's school day. Next "
        "units: you answer the questions with data.",
        "## Résumé\n\n"
        "Votre équipe a ses questions et un plan qui tient dans la journée de cours de chaque "
        "classe. Unités suivantes : vous répondez aux questions avec des données.",
    ),
    md(
        "## Resources\n\n"
        "- iEARN Learning Circles, how a circle works: https://iearn.org/collaborate/learning-circles\n"
        "- Time zones: the IANA time zone database (https://www.iana.org/time-zones).",
        "## Ressources\n\n"
        "- Les cercles d'apprentissage d'iEARN : https://iearn.org/collaborate/learning-circles\n"
        "- Fuseaux horaires : la base de données de l'IANA (https://www.iana.org/time-zones).",
    ),
]

INDIVIDUAL = [
    md(
        "# Plan our exchange (individual work)",
        "# Préparer notre échange (travail individuel)",
    ),
    md(
        "## Overview\n\n"
        "You find out how many hours a week your class and your partner class can work "
        "together live, and you write the question your class sponsors. Points: 1 code "
        "exercise (2 points), 2 reflections (3 points each).",
        "## Aperçu\n\n"
        "Vous calculez combien d'heures par semaine votre classe et votre classe partenaire "
        "peuvent travailler ensemble en direct, et vous écrivez la question que votre classe "
        "parraine. Points : 1 exercice de code (2 points), 2 réflexions (3 points chacune).",
    ),
    md(
        "## Prerequisites\n\n"
        "- The unit *Meet your partners* (`astimezone`, `ZoneInfo`).\n"
        "- Replace the solution with your code, then run the test cell below it.",
        "## Prérequis\n\n"
        "- L'unité *Rencontrez vos partenaires* (`astimezone`, `ZoneInfo`).\n"
        "- Remplacez la solution par votre code, puis exécutez la cellule de test en dessous.",
    ),
    md("## Imports\n\nRun this cell first.", "## Imports\n\nExécutez d'abord cette cellule."),
    code(
        """
import numbers
from datetime import date, datetime
from zoneinfo import ZoneInfo

from vxkit.views import notebook_classes

# Your class and your partner class, from your exchange
MINE, partners = notebook_classes()
PARTNER = partners[0] if partners else MINE
print(MINE.city, MINE.hours, "-", PARTNER.city, PARTNER.hours)
"""
    ),
    md(
        "## Our school week\n\n"
        "`school_days(cls)` gives the five school days of a class from Monday 15 to Friday 19 "
        "March 2027, each as a pair of moments (start, end) in the class's own time zone. Run "
        "it and look at the result.",
        "## Notre semaine de cours\n\n"
        "`school_days(cls)` donne les cinq jours de cours d'une classe du lundi 15 au vendredi "
        "19 mars 2027, chacun sous forme d'une paire d'instants (début, fin) dans le fuseau "
        "horaire de la classe. Exécutez-la et regardez le résultat.",
    ),
    code(
        '''
def school_days(cls):
    """The school days of `cls` from 15 to 19 March 2027: (start, end) moments."""
    zone = ZoneInfo(cls.timezone)
    days = [date(2027, 3, day) for day in range(15, 20)]
    return [
        (datetime.combine(d, cls.hours[0], zone), datetime.combine(d, cls.hours[1], zone))
        for d in days
    ]


school_days(MINE)[0]
'''
    ),
    *partner_task(
        "overlap_hours",
        (
            "## 1. Our hours together\n\n"
            "Set `overlap_hours` to how many hours, in that week, your class and your partner "
            "class are **both** at school: for every school day of your class and every "
            "school day of your partner class, add the time the two overlap (nothing when "
            f"they do not). Give a number accepted {precision('en', 1)}.\n\n"
            "Hint: two moments in different zones compare correctly; `max` of the starts and "
            "`min` of the ends give the overlap, and `(end - start).total_seconds() / 3600` "
            "its length in hours.",
            "## 1. Nos heures ensemble\n\n"
            "Mettez dans `overlap_hours` combien d'heures, cette semaine-là, votre classe et "
            "votre classe partenaire sont **toutes les deux** en cours : pour chaque jour de "
            "cours de votre classe et chaque jour de cours de votre classe partenaire, ajoutez "
            "le temps où ils se chevauchent (rien s'ils ne se chevauchent pas). Donnez un "
            f"nombre accepté {precision(LANG, 1)}.\n\n"
            "Indice : deux instants de fuseaux différents se comparent correctement ; le `max` "
            "des débuts et le `min` des fins donnent le chevauchement, et "
            "`(end - start).total_seconds() / 3600` sa durée en heures.",
        ),
        """
overlap_hours = 0
for my_start, my_end in school_days(MINE):
    for their_start, their_end in school_days(PARTNER):
        start, end = max(my_start, their_start), min(my_end, their_end)
        if end > start:
            overlap_hours += (end - start).total_seconds() / 3600
""",
        partner="notebook_classes()[1][0]",
        decimals=1,
        expected="""
mine = notebook_classes()[0]
week = [date(2027, 3, day) for day in range(15, 20)]
spans = {
    c.id: [
        (datetime.combine(d, c.hours[0], ZoneInfo(c.timezone)), datetime.combine(d, c.hours[1], ZoneInfo(c.timezone)))
        for d in week
    ]
    for c in (mine, partner)
}
expected = sum(
    max(0, (min(a[1], b[1]) - max(a[0], b[0])).total_seconds()) / 3600
    for a in spans[mine.id]
    for b in spans[partner.id]
)
""",
        message="overlap_hours is the time, in hours, when both classes are at school from 15 "
        "to 19 March 2027",
        accept=[
            """
total = 0
for a, b in school_days(MINE):
    for c, d in school_days(PARTNER):
        total += max(0, (min(b, d) - max(a, c)).total_seconds() / 60)
overlap_hours = round(total / 60, 1)
""",
            """
overlap_hours = sum(
    max(0.0, (min(b[1], a[1]) - max(b[0], a[0])).total_seconds() / 3600)
    for a in school_days(MINE)
    for b in school_days(PARTNER)
)
""",
        ],
        mistakes=[
            Mistake(
                "a pair of days that does not overlap counted as negative hours",
                """
overlap_hours = 0
for my_start, my_end in school_days(MINE):
    for their_start, their_end in school_days(PARTNER):
        start, end = max(my_start, their_start), min(my_end, their_end)
        overlap_hours += (end - start).total_seconds() / 3600
""",
            ),
            Mistake(
                "the clock times compared as if both classes were in the same time zone",
                """
start = max(MINE.hours[0], PARTNER.hours[0])
end = min(MINE.hours[1], PARTNER.hours[1])
day = (end.hour - start.hour) + (end.minute - start.minute) / 60
overlap_hours = 5 * max(0, day)
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
        "### Reflection 1: the question my class sponsors (3 points)\n\n"
        "Write the question your class sponsors for the circle. Why does it matter to you, and "
        "which data could answer it, for your country and your partners'?\n\n"
        "**Rubric** (3 points)\n"
        "- 3 points: a precise question about your own town or country, a reason rooted in "
        "your everyday life, and data named that both classes can find.\n"
        "- 2 points: a clear question and a reason, but the data are vague or only fit one "
        "country.\n"
        '- 1 point: a question only, too general to answer ("Is the climate changing?").\n'
        "- 0 points: no question.",
        "### Réflexion 1 : la question que parraine ma classe (3 points)\n\n"
        "Écrivez la question que votre classe parraine pour le cercle. Pourquoi compte-t-elle "
        "pour vous, et quelles données pourraient y répondre, pour votre pays et celui de vos "
        "partenaires ?\n\n"
        "**Grille** (3 points)\n"
        "- 3 points : une question précise sur votre ville ou votre pays, une raison tirée de "
        "votre vie de tous les jours, et des données nommées que les deux classes peuvent "
        "trouver.\n"
        "- 2 points : une question claire et une raison, mais des données vagues ou qui ne "
        "valent que pour un pays.\n"
        "- 1 point : une question seulement, trop générale pour y répondre (« Le climat "
        "change-t-il ? »).\n"
        "- 0 point : pas de question.",
        "reflection_question_question",
    ),
    reflection(
        "reflection_question",
        3,
        "Write your answer here.",
        "Écrivez votre réponse ici.",
    ),
    readonly(
        "### Reflection 2: working across time zones (3 points)\n\n"
        "Look at your `overlap_hours`. Which part of the work must your team do live, and "
        "which part can each class do in its own lessons? What will you do if a live session "
        "fails?\n\n"
        "**Rubric** (3 points)\n"
        "- 3 points: uses the number of hours found, sorts at least two tasks into live and "
        "own-lesson work with a reason, and gives a concrete fallback.\n"
        "- 2 points: sorts the tasks with a reason, but does not use the hours found or has no "
        "fallback.\n"
        "- 1 point: lists tasks without saying when or why.\n"
        "- 0 points: no answer about the work.",
        "### Réflexion 2 : travailler à travers les fuseaux horaires (3 points)\n\n"
        "Regardez votre `overlap_hours`. Quelle partie du travail votre équipe doit-elle faire "
        "en direct, et quelle partie chaque classe peut-elle faire pendant ses propres cours ? "
        "Que ferez-vous si une session en direct échoue ?\n\n"
        "**Grille** (3 points)\n"
        "- 3 points : utilise le nombre d'heures trouvé, classe au moins deux tâches entre "
        "travail en direct et travail en classe avec une raison, et donne une solution de "
        "secours concrète.\n"
        "- 2 points : classe les tâches avec une raison, mais n'utilise pas les heures "
        "trouvées ou n'a pas de solution de secours.\n"
        "- 1 point : liste des tâches sans dire quand ni pourquoi.\n"
        "- 0 point : pas de réponse sur le travail.",
        "reflection_time_question",
    ),
    reflection(
        "reflection_time",
        3,
        "Write your answer here.",
        "Écrivez votre réponse ici.",
    ),
    md(
        "## Summary\n\n"
        "You computed the hours your classes share in a school week, across time zones, and "
        "wrote the question your class brings to the circle.",
        "## Résumé\n\n"
        "Vous avez calculé les heures que vos classes partagent dans une semaine de cours, à "
        "travers les fuseaux horaires, et écrit la question que votre classe apporte au cercle.",
    ),
    md(
        "## Resources\n\n"
        "- Python documentation, `datetime.combine`: "
        "https://docs.python.org/3/library/datetime.html\n"
        "- iEARN Learning Circles: https://iearn.org/collaborate/learning-circles",
        "## Ressources\n\n"
        "- Documentation de Python, `datetime.combine` : "
        "https://docs.python.org/fr/3/library/datetime.html\n"
        "- Les cercles d'apprentissage d'iEARN : https://iearn.org/collaborate/learning-circles",
    ),
]

COMMENTS = {
    "Your class and your partner class, from your exchange": {
        "fr": "Votre classe et votre classe partenaire, d'après votre échange"
    },
    "overlap_hours should be a number": {"fr": "overlap_hours doit être un nombre"},
    "overlap_hours is the time, in hours, when both classes are at school from 15 to 19 March 2027": {
        "fr": "overlap_hours est le temps, en heures, où les deux classes sont en cours du 15 au "
        "19 mars 2027"
    },
}

GUIDE = """
# Teacher guide: Plan our exchange

**Unit id:** `plan` · **SDG 17** (Partnerships for the goals, target 17.6 on international
cooperation, and SDG 4.7 on education for global citizenship) · **Ages** 12-18 · **Time** about
2 hours in two lessons · **Phase:** plan.

## Goals
- Each class sponsors one question for the circle, as in iEARN Learning Circles: a question about
  its own place that the partner classes help to answer.
- Students compute the hours their classes share in a school week, across time zones.
- The team shares out the work, with one person in charge of each task and a local date.

## Lessons: objectives and success criteria
| lesson | objective | success criteria |
|---|---|---|
| 1 (own class, 45 min) | Compute the weekly overlap of the school days and draft the sponsored question. | `overlap_hours` passes its tests; the class agrees on one question and names its data. |
| 2 (live, 30 min, or in turns) | The team reads the questions and fills in who does what. | Every task in the table has a first name and a local date; the joint conclusion has three sentences. |

## Timing across the exchange phases
| phase | when | what |
|---|---|---|
| plan | week 2, lesson 1 (own class) | Individual notebook: the weekly overlap and the two reflections. |
| plan | week 2, lesson 2 (live or in turns) | Team notebook: the sponsored questions, the table of tasks, the joint conclusion. |
| exchange | weeks 3 to 8 | The data units answer the questions; each class comes back to its question in the team notebook. |

## Running the live session across time zones
- The planner in the team notebook shows the hours when every class is at school; `overlap_hours`
  gives the same for the two classes of a student's notebook. In the demo, in the week of 15
  March 2027, Lyon and Nairobi share 27.5 hours, Lyon and Valparaíso 25, and Nairobi and
  Valparaíso only 7.5 (1.5 hours a day, the end of Nairobi's day).
- With no overlap, the team works in turns: each class writes its part during its lesson and the
  other answers in the next one. The table of tasks makes the turns visible.

## Discussion prompts
- What makes a question one the partners can answer for their own country too?
- Which tasks need everyone at the same time, and which do not?

## How to grade
- Autograded (2 points): `overlap_hours`, graded on the partner class's time zone and hours,
  read again from the exchange.
- Manually graded (6 points): two reflections, 3 points each, with level descriptors in the
  rubric above each answer. Grade content, not language.
- Model answer, reflection 1 (Nairobi): "Our question: why do people in Kenya live longer
  than 50 years ago? Our grandparents tell us how the clinics changed. The indicator
  `life_expectancy` of `vxkit.data` answers it for Kenya, and for France with our partners."
- Model answer, reflection 2: "Nairobi and Valparaíso share 7.5 hours a week. We will read
  our questions to each other live, and each class will find its data in its own lessons. If
  the connection fails, we write in the team notebook and answer in the next lesson."

## What students typically get wrong
- A question so general that no data set answers it: ask what they would measure.

## Sources
- iEARN Learning Circles: https://iearn.org/collaborate/learning-circles
- Time zones: IANA time zone database (https://www.iana.org/time-zones), via Python's `zoneinfo`.
- SDG targets 17.6 and 4.7: United Nations, https://sdgs.un.org/goals/goal17 and
  https://sdgs.un.org/goals/goal4.
"""

UNIT = Unit(
    id="plan",
    lang=LANG,
    meta={
        "title": "Plan our exchange",
        "sdg": 17,
        "ages": "12-18",
        "hours": 2,
        "phase": "plan",
        "skills": ["time zones", "loops", "asking a question", "sharing out work"],
    },
    team=TEAM,
    individual=INDIVIDUAL,
    guide=GUIDE,
    comments=comments(LANG, COMMENTS),
)
