"""Join-code guessing behind a school's shared address (its own server: it trips the limit).

Design: guessing stays throttled for the guesser, and one student who trips the limit does
not lock classmates behind the same address (the same NAT) out of the join page."""

from __future__ import annotations

from .conftest import Browser, Server

LIMIT = 30  # VxkitApp.join_attempts_limit's default, in its 600 s window


def test_guesser_is_throttled_but_classmates_still_join(server: Server):
    """Door: a student tries codes until the server says wait; from then on the whole school
    (one public address) is refused the join page, right code or not, for ten minutes."""
    guesser = Browser(server, label="guesser")
    answers = [guesser.get(f"vxkit/join/WRONG{i:02d}").status_code for i in range(LIMIT + 2)]
    assert answers[-1] == 429, answers  # guessing is throttled
    classmate = Browser(server, label="classmate")
    response = classmate.join(server.codes["lyon_4b"], name="Hugo")
    assert response.status_code == 302, response.status_code
    assert classmate.me() is not None
