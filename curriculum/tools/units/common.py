"""Cells every unit shares: the team notebook's opening and the per-class findings."""

from __future__ import annotations

from nbbuild import Cell, Mistake, answer, checks, code, md, tolerance


def team_imports(*vxkit_imports: str, tail: str = "", pandas: bool = False) -> str:
    """The imports cell of a team notebook: imports first, then the exchange and the team.

    ``vxkit_imports`` are extra import lines from vxkit (sorted as isort wants them);
    ``tail`` is code run after the team is found; ``pandas`` imports pandas as ``pd`` (for a
    notebook whose cells use it).
    """
    views = [line for line in vxkit_imports if line.startswith("from vxkit.views import ")]
    names = sorted({"team_table", *(n.strip() for v in views for n in v[24:].split(","))})
    others = [line for line in vxkit_imports if line not in views]
    base = [
        f"from vxkit.views import {', '.join(names)}",
        "from vxkit.workspace import find_workspace",
    ]
    lines = sorted([*base, *others])
    third_party = "import pandas as pd\n\n" if pandas else ""
    head = "from pathlib import Path\n\n" + third_party + "\n".join(lines) + "\n"
    body = (
        "\nexchange = find_workspace().load()\n"
        "# The notebook runs in its team folder: projects/<team id>/\n"
        "team = next((t for t in exchange.teams if t.id == Path.cwd().name), None)\n"
        "classes = [c for c in exchange.classes if team is None or c.id in team.members]\n"
        "# Widgets speak every language of the team's classes: one widget for all partners\n"
        'LOCALE = ",".join(dict.fromkeys(c.languages[0] for c in classes if c.languages))\n'
    )
    return head + body + (f"\n{tail.strip()}\n" if tail.strip() else "")


TEAM_COMMENTS = {
    "Widgets speak every language of the team's classes: one widget for all partners": {
        "fr": "Les widgets s'affichent dans chaque langue des classes de l'équipe : un même "
        "widget pour tous les partenaires",
        "es": "Los widgets se muestran en cada idioma de las clases del equipo: un mismo widget "
        "para todos los compañeros",
    },
    "The notebook runs in its team folder: projects/<team id>/": {
        "fr": "Le notebook tourne dans le dossier de l'équipe : projects/<id de l'équipe>/",
        "es": "El notebook se ejecuta en la carpeta del equipo: projects/<id del equipo>/",
    },
}


def comments(lang: str, table: dict[str, dict[str, str]]) -> dict[str, str]:
    """The comment translations of ``table`` (English -> {lang: text}) for ``lang``."""
    merged = {**TEAM_COMMENTS, **COUNTRY_COMMENTS, **table}
    return {en: texts[lang] for en, texts in merged.items()}


def team_members() -> Cell:
    """A table of the team's classes and members, its headers in the team's languages."""
    return code("team_table(classes, team, LOCALE)")


def class_findings(en_prompt: str, other_prompt: str, lang: str) -> list[Cell]:
    """The section where each class writes about its own country."""
    head = {
        "fr": (
            "## Ce que chaque classe a trouvé sur son pays",
            "Chaque classe écrit **sur son propre pays**, dans sa sous-section : vous le "
            "connaissez de l'intérieur. Écrivez en anglais ou dans votre langue, avec une phrase "
            "en anglais pour vos partenaires.",
            "### Classe A : (nom de la classe et pays)",
            "### Classe B : (nom de la classe et pays)",
            "### Classe C : (si votre équipe a une troisième classe)",
            "*Écrivez ici.*",
        ),
        "es": (
            "## Lo que cada clase descubrió sobre su país",
            "Cada clase escribe **sobre su propio país**, en su subsección: ustedes lo conocen "
            "desde dentro. Escriban en inglés o en su idioma, con una frase en inglés para sus "
            "compañeros.",
            "### Clase A: (nombre de la clase y país)",
            "### Clase B: (nombre de la clase y país)",
            "### Clase C: (si su equipo tiene una tercera clase)",
            "*Escriban aquí.*",
        ),
    }[lang]
    en = (
        "## What each class found about its own country",
        "Each class writes **about its own country**, in its own subsection: you know it from "
        "the inside. Write in English or in your own language, with one sentence in English "
        "for your partners.",
        "### Class A: (class name and country)",
        "### Class B: (class name and country)",
        "### Class C: (if your team has a third class)",
        "*Write here.*",
    )
    cells = [md(f"{en[0]}\n\n{en[1]}\n\n{en_prompt}", f"{head[0]}\n\n{head[1]}\n\n{other_prompt}")]
    for i in (2, 3, 4):
        cells.append(md(f"{en[i]}\n\n{en[5]}", f"{head[i]}\n\n{head[5]}"))
    return cells


def joint_conclusion(en_prompt: str, other_prompt: str, lang: str) -> list[Cell]:
    """The joint conclusion the whole team writes together."""
    head = {
        "fr": (
            "## Notre conclusion commune",
            "*Écrivez-la ensemble, pendant la session en direct.*",
        ),
        "es": ("## Nuestra conclusión común", "*Escríbanla juntos, durante la sesión en vivo.*"),
    }[lang]
    return [
        md(
            f"## Our joint conclusion\n\n{en_prompt}",
            f"{head[0]}\n\n{other_prompt}",
        ),
        md("*Write it together, during the live session.*", head[1]),
    ]


# Comments of the exchange's countries in graded notebooks (``partner_task`` and the imports).
COUNTRY_COMMENTS = {
    "Your class's country and your partner class's, from your exchange": {
        "fr": "Le pays de votre classe et celui de votre classe partenaire, d'après votre échange",
        "es": "El país de tu clase y el de tu clase compañera, según tu intercambio",
    },
    "a class whose country has no data": {
        "fr": "une classe dont le pays n'a pas de données",
        "es": "una clase cuyo país no tiene datos",
    },
    "The partner class's country again, from the exchange: not from the notebook's variables.": {
        "fr": "De nouveau le pays de la classe partenaire, d'après l'échange : pas d'après les "
        "variables du notebook.",
        "es": "De nuevo el país de la clase compañera, según el intercambio: no según las "
        "variables del notebook.",
    },
}


def exchange_countries(indicator: str) -> str:
    """The lines of a graded notebook's imports cell that find the exchange's countries:
    ``MINE`` and ``PARTNER`` (ISO alpha-3) and ``ours`` (``vxkit.views.NotebookCountries``)."""
    return (
        "# Your class's country and your partner class's, from your exchange\n"
        f"ours = notebook_countries({indicator!r})\n"
        "MINE, PARTNER = ours.mine, ours.partner\n"
        "for note in ours.notes:  # a class whose country has no data\n"
        "    print(note)\n"
        "print(MINE, PARTNER)\n"
    )


def partner_task(
    key: str,
    question: tuple[str, str],
    solution: str,
    *,
    partner: str,
    decimals: int,
    expected: str,
    message: str,
    accept: list[str],
    mistakes: list[Mistake],
) -> list[Cell]:
    """A graded task only the partner class's country answers: a question, the answer cell
    (a number in ``key``) and its two test cells.

    ``partner`` is code that reads the partner class's country (or class) again from the
    exchange in the hidden test, so a student who reassigns ``PARTNER`` changes nothing;
    ``expected`` is code that sets ``expected`` from it (``partner``); ``message`` is the
    hidden test's message.
    """
    values = (
        f"got = {key}\n### BEGIN HIDDEN TESTS\n"
        "# The partner class's country again, from the exchange: not from the notebook's "
        "variables.\n"
        f"partner = {partner}\n"
        f"{expected.strip()}\n"
        f'assert abs(got - expected) {tolerance(decimals)}, "{message}"\n'
        "### END HIDDEN TESTS\n"
    )
    return [
        md(*question),
        answer(
            key,
            f"\n### BEGIN SOLUTION\n{solution.strip()}\n### END SOLUTION\n",
            returns="number",
            decimals=decimals,
            accept=accept,
            mistakes=mistakes,
        ),
        *checks(
            key,
            f'assert isinstance({key}, numbers.Real), "{key} should be a number"\n',
            values,
        ),
    ]
