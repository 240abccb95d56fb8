"""The contact reason and journey pages refuse an element of another type with a 404 page."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.demo_app import client, demo_store


@pytest.mark.parametrize(
    ("path", "said"),
    [
        (
            "/reason?id=journey/verhuizen&lang=en",
            "journey/verhuizen: Journey, not a contact reason",
        ),
        (
            "/journey?id=reason/storing-melden&lang=en",
            "reason/storing-melden: ContactReason, not a journey",
        ),
    ],
)
def test_an_element_of_another_type_gets_a_404_page(tmp_path: Path, path: str, said: str) -> None:
    store = demo_store()
    try:
        web, _ = client(store, tmp_path)
        answer = web.get(path)
        assert answer.status_code == 404, answer.text
        assert said in answer.text
    finally:
        store.close()
