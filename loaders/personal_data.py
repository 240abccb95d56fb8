"""What of an input value journeykg may repeat in what it writes: the rule against personal data.

A sync writes a report (text and ``--json``), a quarantine file and logs; none
of them may carry personal data from a CRM, a survey or an event log
(docs/sync.md, "Personal data"). The sources never read the fields that hold
it (a CRM case keeps only the fields its recipe names, and a recipe that
names a personal field is refused), but a value of a field they do read can
still be personal: a person object where a code was expected, a name typed
into a date, an e-mail address in a drop-down. So a value from the input is
repeated only when it may be:

- :func:`shown_key` for a value of a field the recipe maps through a closed
  list (a contact reason, a channel, a status, the subject of a survey): the
  user needs it to extend the mapping. Repeated when it is one line of at
  most 64 characters with nothing shaped like an e-mail address, a phone
  number or an IBAN in it;
- :func:`shown_value` for a value that does not fit its field's type (a
  date, a number, a true/false, a reference): repeated only when it is also
  a single word (``gisteren``, ``12,5``, ``yes``), never a phrase that could
  be a name;
- anything else, and any object or list where one value was expected, is
  described by its kind and size only (``a text of 23 characters``,
  ``an object with 2 fields``).

:func:`scrub` is the last net, applied to every problem and every unmapped
value before a report or a quarantine line is written: it replaces whatever
is shaped like an e-mail address, a phone number or an IBAN. Names have no
shape; they are kept out by the two rules above.

The patterns are hand-written: the libraries that find personal data
(Presidio, scrubadub) bring language models and their own dependencies for
what three regular expressions do well enough on the shapes that matter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from journeykg.validation.problems import Problem

#: The longest key value (a drop-down's option) that is repeated.
MAX_KEY = 64
#: The longest single-word value (a bad date, number or flag) that is repeated.
MAX_WORD = 32

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# International (+31 6 1234 5678, 0031...) or national (06-12345678, 020 555 0142): at least
# eight digits in one run of digits, spaces, dots, hyphens and brackets. A date (2026-02-03)
# has fewer digits in a run that starts without + or 0; an id like 5003X00002 breaks the
# run with a letter, and a GUID's groups are joined by hyphens on both sides.
_PHONE = re.compile(r"(?<![\w+-])(?:\+|00|0)\d(?:[\s().-]{0,2}\d){7,13}(?![\w-])")
# Two letters, two check digits, then 10 to 30 letters and digits, in groups or not.
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]){10,30}\b")
_PATTERNS = (("e-mail address", _EMAIL), ("phone number", _PHONE), ("IBAN", _IBAN))

_SCALARS = (str, int, float, bool, Decimal)


def described(value: object) -> str:
    """``value`` by its kind and size only, never its content."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a true/false value"
    if isinstance(value, int | float | Decimal):
        return "a number"
    if isinstance(value, str):
        return f"a text of {len(value)} character{'s' if len(value) != 1 else ''}"
    if isinstance(value, Mapping):
        return f"an object with {len(value)} field{'s' if len(value) != 1 else ''}"
    if isinstance(value, Sequence | set | frozenset):
        return f"a list of {len(value)} value{'s' if len(value) != 1 else ''}"
    return f"a {type(value).__name__}"


def looks_personal(text: str) -> str | None:
    """What in ``text`` is shaped like personal data (``e-mail address``...), or None."""
    for name, pattern in _PATTERNS:
        if pattern.search(text):
            return name
    return None


def shown_key(value: Any) -> str:
    """A value of a field mapped through a closed list, or its description (see the module)."""
    if not isinstance(value, _SCALARS):
        return described(value)
    text = str(value)
    if len(text) > MAX_KEY or "\n" in text or "\r" in text or looks_personal(text):
        return described(value)
    return text


def shown_value(value: Any) -> str:
    """A value that does not fit its field's type, or its description (see the module)."""
    shown = shown_key(value)
    if shown != str(value) or len(shown) > MAX_WORD or len(shown.split()) > 1:
        return described(value)
    return shown


def scrub(text: str) -> str:
    """``text`` with everything shaped like an e-mail address, a phone number or an IBAN
    replaced by what it is (``[e-mail address]``)."""
    for name, pattern in _PATTERNS:
        text = pattern.sub(f"[{name}]", text)
    return text


def scrubbed(problem: Problem) -> Problem:
    """``problem`` with :func:`scrub` applied to every text it holds."""
    return replace(
        problem,
        file=scrub(problem.file),
        message=scrub(problem.message),
        node=None if problem.node is None else scrub(problem.node),
        value=None if problem.value is None else scrub(problem.value),
    )
