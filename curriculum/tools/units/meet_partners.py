"""Unit 0: Meet your partners (English and French)."""

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

TEAM = [
    md(
        "# Meet your partners\n\n"
        "Welcome to your team! You and your partners abroad work in this notebook **together, "
        "live**: every edit anyone makes appears on everyone's screen.",
        "# Rencontrez vos partenaires\n\n"
        "Bienvenue dans votre équipe ! Vous et vos partenaires à l'étranger travaillez dans ce "
        "notebook **ensemble, en direct** : chaque modification apparaît sur l'écran de tous.",
    ),
    md(
        "## Overview\n\n"
        "In this unit you find out where your partner schools are, what time it is there, and "
        "who is in your team. Then you plan your first live session together.\n\n"
        "1. See the schools on a map.\n"
        "2. Compare local times and school hours.\n"
        "3. Introduce your class.\n"
        "4. Plan the first live session with the time-zone planner.",
        "## Aperçu\n\n"
        "Dans cette unité, vous découvrez où sont les écoles partenaires, quelle heure il y est, "
        "et qui fait partie de votre équipe. Puis vous préparez ensemble votre première session "
        "en direct.\n\n"
        "1. Voir les écoles sur une carte.\n"
        "2. Comparer les heures locales et les horaires de cours.\n"
        "3. Présenter votre classe.\n"
        "4. Préparer la première session en direct avec le planificateur de fuseaux horaires.",
    ),
    md(
        "## Prerequisites\n\n"
        "- How to run a cell: click it, then press **Shift + Enter**.\n"
        "- Our team rules: first names only, be kind, ask before you change someone else's text.\n"
        "- Time needed: about 2 hours, in two lessons.",
        "## Prérequis\n\n"
        "- Savoir exécuter une cellule : cliquez dessus, puis appuyez sur **Maj + Entrée**.\n"
        "- Les règles de l'équipe : prénoms seulement, soyez bienveillants, demandez avant de "
        "modifier le texte de quelqu'un d'autre.\n"
        "- Durée : environ 2 heures, en deux séances.",
    ),
    md(
        "## Imports\n\nRun this cell first: it loads the exchange and finds your team.",
        "## Imports\n\nExécutez d'abord cette cellule : elle charge l'échange et trouve votre équipe.",
    ),
    code(
        team_imports(
            "from vxkit.widgets import ExchangeMap, PartnerBoard, TimeZonePlanner", pandas=True
        )
    ),
    md(
        "## Who is in our team?",
        "## Qui fait partie de notre équipe ?",
    ),
    team_members(),
    md(
        "## Where are our schools?\n\n"
        "The map shows every school of the exchange. Click a school to read its class profile. "
        "How far apart are you? Which oceans, mountains or deserts lie between you?",
        "## Où sont nos écoles ?\n\n"
        "La carte montre toutes les écoles de l'échange. Cliquez sur une école pour lire le "
        "profil de sa classe. Quelle distance vous sépare ? Quels océans, montagnes ou déserts "
        "y a-t-il entre vous ?",
    ),
    code("ExchangeMap(exchange, locale=LOCALE)"),
    md(
        "## What time is it there?\n\n"
        "The table gives the time at each school right now and its school hours. Look at the "
        "difference: is it the same all year? (Hint: some countries change their clocks in "
        "summer, and summer is not in the same months in both hemispheres.)",
        "## Quelle heure est-il là-bas ?\n\n"
        "Le tableau donne l'heure qu'il est en ce moment dans chaque école et ses horaires de "
        "cours. Regardez la différence : est-elle la même toute l'année ? (Indice : certains "
        "pays changent d'heure en été, et l'été ne tombe pas aux mêmes mois dans les deux "
        "hémisphères.)",
    ),
    code(
        """
pd.DataFrame(
    [
        {
            "class": c.id,
            "city": c.city,
            "time zone": c.timezone,
            "local time now": f"{c.local_now():%a %H:%M}",
            "school hours": f"{c.hours[0]:%H:%M}-{c.hours[1]:%H:%M}",
        }
        for c in classes
    ]
)
"""
    ),
    md(
        "## Class profiles\n\nEach teacher wrote a short profile of their class. Press *Refresh times* "
        "to update the clocks.",
        "## Profils des classes\n\nChaque enseignant a écrit un court profil de sa classe. Appuyez sur "
        "*Refresh times* pour mettre les horloges à jour.",
    ),
    code("PartnerBoard(exchange, locale=LOCALE)"),
    *class_findings(
        "Introduce your class: where your school is, what a normal school day looks like, one "
        "thing you are proud of in your town, and one question for your partners.",
        "Présentez votre classe : où est votre école, à quoi ressemble une journée de cours "
        "ordinaire, une chose dont vous êtes fiers dans votre ville, et une question pour vos "
        "partenaires.",
        LANG,
    ),
    md(
        "## Plan our first live session\n\n"
        "The planner shows, hour by hour, when every class is at school at the same time. "
        "Choose a day and an hour that works for everyone, then write it below in **each "
        "class's local time**.",
        "## Préparer notre première session en direct\n\n"
        "Le planificateur montre, heure par heure, quand toutes les classes sont en cours en même "
        "temps. Choisissez un jour et une heure qui conviennent à tous, puis écrivez-les "
        "ci-dessous **à l'heure locale de chaque classe**.",
    ),
    code("TimeZonePlanner(classes=classes, locale=LOCALE)"),
    *joint_conclusion(
        "Our first live session: day, time in each class's local time, and what we will do "
        "in it (for example: each class shows its town in three photos).",
        "Notre première session en direct : le jour, l'heure locale de chaque classe, et ce que "
        "nous y ferons (par exemple : chaque classe montre sa ville en trois photos).",
        LANG,
    ),
    md(
        "## Summary\n\n"
        "You know where your partners are, what time it is there, and when you can meet. "
        "Next unit: you compare data about your countries.",
        "## Résumé\n\n"
        "Vous savez où sont vos partenaires, quelle heure il est chez eux, et quand vous pouvez "
        "vous retrouver. Unité suivante : vous comparez des données sur vos pays.",
    ),
    md(
        "## Resources\n\n"
        "- Time zones and summer time: the IANA time zone database, as shipped in Python's "
        "`tzdata` package (https://www.iana.org/time-zones).\n"
        "- Country names: the Unicode CLDR data in the `babel` package (https://cldr.unicode.org).\n"
        "- School locations, hours and profiles: written by your teachers in `exchange.toml`.",
        "## Ressources\n\n"
        "- Fuseaux horaires et heure d'été : la base de données des fuseaux horaires de l'IANA, "
        "fournie par le paquet Python `tzdata` (https://www.iana.org/time-zones).\n"
        "- Noms des pays : les données Unicode CLDR du paquet `babel` (https://cldr.unicode.org).\n"
        "- Emplacement, horaires et profils des écoles : écrits par vos enseignants dans "
        "`exchange.toml`.",
    ),
]

INDIVIDUAL = [
    md(
        "# Meet your partners: time zones (individual work)\n\n"
        "This notebook is yours alone. Your teacher grades it: the code exercises are checked "
        "automatically, the two reflections are read by your teacher.",
        "# Rencontrez vos partenaires : les fuseaux horaires (travail individuel)\n\n"
        "Ce notebook est à vous seul. Votre enseignant le note : les exercices de code sont "
        "vérifiés automatiquement, les deux réflexions sont lues par votre enseignant.",
    ),
    md(
        "## Overview\n\n"
        "To meet partners on another continent you need to know what time it is for them. "
        "You will write three small functions with Python's `zoneinfo`, and reflect on how you "
        "introduce your class.\n\n"
        "Points: 4 code exercises (8 points) and 2 reflections (6 points).",
        "## Aperçu\n\n"
        "Pour rencontrer des partenaires sur un autre continent, il faut savoir quelle heure il "
        "est chez eux. Vous allez écrire trois petites fonctions avec le module `zoneinfo` de "
        "Python, puis réfléchir à la façon de présenter votre classe.\n\n"
        "Points : 4 exercices de code (8 points) et 2 réflexions (6 points).",
    ),
    md(
        "## Prerequisites\n\n"
        "- Run a cell with **Shift + Enter**; write a Python function with `def` and `return`.\n"
        "- A time zone has a name like `Europe/Paris` or `Africa/Nairobi`.\n"
        "- Replace `raise NotImplementedError()` with your code, then run the test cell below "
        "it. If a test fails, read its message, fix your code and run both cells again.",
        "## Prérequis\n\n"
        "- Exécuter une cellule avec **Maj + Entrée** ; écrire une fonction Python avec `def` et "
        "`return`.\n"
        "- Un fuseau horaire a un nom comme `Europe/Paris` ou `Africa/Nairobi`.\n"
        "- Remplacez `raise NotImplementedError()` par votre code, puis exécutez la cellule de "
        "test en dessous. Si un test échoue, lisez son message, corrigez votre code et "
        "exécutez à nouveau les deux cellules.",
    ),
    md(
        "## Imports\n\n"
        "`MINE` is your class and `PARTNER` your partner class, read from your exchange: the "
        "cell prints their cities and time zones.",
        "## Imports\n\n"
        "`MINE` est votre classe et `PARTNER` votre classe partenaire, lues dans votre "
        "échange : la cellule affiche leurs villes et leurs fuseaux horaires.",
    ),
    code(
        """
import numbers
import re
from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

from vxkit.views import notebook_classes

# Your class and your partner class, from your exchange
MINE, partners = notebook_classes()
PARTNER = partners[0] if partners else MINE
print(MINE.city, MINE.timezone, "-", PARTNER.city, PARTNER.timezone)
"""
    ),
    md(
        "## 1. What time is it there?\n\n"
        "Write `local_time(moment, zone)`: it gets a moment in UTC (world time) and the name of "
        'a time zone, and returns the local time there as text like `"13:05"` or `"09:05"` '
        "(24-hour clock, two digits each).\n\n"
        "Hint: `moment.astimezone(ZoneInfo(zone))` converts the moment, and "
        '`.strftime("%H:%M")` writes hours and minutes.',
        "## 1. Quelle heure est-il là-bas ?\n\n"
        "Écrivez `local_time(moment, zone)` : elle reçoit un instant en UTC (l'heure mondiale) "
        "et le nom d'un fuseau horaire, et renvoie l'heure locale sous forme de texte, comme "
        '`"13:05"` ou `"09:05"` (sur 24 heures, deux chiffres chacun).\n\n'
        "Indice : `moment.astimezone(ZoneInfo(zone))` convertit l'instant, et "
        '`.strftime("%H:%M")` écrit les heures et les minutes.',
    ),
    answer(
        "local_time",
        '''
def local_time(moment, zone):
    """The time in `zone` at the UTC `moment`, as "HH:MM"."""
    ### BEGIN SOLUTION
    return moment.astimezone(ZoneInfo(zone)).strftime("%H:%M")
    ### END SOLUTION
''',
        returns="text",
        accept=[
            """
def local_time(moment, zone):
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local.hour:02d}:{local.minute:02d}"
""",
            """
def local_time(moment, zone):
    return moment.astimezone(ZoneInfo(zone)).isoformat()[11:16]
""",
            """
def local_time(moment, zone):
    local = moment.astimezone(ZoneInfo(zone))
    return str(local.hour).zfill(2) + ":" + str(local.minute).zfill(2)
""",
        ],
        mistakes=[
            Mistake(
                'hours or minutes without their zero ("9:5" for "09:05")',
                """
def local_time(moment, zone):
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local.hour}:{local.minute}"
""",
            ),
            Mistake(
                "the time in UTC, not converted to the zone",
                """
def local_time(moment, zone):
    return moment.strftime("%H:%M")
""",
            ),
            Mistake(
                'a 12-hour clock ("02:30" for "14:30")',
                """
def local_time(moment, zone):
    return moment.astimezone(ZoneInfo(zone)).strftime("%I:%M")
""",
            ),
        ],
    ),
    *checks(
        "local_time",
        """
# 08:05 UTC on 15 March 2027
early = datetime(2027, 3, 15, 8, 5, tzinfo=timezone.utc)
shown = local_time(early, "Europe/Paris")
assert isinstance(shown, str), "local_time should return text"
assert re.fullmatch(r"\\d\\d:\\d\\d", shown), 'write two digits for the hours and two for the minutes, like "09:05"'
""",
        """
# 12:00 UTC on 15 March 2027
noon = datetime(2027, 3, 15, 12, 0, tzinfo=timezone.utc)
paris = local_time(noon, "Europe/Paris")
### BEGIN HIDDEN TESTS
july = datetime(2027, 7, 1, 12, 0, tzinfo=timezone.utc)
assert local_time(early, "Europe/Paris") == "09:05", "Lyon is 1 hour ahead of UTC in March"
assert local_time(noon, "Africa/Nairobi") == "15:00", "Nairobi is 3 hours ahead of UTC"
assert local_time(noon, "America/Santiago") == "09:00", "Santiago is 3 hours behind UTC in March"
assert local_time(july, "America/Santiago") == "08:00", "Santiago is 4 hours behind UTC in July"
assert local_time(july, "Europe/Paris") == "14:00", "Lyon is 2 hours ahead of UTC in July"
assert local_time(datetime(2027, 10, 20, 14, 30, tzinfo=timezone.utc), "Asia/Tokyo") == "23:30", "Tokyo is 9 hours ahead of UTC"
### END HIDDEN TESTS
""",
    ),
    md(
        "## 2. How many hours apart?\n\n"
        "Write `hours_apart(zone_a, zone_b, moment)`: how many hours `zone_b` is ahead of "
        "`zone_a` at that moment (negative if it is behind), as a number accepted "
        f"{precision('en', 1)} (some zones are half an hour apart).\n\n"
        "Hint: `moment.astimezone(ZoneInfo(zone)).utcoffset()` is the zone's offset from UTC; "
        "`.total_seconds() / 3600` turns it into hours.",
        "## 2. Combien d'heures d'écart ?\n\n"
        "Écrivez `hours_apart(zone_a, zone_b, moment)` : de combien d'heures `zone_b` est en "
        "avance sur `zone_a` à cet instant (un nombre négatif si elle est en retard), sous forme "
        f"de nombre accepté {precision(LANG, 1)} (certains fuseaux ont une demi-heure "
        "d'écart).\n\n"
        "Indice : `moment.astimezone(ZoneInfo(zone)).utcoffset()` est le décalage du fuseau par "
        "rapport à UTC ; `.total_seconds() / 3600` le convertit en heures.",
    ),
    answer(
        "hours_apart",
        '''
def hours_apart(zone_a, zone_b, moment):
    """How many hours zone_b is ahead of zone_a at `moment`."""

    ### BEGIN SOLUTION
    def offset(zone):
        return moment.astimezone(ZoneInfo(zone)).utcoffset().total_seconds() / 3600

    return offset(zone_b) - offset(zone_a)
    ### END SOLUTION
''',
        returns="number",
        decimals=1,
        accept=[
            """
def hours_apart(zone_a, zone_b, moment):
    from datetime import timedelta

    a = moment.astimezone(ZoneInfo(zone_a)).utcoffset()
    b = moment.astimezone(ZoneInfo(zone_b)).utcoffset()
    return (b - a) / timedelta(hours=1)
""",
            """
def hours_apart(zone_a, zone_b, moment):
    a = moment.astimezone(ZoneInfo(zone_a)).replace(tzinfo=None)
    b = moment.astimezone(ZoneInfo(zone_b)).replace(tzinfo=None)
    return round((b - a).total_seconds() / 60 / 60, 1)
""",
        ],
        mistakes=[
            Mistake(
                "the zones swapped (the sign matters: ahead is positive)",
                """
def hours_apart(zone_a, zone_b, moment):
    def offset(zone):
        return moment.astimezone(ZoneInfo(zone)).utcoffset().total_seconds() / 3600

    return offset(zone_a) - offset(zone_b)
""",
            ),
            Mistake(
                "whole hours only (`// 3600`), so half-hour zones are wrong",
                """
def hours_apart(zone_a, zone_b, moment):
    def offset(zone):
        return moment.astimezone(ZoneInfo(zone)).utcoffset().total_seconds() // 3600

    return offset(zone_b) - offset(zone_a)
""",
            ),
            Mistake(
                "the gap of January used all year (forgetting the clock changes)",
                """
def hours_apart(zone_a, zone_b, moment):
    january = datetime(2027, 1, 15, 12, 0, tzinfo=timezone.utc)

    def offset(zone):
        return january.astimezone(ZoneInfo(zone)).utcoffset().total_seconds() / 3600

    return offset(zone_b) - offset(zone_a)
""",
            ),
        ],
    ),
    *checks(
        "hours_apart",
        """
january = datetime(2027, 1, 20, 12, 0, tzinfo=timezone.utc)
assert isinstance(hours_apart("Europe/Paris", "Africa/Nairobi", january), numbers.Real), "hours_apart should return a number"
""",
        """
gap = hours_apart("Europe/Paris", "Africa/Nairobi", january)
### BEGIN HIDDEN TESTS
july = datetime(2027, 7, 1, 12, 0, tzinfo=timezone.utc)
for a, b, moment, hours in [
    ("Europe/Paris", "Africa/Nairobi", january, 2),
    ("Africa/Nairobi", "Europe/Paris", january, -2),
    ("Europe/Paris", "Africa/Nairobi", july, 1),
    ("Europe/Paris", "America/Santiago", january, -4),
    ("Europe/Paris", "America/Santiago", july, -6),
    ("Asia/Kolkata", "Europe/London", january, -5.5),
]:
    assert abs(hours_apart(a, b, moment) - hours) <= 0.05 + 1e-9, "hours_apart gives a wrong gap: how many hours zone_b is ahead of zone_a"
### END HIDDEN TESTS
""",
    ),
    md(
        "## 3. Are they at school?\n\n"
        "Write `at_school(moment, zone, start, end)`: `True` if, in that zone, the moment falls on "
        "a weekday (Monday to Friday) between `start` (included) and `end` (not included), "
        "else `False`. `start` and `end` are `time` objects, like `time(8, 0)`.\n\n"
        "Hint: for a local moment `local`, `local.weekday()` is 0 on Monday and 6 on Sunday, "
        "and `local.time()` is its time of day.",
        "## 3. Sont-ils en cours ?\n\n"
        "Écrivez `at_school(moment, zone, start, end)` : `True` si, dans ce fuseau, l'instant "
        "tombe un jour de semaine (du lundi au vendredi) entre `start` (inclus) et `end` (exclu), "
        "sinon `False`. `start` et `end` sont des objets `time`, comme `time(8, 0)`.\n\n"
        "Indice : pour un instant local `local`, `local.weekday()` vaut 0 le lundi et 6 le "
        "dimanche, et `local.time()` donne l'heure de la journée.",
    ),
    answer(
        "at_school",
        '''
def at_school(moment, zone, start, end):
    """Whether `moment` is on a weekday between start and end, local time in `zone`."""
    ### BEGIN SOLUTION
    local = moment.astimezone(ZoneInfo(zone))
    return local.weekday() < 5 and start <= local.time() < end
    ### END SOLUTION
''',
        returns="bool",
        accept=[
            """
def at_school(moment, zone, start, end):
    local = moment.astimezone(ZoneInfo(zone))
    if local.isoweekday() in (6, 7):
        return False
    return local.time() >= start and local.time() < end
""",
            """
def at_school(moment, zone, start, end):
    local = moment.astimezone(ZoneInfo(zone))
    weekday = local.strftime("%A") not in ("Saturday", "Sunday")
    return bool(weekday and start <= local.time().replace(tzinfo=None) < end)
""",
        ],
        mistakes=[
            Mistake(
                "`end` included instead of excluded",
                """
def at_school(moment, zone, start, end):
    local = moment.astimezone(ZoneInfo(zone))
    return local.weekday() < 5 and start <= local.time() <= end
""",
            ),
            Mistake(
                "Saturday counted as a school day",
                """
def at_school(moment, zone, start, end):
    local = moment.astimezone(ZoneInfo(zone))
    return local.weekday() <= 5 and start <= local.time() < end
""",
            ),
            Mistake(
                "the day and time in UTC, not in the zone",
                """
def at_school(moment, zone, start, end):
    return moment.weekday() < 5 and start <= moment.time() < end
""",
            ),
        ],
    ),
    *checks(
        "at_school",
        """
# Monday 15 March 2027, 12:00 UTC
monday = datetime(2027, 3, 15, 12, 0, tzinfo=timezone.utc)
answer = at_school(monday, "Europe/Paris", time(8, 0), time(17, 0))
assert isinstance(answer, bool) or type(answer).__name__ == "bool_", "at_school should return True or False"
""",
        """
paris = at_school(monday, "Europe/Paris", time(8, 0), time(17, 0))
### BEGIN HIDDEN TESTS
saturday = datetime(2027, 3, 20, 12, 0, tzinfo=timezone.utc)
assert at_school(monday, "Europe/Paris", time(8, 0), time(17, 0)), "13:00 on a Monday in Lyon is school time"
assert not at_school(monday, "Asia/Tokyo", time(8, 0), time(17, 0)), "it is 21:00 in Tokyo"
assert not at_school(saturday, "Europe/Paris", time(8, 0), time(17, 0)), "Saturday is not a school day"
assert at_school(monday, "America/Santiago", time(9, 0), time(16, 0)), "start is included: 09:00 in Santiago"
assert not at_school(monday, "America/Santiago", time(9, 30), time(16, 0)), "09:00 is before a 09:30 start"
assert not at_school(monday, "America/Santiago", time(7, 0), time(9, 0)), "end is not included: school is over at 09:00"
assert not at_school(monday, "Africa/Nairobi", time(7, 30), time(15, 0)), "end is not included: school is over at 15:00"
### END HIDDEN TESTS
""",
    ),
    *partner_task(
        "partner_hours",
        (
            "## 4. Your partner class's clock\n\n"
            "Set `partner_hours` to how many hours your partner class's time zone "
            "(`PARTNER.timezone`) is ahead of yours (`MINE.timezone`) at 12:00 UTC on 15 March "
            f"2027 (negative if it is behind), as a number accepted {precision('en', 1)}. "
            "Then check it with your partners.",
            "## 4. L'horloge de votre classe partenaire\n\n"
            "Mettez dans `partner_hours` de combien d'heures le fuseau horaire de votre classe "
            "partenaire (`PARTNER.timezone`) est en avance sur le vôtre (`MINE.timezone`) à "
            "12 h 00 UTC le 15 mars 2027 (un nombre négatif s'il est en retard), sous forme de "
            f"nombre accepté {precision(LANG, 1)}. Vérifiez-le ensuite avec vos partenaires.",
        ),
        """
at = datetime(2027, 3, 15, 12, 0, tzinfo=timezone.utc)
partner_hours = hours_apart(MINE.timezone, PARTNER.timezone, at)
""",
        partner="notebook_classes()[1][0]",
        decimals=1,
        expected="""
at = datetime(2027, 3, 15, 12, 0, tzinfo=timezone.utc)
offsets = [at.astimezone(ZoneInfo(c.timezone)).utcoffset() for c in (partner, notebook_classes()[0])]
expected = (offsets[0] - offsets[1]).total_seconds() / 3600
""",
        message="partner_hours is how far your partner class's time zone is ahead of yours "
        "at 12:00 UTC on 15 March 2027",
        accept=[
            """
at = datetime(2027, 3, 15, 12, 0, tzinfo=timezone.utc)
theirs = at.astimezone(ZoneInfo(PARTNER.timezone)).utcoffset()
ours = at.astimezone(ZoneInfo(MINE.timezone)).utcoffset()
partner_hours = (theirs - ours).total_seconds() / 3600
""",
            """
partner_hours = round(
    hours_apart(MINE.timezone, PARTNER.timezone, datetime(2027, 3, 15, 12, tzinfo=timezone.utc)), 1
)
""",
        ],
        mistakes=[
            Mistake(
                "the difference the other way round (your zone ahead of the partner's)",
                """
at = datetime(2027, 3, 15, 12, 0, tzinfo=timezone.utc)
theirs = at.astimezone(ZoneInfo(PARTNER.timezone)).utcoffset()
ours = at.astimezone(ZoneInfo(MINE.timezone)).utcoffset()
partner_hours = (ours - theirs).total_seconds() / 3600
""",
            ),
            Mistake(
                "the partner zone's offset from UTC instead of from your own zone",
                """
at = datetime(2027, 3, 15, 12, 0, tzinfo=timezone.utc)
partner_hours = at.astimezone(ZoneInfo(PARTNER.timezone)).utcoffset().total_seconds() / 3600
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
        "### Reflection 1: introducing my class (3 points)\n\n"
        "Your partners have never visited your town. What would you tell them first about "
        "your class and your everyday life, and why that? What might surprise them?\n\n"
        "**Rubric** (3 points)\n"
        "- 1 point: gives at least two concrete facts about the class or town (not general "
        "statements about the whole country).\n"
        "- 1 point: explains why these facts were chosen.\n"
        "- 1 point: imagines the partners' point of view (what is new or surprising for "
        "them) without clichés.",
        "### Réflexion 1 : présenter ma classe (3 points)\n\n"
        "Vos partenaires ne sont jamais venus dans votre ville. Que leur diriez-vous d'abord "
        "sur votre classe et votre vie de tous les jours, et pourquoi ? Qu'est-ce qui pourrait "
        "les surprendre ?\n\n"
        "**Grille** (3 points)\n"
        "- 1 point : donne au moins deux faits concrets sur la classe ou la ville (pas des "
        "généralités sur tout le pays).\n"
        "- 1 point : explique pourquoi ces faits ont été choisis.\n"
        "- 1 point : imagine le point de vue des partenaires (ce qui est nouveau ou surprenant "
        "pour eux) sans clichés.",
        "reflection_intro_question",
    ),
    reflection(
        "reflection_intro",
        3,
        "Write your answer here.",
        "Écrivez votre réponse ici.",
    ),
    readonly(
        "### Reflection 2: what I think I know (3 points)\n\n"
        "Write one thing you believe about your partners' country. Where does this idea come "
        "from (a film, the news, a person, school)? How could you check it with your partners, "
        "politely?\n\n"
        "**Rubric** (3 points)\n"
        "- 1 point: states one clear belief.\n"
        "- 1 point: names where the belief comes from.\n"
        "- 1 point: proposes a respectful question or a source to check it.",
        "### Réflexion 2 : ce que je crois savoir (3 points)\n\n"
        "Écrivez une chose que vous croyez savoir sur le pays de vos partenaires. D'où vient "
        "cette idée (un film, les informations, une personne, l'école) ? Comment pourriez-vous "
        "la vérifier avec vos partenaires, poliment ?\n\n"
        "**Grille** (3 points)\n"
        "- 1 point : énonce clairement une idée.\n"
        "- 1 point : dit d'où vient cette idée.\n"
        "- 1 point : propose une question respectueuse ou une source pour la vérifier.",
        "reflection_belief_question",
    ),
    reflection(
        "reflection_belief",
        3,
        "Write your answer here.",
        "Écrivez votre réponse ici.",
    ),
    md(
        "## Summary\n\n"
        "You converted times between zones, found that the difference between two places can "
        "change during the year (summer time), and checked who is at school when. You will use "
        "this every time your team meets live.",
        "## Résumé\n\n"
        "Vous avez converti des heures d'un fuseau à l'autre, découvert que l'écart entre deux "
        "lieux peut changer pendant l'année (heure d'été), et vérifié qui est en cours à quel "
        "moment. Vous vous en servirez à chaque session en direct de votre équipe.",
    ),
    md(
        "## Resources\n\n"
        "- Python documentation, `zoneinfo`: https://docs.python.org/3/library/zoneinfo.html\n"
        "- The IANA time zone database (the rules every computer uses): "
        "https://www.iana.org/time-zones",
        "## Ressources\n\n"
        "- Documentation de Python, `zoneinfo` : https://docs.python.org/fr/3/library/zoneinfo.html\n"
        "- La base de données des fuseaux horaires de l'IANA (les règles qu'utilisent tous les "
        "ordinateurs) : https://www.iana.org/time-zones",
    ),
]

COMMENTS = {
    "Your class and your partner class, from your exchange": {
        "fr": "Votre classe et votre classe partenaire, d'après votre échange"
    },
    "partner_hours should be a number": {"fr": "partner_hours doit être un nombre"},
    "partner_hours is how far your partner class's time zone is ahead of yours at 12:00 UTC on 15 March 2027": {
        "fr": "partner_hours est l'avance du fuseau horaire de votre classe partenaire sur le vôtre à 12 h 00 UTC le 15 mars 2027"
    },
    "12:00 UTC on 15 March 2027": {"fr": "12 h 00 UTC le 15 mars 2027"},
    "08:05 UTC on 15 March 2027": {"fr": "8 h 05 UTC le 15 mars 2027"},
    "Monday 15 March 2027, 12:00 UTC": {"fr": "Lundi 15 mars 2027, 12 h 00 UTC"},
    "local_time should return text": {"fr": "local_time doit renvoyer un texte"},
    'write two digits for the hours and two for the minutes, like "09:05"': {
        "fr": 'écrivez deux chiffres pour les heures et deux pour les minutes, comme "09:05"'
    },
    "Lyon is 1 hour ahead of UTC in March": {"fr": "Lyon a 1 heure d'avance sur UTC en mars"},
    "Nairobi is 3 hours ahead of UTC": {"fr": "Nairobi a 3 heures d'avance sur UTC"},
    "Santiago is 3 hours behind UTC in March": {
        "fr": "Santiago a 3 heures de retard sur UTC en mars"
    },
    "Santiago is 4 hours behind UTC in July": {
        "fr": "Santiago a 4 heures de retard sur UTC en juillet"
    },
    "Lyon is 2 hours ahead of UTC in July": {"fr": "Lyon a 2 heures d'avance sur UTC en juillet"},
    "Tokyo is 9 hours ahead of UTC": {"fr": "Tokyo a 9 heures d'avance sur UTC"},
    "hours_apart should return a number": {"fr": "hours_apart doit renvoyer un nombre"},
    "hours_apart gives a wrong gap: how many hours zone_b is ahead of zone_a": {
        "fr": "hours_apart donne un écart faux : de combien d'heures zone_b est en avance sur zone_a"
    },
    "at_school should return True or False": {"fr": "at_school doit renvoyer True ou False"},
    "13:00 on a Monday in Lyon is school time": {"fr": "13 h 00 un lundi à Lyon, c'est l'école"},
    "it is 21:00 in Tokyo": {"fr": "il est 21 h 00 à Tokyo"},
    "Saturday is not a school day": {"fr": "le samedi n'est pas un jour d'école"},
    "start is included: 09:00 in Santiago": {"fr": "start est inclus : 9 h 00 à Santiago"},
    "09:00 is before a 09:30 start": {"fr": "9 h 00, c'est avant un début à 9 h 30"},
    "end is not included: school is over at 09:00": {
        "fr": "end est exclu : l'école est finie à 9 h 00"
    },
    "end is not included: school is over at 15:00": {
        "fr": "end est exclu : l'école est finie à 15 h 00"
    },
}

GUIDE = """
# Teacher guide: Meet your partners

**Unit id:** `meet_partners` · **SDG 17** (Partnerships for the goals, target 17.6 on
international cooperation, and SDG 4.7 on education for global citizenship) · **Ages** 12-18 ·
**Time** about 2 hours in two lessons · **Phase:** get to know each other.

## Goals
- Students locate the partner schools and describe the distance between them.
- Students convert times between time zones and know that the gap can change with summer time
  (Europe and Chile switch on different dates, Kenya does not switch at all).
- Each class introduces itself in its own words and avoids clichés about the other.
- The team agrees on the day and time of its first live session.

## Timing across the exchange phases
| phase | when | what |
|---|---|---|
| before the exchange | week 0 | Each teacher fills in `exchange.toml` (school hours, holidays, class profile) and runs `vxkit check`. |
| get to know each other | week 1, lesson 1 (own class) | Team notebook: map, local times, class profiles; each class drafts its introduction in its subsection. |
| get to know each other | week 1, lesson 2 (own class) | Individual notebook (time-zone exercises and two reflections), 45 minutes. |
| first live session | week 2 | Teams meet live; they read each other's introductions aloud and write the joint conclusion. |

## Running the live session across time zones
- Open the TimeZonePlanner in the team notebook *before* the session with your partner teacher:
  choose a slot inside both school days, and write it in both local times in the notebook.
- Lyon and Valparaíso in the demo are 4 hours apart in January and 6 hours apart in July; Lyon
  and Nairobi are 2 hours apart in winter and 1 in summer. Check the date of the session, not
  today's gap.
- If no slot overlaps, run it asynchronously: each class records its part in the notebook
  during its own lesson, and the other class answers in its next lesson.
- Keep the live part to 20-30 minutes; connections fail more often than you expect, so agree
  on a fallback (a shared chat, or continuing in the notebook).

## Discussion prompts
- What did you learn about your partners that no map shows?
- Which of our ideas about their country turned out to be wrong or incomplete?
- Why are their school hours, holidays or seasons different from ours?

## How to grade
- Autograded (8 points): `local_time`, `hours_apart`, `at_school` and `partner_hours` (the
  partner class's time zone), 2 points each. The visible
  tests check the format (two-digit "09:05", a number, True or False); hidden tests check summer
  time, Chile, half-hour zones, weekends and the end of the school day.
- Manually graded (6 points): two reflections, 3 points each, with the rubric printed above the
  answer cell. Grade content, not language: answers may be in any language the class uses.

## What students typically get wrong
- They subtract clock times by hand and forget that the gap changes in March/April and
  October (different dates in Europe and Chile).
- Reflections that describe the whole country in one adjective: ask for something seen or
  lived instead.

## Sources
- Time zones and summer-time rules: IANA time zone database (https://www.iana.org/time-zones),
  via Python's `zoneinfo` and `tzdata`.
- SDG targets 17.6 and 4.7: United Nations, https://sdgs.un.org/goals/goal17 and
  https://sdgs.un.org/goals/goal4.
"""

UNIT = Unit(
    id="meet_partners",
    lang=LANG,
    meta={
        "title": "Meet your partners",
        "sdg": 17,
        "ages": "12-18",
        "hours": 2,
        "phase": "get to know each other",
        "skills": ["reading a map", "time zones", "writing functions", "intercultural dialogue"],
    },
    team=TEAM,
    individual=INDIVIDUAL,
    guide=GUIDE,
    comments=comments(LANG, COMMENTS),
)
