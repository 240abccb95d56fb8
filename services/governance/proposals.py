"""Change proposals instead of writes: what ``--propose`` on a load, sync or import does.

A write path that meets a changed text of a governed element
(:mod:`journeykg.graph.governed`) hands it to the proposer made here, which
puts it to the board as a change proposal through the workflow
(:func:`~journeykg.services.governance.service.propose_change`). Running the
same input again proposes nothing new: an open proposal that already holds
the text is answered with its key, and a text the element already has is
not proposed at all.
"""

from __future__ import annotations

from journeykg.graph.governed_steps import GOVERNED_RULE, GovernedWriteError, ProposedText, Proposer
from journeykg.graph.store import Store
from journeykg.namespaces import SKOS
from journeykg.services.governance import glossary, history
from journeykg.services.governance.errors import GovernanceError
from journeykg.services.governance.model import ConceptText
from journeykg.services.governance.posts import require_post
from journeykg.services.governance.service import Caller, propose_change
from journeykg.services.governance.transitions import Status
from journeykg.services.governance.workflow import Clock, system_clock
from journeykg.validation.problems import Problem


def proposer(store: Store, caller: Caller, *, source: str, clock: Clock = system_clock) -> Proposer:
    """Proposes each changed text as ``caller``, with ``source`` (a file, a sync) as rationale.

    Refuses at once (:class:`GovernedWriteError`) when ``caller.by`` is not a
    post in the graph, before the input is read.
    """
    require_post(store, caller.by, source)

    def propose(change: ProposedText) -> str | None:
        ident = store.ids.key(str(change.element))
        text = _text(change)
        current = glossary.load_concept(store, ident).text
        wanted = text.merged_over(current)
        if wanted == current:
            return None
        for open_ in history.proposals(store, ident):
            if open_.status == Status.PROPOSED and open_.text == wanted:
                return open_.id
        try:
            outcome = propose_change(
                store, ident, text, caller, rationale=f"proposed by {source}", clock=clock
            )
        except GovernanceError as exc:
            raise GovernedWriteError(
                f"{source}: the change to {ident} could not be proposed; nothing more was written",
                [Problem(source, GOVERNED_RULE, str(exc), node=ident)],
            ) from exc
        assert outcome.proposal is not None  # propose_change always makes one
        return outcome.proposal.id

    return propose


def _text(change: ProposedText) -> ConceptText:
    texts = change.texts
    return ConceptText(
        pref_labels=dict(texts.get(SKOS.prefLabel, {})),
        definitions=dict(texts.get(SKOS.definition, {})),
        scope_notes=dict(texts.get(SKOS.scopeNote, {})),
    )
