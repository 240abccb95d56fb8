"""What every GraphQL resolver gets: the store, and one set of DataLoaders per request.

The command line asks the schema in-process with a :class:`Context` of its
own, so this module must not import FastAPI: the HTTP app's context, which
strawberry's FastAPI router fills with the request, is
:class:`journeykg.api.app.HttpContext`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from rdflib import URIRef
from strawberry.dataloader import DataLoader

from journeykg.access.roles import ANONYMOUS, Permission, Principal
from journeykg.api.answer_cache import AnswerCache
from journeykg.api.errors import store_call
from journeykg.graph.edges import follow
from journeykg.graph.elements import refs
from journeykg.graph.model import ElementRef
from journeykg.graph.store import Store
from journeykg.namespaces import JKG
from journeykg.services.governance import service
from journeykg.services.governance.service import ConceptHistory
from journeykg.services.governance.workflow import Clock, system_clock
from journeykg.web.kept_per_generation import UpdatedPicture


def _linked_loader(store: Store, predicate: URIRef) -> DataLoader[str, list[ElementRef]]:
    """Batches "elements linked from X by ``predicate``" for many X into two store calls."""

    async def load(iris: list[str]) -> list[list[ElementRef]]:
        def fetch() -> list[list[ElementRef]]:
            edges = follow(store, predicate, [URIRef(i) for i in iris])
            found = refs(store, {target for _, target in edges})
            linked: dict[str, list[ElementRef]] = {i: [] for i in iris}
            for source, target in sorted(edges):
                if target in found:
                    linked[str(source)].append(found[target])
            return [linked[i] for i in iris]

        return await asyncio.to_thread(fetch)

    return DataLoader(load_fn=load)


def _history_loader(store: Store) -> DataLoader[str, ConceptHistory]:
    """A concept's history read once per request, however many of its fields are asked."""

    async def load(idents: list[str]) -> list[ConceptHistory]:
        def fetch() -> list[ConceptHistory]:
            return [service.history(store, ident) for ident in idents]

        return await store_call(fetch)

    return DataLoader(load_fn=load)


@dataclass
class Context:
    """Per-request context: DataLoaders cache per request, so answers never go stale."""

    store: Store
    principal: Principal = ANONYMOUS
    """Who the request acts for (from its token); resolvers check permissions on it."""
    clock: Clock = system_clock
    """The governance workflow's clock (injectable so that tests are reproducible)."""
    operator: bool = False
    """The server's own command line asks: it sees internal details in errors, as an admin does."""
    answers: AnswerCache | None = None
    """The server's answers kept per graph generation (api/cached_answers.py); None keeps none."""
    picture: UpdatedPicture | None = None
    """The lifecycle picture the server keeps and updates after each write
    (graph/lifecycle_kept.py): ``priorities`` ranks its journeys' figures instead of
    computing every journey's again. None: computed (the CLI's own queries)."""
    owned_by: DataLoader[str, list[ElementRef]] = field(init=False)
    concept_history: DataLoader[str, ConceptHistory] = field(init=False)

    @property
    def role(self) -> str | None:
        """The caller's role name, as the governance workflow records it."""
        return self.principal.role.value if self.principal.role else None

    @property
    def sees_internals(self) -> bool:
        """Whether errors may show internal details (a driver's message, a path, a URI)."""
        return self.operator or self.principal.may(Permission.ADMINISTER)

    def __post_init__(self) -> None:
        # Cooperative: in HttpContext the next class is strawberry's BaseContext,
        # whose __init__ makes room for the request the router hands over.
        super().__init__()
        self.owned_by = _linked_loader(self.store, JKG.ownedBy)
        self.concept_history = _history_loader(self.store)
