"""Cells every unit shares: the team notebook's opening and the per-class findings."""

from __future__ import annotations

from nbbuild import Cell, code, md


def team_imports(*vxkit_imports: str, tail: str = "") -> str:
    """The imports cell of a team notebook: imports first, then the exchange and the team.

    ``vxkit_imports`` are extra import lines from vxkit (sorted as isort wants them);
    ``tail`` is code run after the team is found.
    """
    lines = sorted(["from vxkit.workspace import find_workspace", *vxkit_imports])
    head = "from pathlib import Path\n\nimport pandas as pd\n\n" + "\n".join(lines) + "\n"
    body = (
        "\nexchange = find_workspace().load()\n"
        "# The notebook runs in its team folder: projects/<team id>/\n"
        "team = next((t for t in exchange.teams if t.id == Path.cwd().name), None)\n"
        "classes = [c for c in exchange.classes if team is None or c.id in team.members]\n"
    )
    return head + body + (f"\n{tail.strip()}\n" if tail.strip() else "")


TEAM_COMMENTS = {
    "The notebook runs in its team folder: projects/<team id>/": {
        "fr": "Le notebook tourne dans le dossier de l'équipe : projects/<id de l'équipe>/",
        "es": "El notebook se ejecuta en la carpeta del equipo: projects/<id del equipo>/",
    },
}


def comments(lang: str, table: dict[str, dict[str, str]]) -> dict[str, str]:
    """The comment translations of ``table`` (English -> {lang: text}) for ``lang``."""
    merged = {**TEAM_COMMENTS, **table}
    return {en: texts[lang] for en, texts in merged.items()}


def team_members() -> Cell:
    """A table of the team's classes and members."""
    return code(
        """
pd.DataFrame(
    [
        {
            "class": c.id,
            "school": c.school,
            "city": c.city,
            "country": c.country_name(),
            "team members": ", ".join(team.members.get(c.id, [])) if team else "",
        }
        for c in classes
    ]
)
"""
    )


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
