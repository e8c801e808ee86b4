"""Hub accounts of an exchange, both ways: the names ``vxkit hub-config`` gives people on a
JupyterHub, and who a hub user is on the exchange server.

- a student is the hub user named by their roster id (``vxkit.exchange.student_id``:
  ``lyon_4b-chloe``);
- the teacher of a class is ``<class id>-teacher``;
- members of the hub group ``vx-<exchange id>-visitors`` are read-only visitors;
- the exchange server itself runs as the hub user ``vx-<exchange id>``, which is nobody in
  the classroom.

Anyone else is nobody (deny by default): only a name on the current exchange makes a student
or a teacher.
"""

from __future__ import annotations

from collections.abc import Iterable

from .errors import VxkitError
from .exchange import Exchange
from .server.identity import Identity

VISITOR_COLOUR = "#777777"


def teacher_username(class_id: str) -> str:
    """The hub account of a class's teacher: ``<class id>-teacher``."""
    return f"{class_id}-teacher"


def exchange_username(exchange: Exchange) -> str:
    """The hub account that owns the exchange server: ``vx-<exchange id>``."""
    return f"vx-{exchange.id}"


def visitors_group(exchange: Exchange) -> str:
    """The hub group whose members watch the exchange read-only."""
    return f"{exchange_username(exchange)}-visitors"


def accounts(exchange: Exchange) -> dict[str, Identity]:
    """Every hub account of the exchange's people and who each is (roster order)."""
    people: dict[str, Identity] = {}
    for cls in exchange.classes:
        for student in cls.roster:
            people[student.id] = Identity(
                "student", student.name, student_id=student.id, class_id=cls.id
            )
        teacher = teacher_username(cls.id)
        if teacher in people:
            raise VxkitError(
                f'classes: the student id "{teacher}" is also the hub account of the teacher of '
                f"{cls.id}; rename that student in exchange.toml."
            )
        people[teacher] = Identity("teacher", cls.teacher, class_id=cls.id)
    owner = exchange_username(exchange)
    if owner in people:
        raise VxkitError(
            f'classes: the hub account "{owner}" runs the exchange server; rename the student '
            "with that id in exchange.toml."
        )
    return people


def hub_identity(
    exchange: Exchange | None, username: str, groups: Iterable[str]
) -> Identity | None:
    """Who the hub user ``username`` (a member of ``groups``) is on this exchange, before
    placing (class, team, city and colour come from ``provider.place``); None for nobody."""
    if exchange is None:
        return None
    try:
        known = accounts(exchange)
    except VxkitError:
        return None
    if username in known:
        return known[username]
    if visitors_group(exchange) in set(groups):
        return Identity("visitor", f"{username} (visitor)", colour=VISITOR_COLOUR)
    return None
