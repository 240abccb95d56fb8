"""The post a governance step is taken by (``--by``): it must be in the graph.

A step is recorded as taken by a post (an ``org:Post``, e.g. a ``jkg:Owner``:
a role title, never a person), and the shapes refuse a step by anything
else. Checked before any step is taken, so that a mistyped or missing post
is named with the posts there are and how to add one, instead of as a
shape violation of the record the step would have written.
"""

from __future__ import annotations

from journeykg.graph.governed_steps import GovernedWriteError
from journeykg.graph.store import Facts, Store
from journeykg.namespaces import JKG, ORG, RDFS
from journeykg.validation.problems import Problem

#: Classes whose instances take governance steps (jkg:Owner is an org:Post).
POST_CLASSES = (str(ORG.Post), str(JKG.Owner))

#: The rule a missing post breaks, as problems name it.
POST_RULE = "a governance step is taken by a post in the graph"

#: How many posts a refusal lists.
_LISTED = 10


def how_to_add_a_post(iri: str) -> str:
    """One line saying how a post is added: a jkg:Owner loaded from a Turtle file."""
    return (
        "add it by loading a Turtle file that describes it (journeykg load FILE), e.g. "
        f'<{iri}> a <{JKG.Owner}> ; <{RDFS.label}> "..."@nl ; '
        f"<{JKG.ownerRole}> <{JKG.InsightOwner}> ."
    )


def require_post(store: Store, by: str, source: str) -> None:
    """Refuse (:class:`GovernedWriteError`) unless ``by`` names a post in ``store``."""
    iri = store.ids.iri(by)
    facts = store.element_facts([str(iri)], Facts.TYPES).get(str(iri))
    if facts is not None and any(t in POST_CLASSES for t in facts[0]):
        return
    posts = [store.ids.key(str(p)) for p in store.instances(JKG.Owner)]
    known = ", ".join(posts[:_LISTED]) + (", ..." if len(posts) > _LISTED else "")
    what = "is not a post" if facts is not None else "is not in the graph"
    message = (
        f"--by {by} {what}: a governance step is taken by a post (an org:Post, e.g. a "
        f"jkg:Owner), never a person. "
        + (f"Posts in the graph: {known}. " if posts else "The graph holds no posts yet. ")
        + f"To use {by}, {how_to_add_a_post(str(iri))}"
    )
    raise GovernedWriteError(
        f"{source}: {by} cannot take a governance step; nothing was written",
        [Problem(source, POST_RULE, message, node=by, property="--by")],
    )
