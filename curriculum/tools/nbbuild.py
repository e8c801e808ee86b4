"""Build the curriculum notebooks from one description per unit, in every language at once.

A unit is written once (``curriculum/tools/units/<unit_id>.py``): prose as a pair of texts
(English, partner language), code once with its comments translated through a table, so the
two notebooks of a pair cannot drift apart. ``python curriculum/tools/nbbuild.py`` writes the
committed files; ``--check`` lists the files that differ from what the units describe.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import io
import json
import os
import subprocess
import sys
import tokenize
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
CURRICULUM = TOOLS.parent
REPO = CURRICULUM.parent
TEMPLATE = REPO / "templates" / "unit"

UNITS = (
    "python_starter",
    "meet_partners",
    "plan",
    "climate_co2",
    "health_wealth",
    "population_futures",
    "local_data",
    "publish",
    "closing",
)

# The fixed sections every notebook has, in this order, as level-2 headings, per language.
SECTIONS = {
    "en": ("Overview", "Prerequisites", "Imports", "Summary", "Resources"),
    "fr": ("Aperçu", "Prérequis", "Imports", "Résumé", "Ressources"),
    "es": ("Panorama", "Requisitos previos", "Importaciones", "Resumen", "Recursos"),
}
LANGUAGE_NAMES = {"en": "English", "fr": "français", "es": "español"}
# The nbgrader round trip, the same for every unit (put first under "How to grade").
GRADING_STEPS = """- The round trip: `vxkit assign {unit} --due 'YYYY-MM-DD HH:MM'` releases the graded
  notebooks to every class, with the deadline in each class's own local time (`--due-class` for a
  class with another date); `vxkit collect {unit}`, then `vxkit grade {unit}` autogrades every
  submission; grade the reflections in the formgrader; `vxkit feedback {unit}` returns the
  feedback and `vxkit grades` shows the results by class.
- Fair autograding: each autograded task is worth 2 points, 1 for the shape of the answer (its
  type, index or format, tested in view) and 1 for its values (hidden tests, with rows on the
  boundaries and ties). Any integer or number type counts (numpy's too); numbers are accepted
  to the precision the question states, rounded or not, and a value computed from the
  student's own earlier, rounded answer counts too. Each typical mistake below costs points.
- Each student answers the graded notebook of their language (`individual.ipynb` in English,
  `individual.<lang>.ipynb` in the others `unit.toml` lists); `vxkit grades` and the students'
  grade page count the best of them, not the sum.
"""
# Peer review across the classes, the same steps in every guide (put before the mistakes).
PEER_REVIEW = """## Peer review across classes
- In the lesson after the deadline, once `vxkit collect {unit}` has run,
  `vxkit peer-review {unit}` gives every student the graded notebook of a student of a partner
  class, names removed, and a review notebook with four questions (what works, clarity,
  evidence, one suggestion; `--rubric FILE` for your own).
- Students write their review in 20 minutes, in English or in their own language: one thing
  done well, one precise suggestion, kind words about the person and frank ones about the
  work, as the exchange's netiquette says.
- Read the reviews, then `vxkit peer-review {unit} --return` hands each one to the student it
  reviews (without the reviewer's name) and files them all, with their authors, under
  `course/peer_reviews/{unit}/` for the teachers of every class. Reviews are not graded.
"""
# Every guide opens with these, before its goals: the safeguarding page and, for classes new to
# Python, the starter unit. English here; other languages in their catalogue (msgctxt
# "nbbuild"), where {safeguarding} and {starter} stay: the build puts in the links, relative to
# the guide, to the page in the guide's language (English where that language has none).
SAFEGUARDING = "safeguarding"  # curriculum/safeguarding.md and safeguarding.<lang>.md
STARTER = "python_starter"  # the unit 12-14 year olds new to Python start with
BEFORE_YOU_START = (
    "## Before you start\n"
    "- **Safeguarding**: read [Safeguarding in a virtual exchange]({safeguarding}) before the "
    "first lesson: parental permission, netiquette for students, what is published and where, "
    "who reads the chats, and what to do if something goes wrong.",
    "- **Classes of 12-14 year olds new to Python**: run the unit [Python and pandas "
    "starter]({starter}) first (one lesson, `vxkit assign python_starter`): variables, lists, "
    "a table, a sum and a bar chart.",
)
EXTENSION_HEADING = "## Extension for 16-18 year olds\n"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


# What an autograded answer returns; "number" answers must state their precision.
RETURNS = ("number", "integer", "text", "bool", "list", "series", "table")
# How a question states its precision, per language (the build checks every number question).
PRECISION = {
    "en": ("to {n} decimal place", "to {n} decimal places"),
    "fr": ("à {n} décimale près", "à {n} décimales près"),
    "es": ("con {n} decimal", "con {n} decimales"),
}
# A catalogue language gives these words as entries with msgctxt "nbbuild".
LANGUAGE_WORDS = ("Overview", "Prerequisites", "Imports", "Summary", "Resources", "English")
LANGUAGE_WORDS += PRECISION["en"]
# ... and, whatever the language, the texts every teacher guide shares.
GUIDE_WORDS = BEFORE_YOU_START


def _word(lang: str, english: str) -> str:
    """One of ``LANGUAGE_WORDS`` in a language that has only a catalogue."""
    return _Translations("nbbuild", lang)[english]


def sections(lang: str) -> tuple[str, ...]:
    """The names of the fixed sections of a notebook in ``lang``, in order."""
    if lang in SECTIONS:
        return SECTIONS[lang]
    return tuple(_word(lang, en) for en in SECTIONS["en"])


def language_name(lang: str) -> str:
    """The name of ``lang`` in itself ("français")."""
    return LANGUAGE_NAMES.get(lang) or _word(lang, "English")


def precision(lang: str, n: int) -> str:
    """How a question in ``lang`` says that a number is accepted to ``n`` decimal places."""
    one, many = PRECISION[lang] if lang in PRECISION else map(partial(_word, lang), PRECISION["en"])
    return (one if n == 1 else many).format(n=n)


def tolerance(n: int) -> str:
    """The tolerance a test for an answer to ``n`` decimal places uses (any rounding passes)."""
    return f"<= {0.5 * 10**-n:g} + 1e-9"


@dataclass
class Mistake:
    """A typical mistake of a graded task: as the teacher guide names it, and as code."""

    guide: str  # the sentence in the teacher guide, in English
    source: str  # the answer cell a student making the mistake writes


@dataclass
class Task:
    """What the fair-grading policy knows about one autograded answer."""

    returns: str  # one of RETURNS
    decimals: int | None  # the precision the question states, for "number" answers
    accept: list[str]  # correct answers written in other idioms than the solution
    mistakes: list[Mistake]


@dataclass
class Cell:
    """One notebook cell: prose per language, or code shared by every language."""

    kind: str  # "markdown" or "code"
    text: dict[str, str] | str
    nbgrader: dict | None = None
    key: str | None = None
    task: Task | None = None
    extension: str | None = None  # an extension task's line in the teacher guide, in English


def md(en: str, other: str, *, key: str | None = None) -> Cell:
    """A Markdown cell: the English text and the partner-language text."""
    return Cell("markdown", {"en": en, "xx": other}, key=key)


def code(source: str, *, key: str | None = None) -> Cell:
    """A code cell, the same in every language (comments are translated)."""
    return Cell("code", source, key=key)


def readonly(en: str, other: str, grade_id: str) -> Cell:
    """A locked Markdown cell nbgrader restores if a student edits it (questions, rubrics)."""
    meta = _grading(grade_id, grade=False, solution=False, locked=True)
    return Cell("markdown", {"en": en, "xx": other}, nbgrader=meta, key=grade_id)


def answer(
    grade_id: str,
    source: str,
    *,
    returns: str,
    decimals: int | None = None,
    accept: list[str] | tuple[str, ...] = (),
    mistakes: list[Mistake] | tuple[Mistake, ...] = (),
) -> Cell:
    """An autograded answer cell; its solution sits between BEGIN and END SOLUTION.

    ``returns`` says what the answer is (one of ``RETURNS``), ``decimals`` the precision a
    number answer is accepted at; ``accept`` are other correct answers and ``mistakes`` the
    typical mistakes: ``tests/curriculum/test_fair_grading.py`` grades both with nbgrader.
    """
    meta = _grading(grade_id, grade=False, solution=True, locked=False)
    task = Task(returns, decimals, list(accept), list(mistakes))
    return Cell("code", source, nbgrader=meta, key=grade_id, task=task)


def extension(
    key: str, question: tuple[str, str], starter: str, reply: tuple[str, str], *, guide: str
) -> list[Cell]:
    """An ungraded extension task for 16-18 year olds, after the graded work: its question
    (English, partner language), a code cell to start from (it runs as it is) and a Markdown
    cell for the student's answer. ``guide`` is the task's line in the teacher guide's
    extension section, in English: the guide lists every extension task of the unit."""
    return [
        Cell("markdown", {"en": question[0], "xx": question[1]}, key=key, extension=guide),
        code(starter, key=f"{key}_code"),
        md(*reply, key=f"{key}_answer"),
    ]


def tests(grade_id: str, points: int, source: str) -> Cell:
    """A locked test cell worth ``points``; hidden tests sit between BEGIN and END HIDDEN TESTS."""
    meta = _grading(grade_id, grade=True, solution=False, locked=True, points=points)
    return Cell("code", source, nbgrader=meta, key=grade_id)


def checks(grade_id: str, shape: str, values: str) -> list[Cell]:
    """The two test cells of an answer, one point each, so partial understanding earns points.

    ``shape`` (visible) checks the format of the answer: its type, index, columns, padding;
    ``values`` checks the values, with hidden tests after a visible call of the answer.
    """
    return [tests(f"{grade_id}_shape", 1, shape), tests(f"{grade_id}_values", 1, values)]


def reflection(grade_id: str, points: int, en: str, other: str) -> Cell:
    """A manually graded Markdown answer cell (the rubric is in the locked cell above it)."""
    meta = _grading(grade_id, grade=True, solution=True, locked=False, points=points)
    return Cell("markdown", {"en": en, "xx": other}, nbgrader=meta, key=grade_id)


def _grading(grade_id: str, **flags: object) -> dict:
    meta = {"grade_id": grade_id, "schema_version": 3, "task": False}
    meta.update(flags)
    return dict(sorted(meta.items()))


@dataclass
class Unit:
    """Everything one curriculum unit is made of."""

    id: str
    lang: str  # the partner language: "fr" or "es"
    meta: dict  # unit.toml fields other than id and languages
    team: list[Cell]
    individual: list[Cell]
    guide: str
    comments: dict[str, str] = field(default_factory=dict)  # English comment -> translation
    extra: dict[str, str] = field(default_factory=dict)  # more files (data), by relative path

    @property
    def langs(self) -> list[str]:
        """The unit's languages: English, the partner language written in the unit, then each
        language whose catalogue (``catalogues/<lang>.po``) translates this unit."""
        out = ["en", self.lang]
        for lang in catalogue_languages():
            if lang not in out and self.id in {ctx for ctx, _ in catalogue(lang)}:
                out.append(lang)
        return out

    def say(self, texts: dict[str, str] | str, lang: str) -> str:
        """A text of the unit in ``lang``: English and the partner language are in the unit,
        the others come from their catalogue."""
        assert isinstance(texts, dict)
        if lang == "en":
            return texts["en"]
        if lang == self.lang:
            return texts["xx"]
        return self.table(lang)[texts["en"]]

    def table(self, lang: str) -> dict[str, str]:
        """English -> ``lang`` for the unit's comments, test messages and (catalogue) prose."""
        if lang == self.lang:
            return self.comments
        return _Translations(self.id, lang)


class _Translations(dict):
    """A catalogue's entries for one unit; a missing one names the unit, language and text."""

    def __init__(self, unit_id: str, lang: str) -> None:
        super().__init__(
            {msgid: text for (ctx, msgid), text in catalogue(lang).items() if ctx == unit_id}
        )
        self.where = (unit_id, lang)

    def __missing__(self, key: str) -> str:
        unit_id, lang = self.where
        raise KeyError(
            f"{unit_id}: catalogues/{lang}.po has no translation (msgctxt {unit_id!r}) of "
            f"{key[:70]!r}"
        )


CATALOGUES = TOOLS / "catalogues"
CATALOGUE_HEADER = """\
# The vxkit curriculum in "{lang}": every unit this file translates is built in {lang} too.
# Each entry's msgctxt is a unit id, its msgid the English text (a Markdown cell, a code
# comment or a test message), the comment above it the unit's partner-language text.
# Add a unit's texts with: python curriculum/tools/nbbuild.py --catalogue {lang} UNIT
# then translate every empty msgstr and run python curriculum/tools/nbbuild.py."""
_CATALOGUES: dict[str, dict[tuple[str, str], str]] = {}


def catalogue_languages() -> list[str]:
    """The languages with a catalogue: one ``catalogues/<lang>.po`` file each."""
    return sorted(p.stem for p in CATALOGUES.glob("*.po"))


def catalogue(lang: str) -> dict[tuple[str, str], str]:
    """A language's catalogue: (unit id, English text) -> translation, translated entries only."""
    if lang not in _CATALOGUES:
        from babel.messages.pofile import read_po

        with open(CATALOGUES / f"{lang}.po", "rb") as f:
            entries = read_po(f, locale=lang)
        _CATALOGUES[lang] = {
            (str(m.context), str(m.id)): str(m.string)
            for m in entries
            if m.id and m.string and not m.fuzzy
        }
    return _CATALOGUES[lang]


def _assert_messages(source: str) -> list[ast.expr | None]:
    """The message of every ``assert`` in ``source`` (None for an assert without one)."""
    return [node.msg for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Assert)]


def translate_messages(source: str, table: dict[str, str], where: str) -> str:
    """``source`` with every assert message replaced by its translation from ``table``."""
    lines = source.splitlines(keepends=True)
    found = [m for m in _assert_messages(source) if isinstance(m, ast.Constant)]
    for msg in sorted(found, key=lambda m: (m.lineno, m.col_offset), reverse=True):
        if msg.value not in table:
            table[msg.value]  # a catalogue names what is missing
            raise KeyError(f"{where}: no translation for the test message {msg.value!r}")
        if msg.lineno != msg.end_lineno:
            raise ValueError(f"{where}: keep the test message {msg.value!r} on one line")
        line = lines[msg.lineno - 1].encode()  # ast offsets count UTF-8 bytes
        text = table[msg.value].replace("\\", "\\\\").replace('"', '\\"')
        head, tail = line[: msg.col_offset], line[msg.end_col_offset :]  # type: ignore[misc]
        lines[msg.lineno - 1] = head.decode() + f'"{text}"' + tail.decode()
    return "".join(lines)


def translate_comments(
    source: str, tables: list[dict[str, str]], where: str, both: bool = False
) -> str:
    """``source`` with every comment replaced by its translations from ``tables``.

    With ``both``, a comment keeps its English text and adds each translation (the code of a
    multilingual team notebook): on the lines below a comment line, after a slash inline.
    """
    out = source
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    comments = [t for t in tokens if t.type == tokenize.COMMENT]
    for token in comments:
        comment = token.string
        text = comment[1:].strip()
        if text.startswith(("##", "#")) or text.startswith(("BEGIN", "END")):
            continue  # nbgrader markers stay as they are
        if not all(text in table for table in tables):
            tables[0][text]  # a catalogue names what is missing
            raise KeyError(f"{where}: no translation for the comment {text!r}")
        said = [table[text] for table in tables]
        if not both:
            translated = "# " + said[0]
        elif token.line.strip().startswith("#"):  # a comment line: the translations below it
            indent = " " * token.start[1]
            translated = "\n".join([f"# {text}", *(f"{indent}# {t}" for t in said)])
        else:
            translated = " / ".join([f"# {text}", *said])
        out = out.replace(comment, translated, 1)
    return out


_FORMATTED: dict[str, str] = {}


def ruff_format(source: str) -> str:
    """``source`` as ``ruff format`` writes it (translations change line lengths)."""
    if source not in _FORMATTED:
        ruff = Path(sys.executable).parent / "ruff"
        done = subprocess.run(
            [str(ruff) if ruff.is_file() else "ruff", "format", "--stdin-filename", "cell.py", "-"],
            input=source,
            capture_output=True,
            text=True,
            cwd=REPO,
            check=True,
        )
        _FORMATTED[source] = done.stdout
    return _FORMATTED[source]


def notebook(unit: Unit, cells: list[Cell], langs: str | list[str], name: str) -> str:
    """The JSON text of one notebook of ``unit``: in one language, or in several.

    With a list of languages (the shared team notebook), each Markdown cell holds every
    language's text, one block after the other, each after its mark
    (``vxkit.workspace.join_languages``); the install keeps the team's languages.
    """
    from vxkit.workspace import join_languages

    several = isinstance(langs, list)
    languages = langs if isinstance(langs, list) else [langs]
    out = []
    where = f"{unit.id}/{name}"
    for i, cell in enumerate(cells):
        cell_id = cell.key or f"{name}-{i:02d}"
        if cell.kind == "markdown":
            texts = {lang: unit.say(cell.text, lang) for lang in languages}
            text = join_languages(texts) if several else texts[languages[0]]
        else:
            text = cell.text
            if several:
                tables = [unit.table(lang) for lang in languages if lang != "en"]
                text = translate_comments(text, tables, where, both=True)  # type: ignore[arg-type]
            elif languages[0] != "en":
                table = unit.table(languages[0])
                text = translate_comments(text, [table], where)  # type: ignore[arg-type]
                text = translate_messages(text, table, where)
            text = ruff_format(text)
        entry: dict = {"cell_type": cell.kind, "id": cell_id, "metadata": {}}
        if cell.nbgrader:
            entry["metadata"]["nbgrader"] = cell.nbgrader
        entry["source"] = text.strip("\n").splitlines(keepends=True)  # type: ignore[union-attr]
        if cell.kind == "code":
            entry["execution_count"] = None
            entry["outputs"] = []
        out.append(entry)
    meta = {"unit": unit.id, **({"languages": langs} if several else {"language": langs})}
    nb = {
        "cells": out,
        "metadata": {
            "kernelspec": KERNELSPEC,
            "language_info": {"name": "python"},
            "vxkit": meta,
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def unit_toml(unit: Unit) -> str:
    """The text of ``unit.toml``."""
    import tomli_w

    data = {"id": unit.id, **unit.meta, "languages": unit.langs, "titles": unit_titles(unit)}
    return "# Written by curriculum/tools/nbbuild.py: edit the unit there.\n" + tomli_w.dumps(data)


def unit_titles(unit: Unit) -> dict[str, str]:
    """The unit's title in each language other than English (certificates list the units in
    the class's language): the first heading of the team notebook, which is the title."""
    out = {}
    for lang in unit.langs:
        heading = unit.say(unit.team[0].text, lang).splitlines()[0]  # type: ignore[arg-type]
        title = heading.removeprefix("# ").strip()
        if lang == "en" and title != unit.meta["title"]:
            raise ValueError(
                f"{unit.id}: the team notebook's first heading ({title!r}) should be the "
                f"unit's title ({unit.meta['title']!r})"
            )
        if lang != "en":
            out[lang] = title
    return out


def graded_tasks(unit: Unit) -> list[Cell]:
    """The autograded answer cells of a unit's graded notebook, in order."""
    return [cell for cell in unit.individual if cell.task is not None]


def guide_mistakes(unit: Unit) -> str:
    """The teacher guide's list of the code mistakes that hidden tests catch."""
    return "".join(
        f"- `{cell.key}`: {m.guide} (the autograder takes points off).\n"
        for cell in graded_tasks(unit)
        for m in cell.task.mistakes  # type: ignore[union-attr]
    )


def _is_type_check(node: ast.AST, names: tuple[str, ...]) -> bool:
    """Whether ``node`` is ``isinstance(x, T)`` with T (or one of a tuple) in ``names``."""
    if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "isinstance"):
        return False
    kinds = node.args[1:] if len(node.args) == 2 else []
    if kinds and isinstance(kinds[0], ast.Tuple):
        kinds = list(kinds[0].elts)
    return any(getattr(k, "id", None) in names for k in kinds)


def grading_problems(unit: Unit) -> list[str]:
    """Where the unit's autograding breaks the fair-grading policy (curriculum/README.md).

    Each sentence names the unit and the cell. The policy: a number question states its
    precision in every language and its tests accept any answer within it; any integer or
    real type passes (no ``isinstance(x, int)`` or ``float``); every assert has a message
    (translated: a missing translation fails the build); each task has a visible shape test
    and a values test with hidden tests, one point each; each task has other correct answers
    and at least one typical mistake for the fair-grading test.
    """
    problems = []
    cells = unit.individual
    by_key = {cell.key: cell for cell in cells if cell.key}
    langs = unit.langs
    for i, cell in enumerate(cells):
        task = cell.task
        if task is None:
            continue
        where = f"{unit.id}/{cell.key}"
        if task.returns not in RETURNS:
            problems.append(f"{where}: returns={task.returns!r} is not one of {RETURNS}")
        question = next(
            (c for c in reversed(cells[:i]) if c.kind == "markdown" and not c.nbgrader), None
        )
        shape, values = by_key.get(f"{cell.key}_shape"), by_key.get(f"{cell.key}_values")
        if shape is None or values is None:
            problems.append(f"{where}: needs the test cells {cell.key}_shape and {cell.key}_values")
            continue
        if task.returns == "number":
            if task.decimals is None:
                problems.append(f"{where}: a number answer needs decimals= (its precision)")
            else:
                for lang in langs:
                    said = unit.say(question.text, lang) if question else ""
                    if precision(lang, task.decimals) not in said:
                        problems.append(
                            f"{where}: the question ({lang}) does not state its precision "
                            f"({precision(lang, task.decimals)!r})"
                        )
                if tolerance(task.decimals) not in values.text:
                    problems.append(
                        f"{where}: the values tests should accept any answer within "
                        f"{tolerance(task.decimals)!r}"
                    )
        for test in (shape, values):
            source = test.text
            assert isinstance(source, str)
            tree = ast.parse(source)
            hidden = "### BEGIN HIDDEN TESTS" in source
            if test is values and not hidden:
                problems.append(f"{where}: {test.key} has no hidden tests")
            if (
                test is values
                and "assert" not in source.split("### BEGIN HIDDEN TESTS")[0]
                and (cell.key not in source.split("### BEGIN HIDDEN TESTS")[0])
            ):
                problems.append(f"{where}: {test.key} must call {cell.key} before the hidden tests")
            if test is shape and hidden:
                problems.append(
                    f"{where}: {test.key} checks the shape in view, with no hidden test"
                )
            for msg in _assert_messages(source):
                if not (isinstance(msg, ast.Constant) and isinstance(msg.value, str) and msg.value):
                    problems.append(f"{where}: an assert in {test.key} has no message (a string)")
            if any(_is_type_check(node, ("int", "float")) for node in ast.walk(tree)):
                problems.append(
                    f"{where}: {test.key} checks isinstance(..., int/float): numpy numbers "
                    "fail it; use numbers.Integral or numbers.Real"
                )
        if not task.accept:
            problems.append(f"{where}: no other correct answer (accept=) to grade")
        if not task.mistakes:
            problems.append(f"{where}: no typical mistake (mistakes=) to grade")
    return problems


def guide_extensions(unit: Unit) -> str:
    """The teacher guide's section on the unit's extension tasks for 16-18 year olds (none: "")."""
    lines = []
    for cell in unit.individual:
        if cell.extension:
            title = str(cell.text["en"]).splitlines()[0].split(": ", 1)[-1]  # type: ignore[index]
            lines.append(f"- **{title[:1].upper()}{title[1:]}** (`{cell.key}`): {cell.extension}\n")
    if not lines:
        return ""
    intro = (
        "At the end of the graded notebook, after the reflections, for older students or those "
        "who finish early. They earn no points in nbgrader (comment on them in the formgrader "
        "if you wish) and run offline like the rest.\n"
    )
    return EXTENSION_HEADING + intro + "".join(lines) + "\n"


def english_guide(unit: Unit) -> str:
    """The unit's teacher guide in English, with the round trip, the graded mistakes and the
    extension tasks (the shared opening, ``BEFORE_YOU_START``, is added by ``guide``)."""
    steps = GRADING_STEPS.format(unit=unit.id)
    guide = unit.guide.strip().replace("## How to grade\n", "## How to grade\n" + steps, 1)
    heading = "## What students typically get wrong\n"
    peer = PEER_REVIEW.format(unit=unit.id) + "\n"
    guide = guide.replace("## How to grade\n", guide_extensions(unit) + "## How to grade\n", 1)
    return guide.replace(heading, peer + heading + guide_mistakes(unit), 1)


def guide_blocks(unit: Unit) -> list[str]:
    """The paragraphs, lists and tables of the English guide: one catalogue entry each."""
    return [block for block in english_guide(unit).split("\n\n") if block.strip()]


def guide_languages(unit: Unit) -> list[str]:
    """The languages other than English whose catalogue translates the unit's guide."""
    context = f"{unit.id}/guide"
    return [
        lang for lang in catalogue_languages() if context in {ctx for ctx, _ in catalogue(lang)}
    ]


def page_in(lang: str, name: str) -> str:
    """The file name of the curriculum page ``name`` in ``lang``, English if it has none."""
    translated = f"{name}.{lang}.md"
    return translated if lang != "en" and (CURRICULUM / translated).is_file() else f"{name}.md"


def guide_opening(unit: Unit, lang: str, folder: Path) -> str:
    """The guide's opening section in ``lang``: the links to the safeguarding page and the
    starter unit, relative to the guide's ``folder``, in the guide's language where they exist."""
    starter = load_unit(STARTER) if unit.id != STARTER else None
    targets = {"safeguarding": CURRICULUM / page_in(lang, SAFEGUARDING)}
    if starter is not None:
        has = lang != "en" and lang in guide_languages(starter)
        targets["starter"] = CURRICULUM / STARTER / f"teacher_guide{f'.{lang}' if has else ''}.md"
    links = {k: Path(os.path.relpath(v, folder)).as_posix() for k, v in targets.items()}
    texts = BEFORE_YOU_START if starter is not None else BEFORE_YOU_START[:1]
    said = [text if lang == "en" else _Translations("nbbuild", lang)[text] for text in texts]
    return "\n".join(said).format(**links)


def guide(unit: Unit, lang: str, folder: Path) -> str:
    """The text of the unit's teacher guide in ``lang``, for a guide kept in ``folder``: the
    English guide, translated block by block from the catalogue, with the opening before
    its goals."""
    blocks = guide_blocks(unit)
    if lang != "en":
        said = _Translations(f"{unit.id}/guide", lang)
        blocks = [said[block] for block in blocks]
    english = guide_blocks(unit)
    at = next((i for i, b in enumerate(english) if b.startswith("## Goals")), min(2, len(blocks)))
    return "\n\n".join([*blocks[:at], guide_opening(unit, lang, folder), *blocks[at:]]) + "\n"


def unit_files(unit: Unit, folder: Path | None = None) -> dict[str, str]:
    """Every generated file of a unit, by path relative to the unit folder (``folder``, by
    default the unit's folder in the curriculum: the guides' links are relative to it)."""
    folder = folder or CURRICULUM / unit.id
    files = {"unit.toml": unit_toml(unit), "teacher_guide.md": guide(unit, "en", folder)}
    for lang in guide_languages(unit):
        files[f"teacher_guide.{lang}.md"] = guide(unit, lang, folder)
    files.update(unit.extra)
    files["team.ipynb"] = notebook(unit, unit.team, unit.langs, "team")
    for lang in unit.langs:
        suffix = ".ipynb" if lang == "en" else f".{lang}.ipynb"
        files["individual" + suffix] = notebook(unit, unit.individual, lang, "individual")
    return files


README_HEAD = """# The vxkit curriculum

Data projects on global issues, in the shape of an iEARN or eTwinning project kit: get to know
each other, plan, exchange, publish, close. Each unit is one folder, and the folder name is the unit's
id in `exchange.toml` and its nbgrader assignment id.

## Units

| unit | title | SDG | ages | hours | phase | skills | languages |
|---|---|---|---|---|---|---|---|
"""

README_TAIL = """
Every notebook is written for students aged 12 to 18 working with partners abroad: first names
only, facts with their source and year, and care for the other class's country and culture.
Before the first lesson, read **[Safeguarding in a virtual exchange](safeguarding.md)**
([français](safeguarding.fr.md), [español](safeguarding.es.md)): parental permission,
netiquette, what is published and where, chats and moderation, what to do if something goes
wrong; every teacher guide links it. Classes of 12-14 year olds new to Python start with
[`python_starter`](python_starter/teacher_guide.md), and the data units end with extension
tasks for 16-18 year olds, listed in their guides.
All data are offline: indicators come from `vxkit.data` (installed packages), the rest sits in
the unit's `data/` folder with its source named in the notebook.

## What a unit holds

| file | what it is | where `vxkit new` puts it |
|---|---|---|
| `unit.toml` | id, title, SDG, ages, hours, phase, skills, languages | (read by `vxkit check`) |
| `team.ipynb` | the one team notebook the mixed team co-edits live, its prose in every language of the unit: introduction, data exploration with vxkit widgets and maps, a section per class about its own country, a joint conclusion | `projects/<team>/<unit>.ipynb`, in the languages of the team's classes |
| `individual.ipynb`, `individual.<lang>.ipynb` | the graded nbgrader source notebook: autograded exercises with visible and hidden tests, reflections graded by hand with the rubric in the locked cell above each answer | `course/source/<unit>/` |
| `data/` | small offline data files, sources in the notebooks | `course/source/<unit>/data/` and `projects/<team>/data/` |
| `teacher_guide.md`, `teacher_guide.<lang>.md` | goals, SDG, timing across the exchange phases, the live session across time zones, discussion prompts, grading, typical mistakes, sources; translated where a catalogue translates the guide | stays here |

Every notebook has the same fixed sections, as level-2 headings in this order: Overview,
Prerequisites, Imports (all imports in the first code cell), the unit's own sections, Summary,
Resources (in French: Aperçu, Prérequis, Imports, Résumé, Ressources; in Spanish: Panorama,
Requisitos previos, Importaciones, Resumen, Recursos).

## Languages

Every unit is in English, French and Spanish. A unit's source holds English and one partner
language side by side; every other language comes from a **catalogue**,
`curriculum/tools/catalogues/<lang>.po` (gettext PO, which translators' tools open): each entry
is one Markdown cell, code comment or test message of a unit (`msgctxt` is the unit id, `msgid`
the English text, a comment shows the partner-language text). A unit is built in every
language whose catalogue translates it, and `unit.toml` lists them; a missing entry fails the
build, naming the unit and the text. **Adding a language is one catalogue, not a code change**:

    python curriculum/tools/nbbuild.py --catalogue pt            # every unit's texts, to translate
    python curriculum/tools/nbbuild.py --catalogue pt meet_partners   # or one unit's
    python curriculum/tools/nbbuild.py                           # then build

A new language's catalogue also names, with `msgctxt "nbbuild"`, the fixed sections, the
language itself and how a question states its precision ("to {n} decimal places").

**The team notebook is one shared notebook** (`team.ipynb`): the mixed team co-edits one file,
so the joint conclusion is in one place and the portfolio publishes one page per unit. Each
Markdown cell holds the text in every language of the unit, one block after the other, each
block starting with an invisible mark (`<!-- vxkit:lang fr -->`); code is shared, and each code
comment is followed by its translation. When `vxkit new` puts the notebook into a team's folder,
it keeps the blocks in the languages of the team's classes (`languages` in `exchange.toml`):
a team of a French and an English class gets both, a team whose classes speak none of the
unit's languages gets all of them. A per-viewer language switch was not chosen: co-editors
would each see a different document while editing one, and what one wrote would be hidden
from the other.

**The graded notebooks are one per language**: the two notebooks of a pair have the same cells
with the same ids, the same code and the same tests; only the prose, the code comments and the
test messages differ.

The graded notebook of each language sits in the **same assignment folder**, as
`individual.ipynb` and `individual.<lang>.ipynb`. nbgrader then releases both to every student,
who works in the language they prefer. nbgrader grades each notebook; `vxkit grades` and the
students' grade page count the better of the two language versions (score and maximum alike),
so a student who answered in Spanish sees 14 / 14, not 14 / 42. One assignment per unit keeps
ids, deadlines and the gradebook simple; a `<lang>/` subfolder would not be graded by nbgrader.

## Fair autograding

Every autograded task follows one policy, which `python curriculum/tools/nbbuild.py --check`
enforces (the build fails, naming the unit and the cell, when a task breaks it):

- **Any integer type counts as an integer, any real number type as a number**: tests check
  `numbers.Integral` and `numbers.Real`, never `int` or `float`, so the numpy numbers that
  `.sum()`, `.count()` and `.idxmax()` return pass.
- **Numbers are accepted at the precision the question states** ("accepted to 1 decimal
  place"): every question that asks for a number says it, and its tests accept any answer
  within half a unit of that decimal, so an answer rounded to it passes. A value computed from
  the student's own earlier, rounded answer counts too (no double penalty).
- **Points split into parts**: each task is worth 2 points, `<task>_shape` (1 point, in view:
  the type, index, columns, format such as zero padding) and `<task>_values` (1 point, hidden
  tests of the values, with rows on the boundaries and ties). A student who passes every
  visible test has the right shape, and a right shape with wrong values earns 1 of 2.
- **Every assert has a message**, in the notebook's language (messages are translated through
  the unit's table like code comments; a missing translation fails the build).
- **Every typical mistake is graded**: each task lists, in its unit's source, correct answers
  written in other idioms and the typical mistakes the teacher guide names (the guide's list is
  generated from them). `tests/curriculum/test_fair_grading.py` submits both to real nbgrader
  autograding: every correct idiom must score full marks, every mistake must lose points.

| unit | task | answer | precision | other correct answers | typical mistakes |
|---|---|---|---|---|---|
{fair_rows}

## Work that needs both classes

- **The exchange's own countries.** The graded notebooks of `climate_co2`, `health_wealth`
  and `population_futures` work on the countries of the exchange's classes, any ISO country
  with data: `vxkit.views.notebook_countries` reads them from the exchange the kernel sees (a
  sandboxed kernel gets its view through `$VXKIT_EXCHANGE` and never reads `exchange.toml`),
  takes the notebook's class from its folder (`students/<id>/`, or
  `course/autograded/<id>/<unit>/` when grading) and sets `MINE` and `PARTNER` (the first
  other class in `exchange.toml`: the same in a student's kernel and in the kernel grading the
  hand-in, which sees no teams). A country the
  data lack is left out with a sentence in the class's language. The reference countries
  stay, to compare with.
- **A partner task in each**: `partner_change`, `partner_gained`, `partner_growth` are graded
  on the partner class's country, which the hidden test reads again from the exchange, so
  one's own country (even with `PARTNER` reassigned) loses the values point
  (`tests/curriculum/test_exchange_countries.py`, with a Warsaw-Rome exchange). In
  `meet_partners`, `partner_hours` is graded on the partner class's time zone
  (`vxkit.views.notebook_classes`), and so are `overlap_hours` in `plan` (the school hours
  both classes share in a week) and `distance_km` in `closing` (from the schools'
  coordinates). In `local_data`, `partner_noon` is graded on the partner school's longitude
  and time zone (its solar noon in its clock time), and in `publish`, `credit_line` on the
  school, city and country of every class of the exchange, the country's name asked in
  English, French and Spanish (`PartnerClass.country_name`).
- **Plan and close together.** In `plan`, each class sponsors a question for the others, as
  in iEARN Learning Circles, and the team shares out the work across the time zones; in
  `closing`, each class says what it learned from its partners, everyone says goodbye, and
  `vxkit certificates CLASS` prints a certificate for each student (one A4 page each: first
  name, class, partner classes, exchange, units handed in).
- **Widgets in the team's languages**: a team notebook's widgets label in every language of
  the team's classes (`LOCALE`), country names in the first (`vxkit/locale/*/widgets.po`).
- **Peer review across classes**: every guide schedules `vxkit peer-review` after the
  deadline.

## Writing or changing a unit

The notebooks, `unit.toml`, the teacher guides and this README are generated: edit the unit in
`curriculum/tools/units/<unit>.py` (prose as an English/partner-language pair, code once, code
comments and test messages translated through a table; other languages in the catalogues) and
run

    python curriculum/tools/nbbuild.py          # write the files
    python curriculum/tools/nbbuild.py --check  # list files that differ (the tests run this)

`templates/unit/` is a skeleton to copy for a new unit (generated from
`curriculum/tools/units/skeleton.py`). `curriculum/tools/extract_data.py` rebuilds the CSV of
`population_futures/data/` from the UN data in `bokeh_sampledata`.
`tests/curriculum/` checks the structure, runs every notebook with no network, validates the
graded notebooks with nbgrader and checks that a released assignment leaks no solution or hidden
test.
"""


def readme(units: list[Unit]) -> str:
    """The curriculum README: the index of the units, then how the curriculum is organised."""
    rows = []
    for unit in units:
        m = unit.meta
        langs = ", ".join(language_name(code) for code in unit.langs)
        rows.append(
            f"| [`{unit.id}`]({unit.id}/teacher_guide.md) | {m['title']} | {m['sdg']} | "
            f"{m['ages']} | {m['hours']} | {m['phase']} | {', '.join(m['skills'])} | {langs} |"
        )
    fair = []
    for unit in units:
        for cell in graded_tasks(unit):
            task = cell.task
            assert task is not None
            places = "exact" if task.decimals is None else precision("en", task.decimals)
            fair.append(
                f"| `{unit.id}` | `{cell.key}` | {task.returns} | {places} | "
                f"{len(task.accept)} | {len(task.mistakes)} |"
            )
    tail = README_TAIL.replace("{fair_rows}", "\n".join(fair))
    return README_HEAD + "\n".join(rows) + "\n" + tail


def load_unit(unit_id: str) -> Unit:
    """The description of one unit."""
    if str(TOOLS) not in sys.path:
        sys.path.insert(0, str(TOOLS))
    unit = importlib.import_module(f"units.{unit_id}").UNIT
    from units.extensions import with_extensions  # the data units' tasks for 16-18

    return with_extensions(unit)


def all_files() -> dict[Path, str]:
    """Every file the generator writes, by absolute path."""
    files: dict[Path, str] = {}
    units = [load_unit(unit_id) for unit_id in UNITS]
    for unit in units:
        for rel, text in unit_files(unit).items():
            files[CURRICULUM / unit.id / rel] = text
    files[CURRICULUM / "README.md"] = readme(units)
    skeleton = load_unit("skeleton")
    for rel, text in unit_files(skeleton, TEMPLATE).items():
        files[TEMPLATE / rel] = text
    return files


def stale_files() -> list[Path]:
    """Generated files whose committed text differs from what the units describe."""
    return [
        path
        for path, text in all_files().items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]


def english_texts(unit: Unit) -> list[tuple[str, str]]:
    """Every text of a unit a translator translates, in order, with its partner-language text
    (prose of both notebooks, code comments, test messages)."""
    out: dict[str, str] = {}
    for cell in [*unit.team, *unit.individual]:
        if cell.kind == "markdown":
            out.setdefault(cell.text["en"], cell.text["xx"])  # type: ignore[index]
    for en, other in unit.comments.items():
        out.setdefault(en, other)
    return list(out.items())


def write_catalogue(lang: str, unit_ids: list[str]) -> Path:
    """Add the texts of ``unit_ids`` to ``catalogues/<lang>.po``, keeping its translations.

    Each entry's context is the unit id; the translator comment shows the unit's partner
    language text, to translate from either.
    """
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    path = CATALOGUES / f"{lang}.po"
    if path.is_file():
        with open(path, "rb") as f:
            old = read_po(f, locale=lang)
    else:
        old = Catalog(
            locale=lang,
            project="vxkit curriculum",
            header_comment=CATALOGUE_HEADER.format(lang=lang),
        )
    if lang not in SECTIONS:  # the words the build itself needs in the language
        for en in LANGUAGE_WORDS:
            if old.get(en, context="nbbuild") is None:
                hint = "the name of the language in itself" if en == "English" else "a heading"
                if "{n}" in en:
                    hint = "keep {n}: the number of decimal places"
                old.add(en, "", context="nbbuild", user_comments=[hint])
    for en in GUIDE_WORDS:  # every guide's opening; {links} are filled in by the build
        if old.get(en, context="nbbuild") is None:
            hint = "a part of every teacher guide: keep the {...} link targets as they are"
            old.add(en, "", context="nbbuild", user_comments=[hint])
    for unit_id in unit_ids:
        unit = load_unit(unit_id)
        for en, other in english_texts(unit) if lang != unit.lang else []:
            if old.get(en, context=unit.id) is None:
                old.add(en, "", context=unit.id, user_comments=[f"{unit.lang}: {other}"])
        for block in guide_blocks(unit):  # the teacher guide, paragraph by paragraph
            if old.get(block, context=f"{unit.id}/guide") is None:
                old.add(block, "", context=f"{unit.id}/guide")
    CATALOGUES.mkdir(exist_ok=True)
    with open(path, "wb") as f:
        write_po(f, old, width=0, omit_header=False, sort_output=False)
    return path


def main(argv: list[str] | None = None) -> int:
    """Write every generated file, or with ``--check`` list the stale ones."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only list files that differ")
    parser.add_argument(
        "--catalogue",
        metavar="LANG",
        help="add the texts of the units (all, or those named) to catalogues/LANG.po to translate",
    )
    parser.add_argument("units", nargs="*", help="with --catalogue: the units to add")
    args = parser.parse_args(argv)
    if args.catalogue:
        path = write_catalogue(args.catalogue, args.units or list(UNITS))
        shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
        print(f"wrote {shown}: translate its empty msgstr, then run the build")
        return 0
    problems = [p for unit_id in (*UNITS, "skeleton") for p in grading_problems(load_unit(unit_id))]
    for problem in problems:
        print(f"unfair grading: {problem}")
    if args.check:
        stale = stale_files()
        for path in stale:
            print(f"out of date: {path.relative_to(REPO)}")
        return 1 if stale or problems else 0
    if problems:
        return 1
    for path, text in all_files().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
