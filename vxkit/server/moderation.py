"""Moderation for minors: the teachers' chat settings, word lists, held and hidden messages,
mutes, and what each person last read. Nothing here is in a shared document.

Everything lives in ``.vxkit/chat/`` (the state area: no student or visitor reaches it by
any door), one JSON file per concern, each written atomically:

- ``settings.json``: what the teachers allow (``SETTINGS``) and the word list;
- ``held.json``: messages a word on the list held back until a teacher releases them;
- ``hidden.json``: the text of messages a teacher hid (the shared document keeps none of it);
- ``mutes.json``: who may not post until when;
- ``seen.json``: when each person last read each chat ("since you were last here").

No tornado and no jupyter_server here: ``vxkit.areas`` reads the settings too.
"""

from __future__ import annotations

import json
import re
import threading
import time
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..areas import CHAT_SETTINGS, chat_settings
from ..files import atomic_write

#: what the teachers switch on or off, with its default: all off for minors
SETTINGS: dict[str, bool] = {
    "agora": False,  # the exchange-wide chat is open to students
    "visitors": False,  # visitors may read the chats (never write)
    "links": False,  # links in students' messages are clickable (else shown as text)
    "images": False,  # markdown images in students' messages are shown (else as text)
}

#: starter word lists (short and tame: teachers add their own), by language
STARTER_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("idiot", "stupid", "shut up", "hate you", "loser", "ugly", "kill yourself"),
    "fr": ("idiot", "débile", "ta gueule", "nul", "je te déteste", "moche", "connard"),
    "es": ("idiota", "estúpido", "cállate", "te odio", "perdedor", "feo", "imbécil"),
}

#: longest message, in characters
MAX_MESSAGE = 4000

# bidirectional embedding, override and isolate controls: they let a message turn the text
# around it (a name, a time) backwards. Other control characters but newline and tab go too.
_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\x00-\x08\x0b-\x1f\x7f]")


class ModerationError(ValueError):
    """Input a teacher or student sent that can't be used: the sentence names the field."""


def clean_text(text: Any, field_name: str = "body") -> str:
    """A message as it is kept: a string, no control or bidi-override characters, trimmed,
    at most ``MAX_MESSAGE`` characters; ModerationError (naming the field) otherwise."""
    if not isinstance(text, str):
        raise ModerationError(f"The field '{field_name}' must be text, not {type(text).__name__}.")
    cleaned = _CONTROLS.sub("", text).strip()
    if not cleaned:
        raise ModerationError(f"The field '{field_name}' is empty: type a message first.")
    if len(cleaned) > MAX_MESSAGE:
        raise ModerationError(
            f"The field '{field_name}' has {len(cleaned)} characters; a message may have at "
            f"most {MAX_MESSAGE}."
        )
    return cleaned


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:=\"'$@])")


def as_markdown_text(text: str) -> str:
    """``text`` with every markdown and HTML character escaped, so that any markdown viewer
    (jupyterlab-chat's, where a teacher opens the ``.chat`` file) shows it as typed: no
    tag, link, image or mention comes alive."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN.sub(r"\\\1", text)


def fold(text: str) -> str:
    """``text`` lower-cased without accents and without invisible format characters (zero-
    width space and joiner, soft hyphen, word joiner: "stu\u200bpid" reads "stupid"), for
    matching words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(
        ch
        for ch in decomposed
        if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf"
    )


def flagged_words(text: str, words: list[str]) -> list[str]:
    """The words of the list that ``text`` contains (whole words, case and accents ignored)."""
    folded = fold(text)
    found = []
    for word in words:
        w = fold(word).strip()
        if w and re.search(rf"(?<!\w){re.escape(w)}(?!\w)", folded):
            found.append(word)
    return found


def starter_words(languages: list[str]) -> list[str]:
    """The starter list for the exchange's languages (English always), no duplicates."""
    words: list[str] = []
    for lang in ["en", *languages]:
        for word in STARTER_WORDS.get(lang.split("-")[0].lower(), ()):
            if word not in words:
                words.append(word)
    return words


@dataclass
class Held:
    """A message held back for a teacher's look: never in a shared document until released."""

    id: str
    where: str  # "chat:<key>" or "comment:<path>#<thread>"
    sender: dict[str, Any]  # the stamped identity
    username: str
    text: str
    time: float
    words: list[str]
    extra: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class Moderation:
    """The moderation state of one workspace (``.vxkit/chat/``); safe across threads."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.folder = self.root / CHAT_SETTINGS.rsplit("/", 1)[0]
        self._lock = threading.RLock()

    # -- files -----------------------------------------------------------------------------
    def _read(self, name: str, default: Any) -> Any:
        try:
            data = json.loads((self.folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return default
        return data if isinstance(data, type(default)) else default

    def _write(self, name: str, data: Any) -> None:
        atomic_write(self.folder / name, json.dumps(data, ensure_ascii=False, indent=1))

    # -- settings --------------------------------------------------------------------------
    def settings(self, languages: list[str] | None = None) -> dict[str, Any]:
        """The teachers' settings: each switch of ``SETTINGS`` and the word list (the starter
        list for ``languages`` until teachers save their own)."""
        stored = chat_settings(self.root)
        out: dict[str, Any] = {k: stored.get(k, v) is True for k, v in SETTINGS.items()}
        words = stored.get("words")
        out["words"] = (
            [w for w in words if isinstance(w, str)]
            if isinstance(words, list)
            else starter_words(languages or [])
        )
        return out

    def update_settings(self, changes: Any, languages: list[str] | None = None) -> dict[str, Any]:
        """Apply a teacher's changes (switches and/or ``words``); ModerationError names a bad
        field and its value."""
        if not isinstance(changes, dict):
            raise ModerationError("The settings must be a JSON object.")
        with self._lock:
            current = self.settings(languages)
            for key, value in changes.items():
                if key in SETTINGS:
                    if not isinstance(value, bool):
                        raise ModerationError(
                            f"The setting '{key}' must be true or false, not {value!r}."
                        )
                    current[key] = value
                elif key == "words":
                    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
                        raise ModerationError(
                            f"The setting 'words' must be a list of words, not {value!r}."
                        )
                    current["words"] = sorted({w.strip() for w in value if w.strip()}, key=fold)
                else:
                    known = ", ".join([*SETTINGS, "words"])
                    raise ModerationError(f"There is no setting '{key}' (known: {known}).")
            self._write("settings.json", current)
            return current

    # -- held messages ---------------------------------------------------------------------
    def hold(
        self,
        where: str,
        sender: dict[str, Any],
        username: str,
        text: str,
        words: list[str],
        extra: dict[str, Any] | None = None,
    ) -> Held:
        """Keep a flagged message for a teacher."""
        held = Held(
            uuid.uuid4().hex, where, sender, username, text, time.time(), words, extra or {}
        )
        with self._lock:
            queue = self._read("held.json", [])
            queue.append(held.as_dict())
            self._write("held.json", queue)
        return held

    def held(self) -> list[dict[str, Any]]:
        """Every message waiting for a teacher, oldest first."""
        return self._read("held.json", [])

    def held_by(self, username: str, where: str) -> list[dict[str, Any]]:
        """What ``username`` posted in ``where`` that is waiting for a teacher."""
        return [h for h in self.held() if h.get("username") == username and h.get("where") == where]

    def take_held(self, held_id: str) -> dict[str, Any] | None:
        """Remove a held message from the queue (released or discarded); None if unknown."""
        with self._lock:
            queue = self._read("held.json", [])
            found = next((h for h in queue if h.get("id") == held_id), None)
            if found is not None:
                self._write("held.json", [h for h in queue if h.get("id") != held_id])
            return found

    # -- hidden messages -------------------------------------------------------------------
    def keep_hidden(self, message_id: str, record: dict[str, Any]) -> None:
        """Keep the text of a hidden message (and who hid it) out of the shared document."""
        with self._lock:
            hidden = self._read("hidden.json", {})
            hidden[message_id] = record
            self._write("hidden.json", hidden)

    def hidden(self) -> dict[str, dict[str, Any]]:
        """Hidden messages by id: their text, author and who hid them when."""
        return self._read("hidden.json", {})

    # -- mutes -----------------------------------------------------------------------------
    def mute(self, who: str, minutes: Any) -> float:
        """Mute the student ``who`` for ``minutes`` (0 lifts it); returns until when."""
        if not isinstance(minutes, (int, float)) or isinstance(minutes, bool) or minutes < 0:
            raise ModerationError(
                f"The field 'minutes' must be a number of minutes (0 or more), not {minutes!r}."
            )
        if minutes > 60 * 24 * 30:
            raise ModerationError(f"The field 'minutes' is {minutes}: at most 30 days (43200).")
        until = time.time() + 60 * minutes if minutes else 0.0
        with self._lock:
            mutes = self._read("mutes.json", {})
            if until:
                mutes[who] = until
            else:
                mutes.pop(who, None)
            self._write("mutes.json", mutes)
        return until

    def muted_until(self, who: str) -> float:
        """Until when ``who`` is muted (0.0 if they are not)."""
        until = self._read("mutes.json", {}).get(who, 0.0)
        return until if isinstance(until, (int, float)) and until > time.time() else 0.0

    # -- last read -------------------------------------------------------------------------
    def seen(self, username: str) -> dict[str, float]:
        """When ``username`` last read each chat (epoch seconds), by chat key."""
        value = self._read("seen.json", {}).get(username, {})
        return value if isinstance(value, dict) else {}

    def mark_seen(self, username: str, key: str, when: float) -> None:
        """Remember that ``username`` read chat ``key`` up to ``when``."""
        with self._lock:
            seen = self._read("seen.json", {})
            mine = seen.setdefault(username, {})
            if when > mine.get(key, 0):
                mine[key] = when
                self._write("seen.json", seen)
