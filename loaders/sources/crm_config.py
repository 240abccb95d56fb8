"""The ``crm`` section every CRM kind shares: how cases become contact volumes.

A recipe maps the CRM's own values to the lifecycle framework here (``reasons``,
``channels``) and says which cases are complaints, escalations and resolved on first
contact. docs/sync-recipes.md documents each key.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from journeykg.loaders.recipe_model import ModelKey, Period, StrictConfig, ValueRule, check_zone


class FirstContactResolution(StrictConfig):
    """When a case counts as resolved on first contact (see docs/sync-recipes.md).

    - ``closed-same-day``: closed (per ``closed``) on the calendar day it was created, in the
      recipe's time zone;
    - ``closed-within``: closed within ``within_hours`` of its creation;
    - ``field``: the CRM says so itself (``flag``, e.g. a custom ``FCR__c`` checkbox).

    For the first two, an escalated case (per ``crm.escalation``) and a reopened case (per
    ``reopened``) never count. The rate is resolved cases / all cases of the aggregate.
    """

    rule: Literal["closed-same-day", "closed-within", "field"]
    closed: ValueRule | None = None
    within_hours: float | None = Field(default=None, gt=0)
    reopened: ValueRule | None = None
    flag: ValueRule | None = None

    @field_validator("closed", "reopened", "flag")
    @classmethod
    def _yes_no(cls, rule: ValueRule | None) -> ValueRule | None:
        return rule.as_typed() if rule is not None else None

    @model_validator(mode="after")
    def _complete(self) -> FirstContactResolution:
        if self.rule in ("closed-same-day", "closed-within") and self.closed is None:
            raise ValueError(f"rule {self.rule!r} needs 'closed' (the statuses that mean closed)")
        if self.rule == "closed-within" and self.within_hours is None:
            raise ValueError("rule 'closed-within' needs 'within_hours'")
        if self.rule == "field" and self.flag is None:
            raise ValueError("rule 'field' needs 'flag' (the field and values that mean resolved)")
        return self


class CrmFields(StrictConfig):
    """Which payload fields hold the case's id and timestamps (each vendor has defaults)."""

    id: str | None = None
    created: str | None = None
    modified: str | None = None
    closed: str | None = None


class CrmConfig(StrictConfig):
    """How CRM cases become contact volumes: reason x channel x period aggregates."""

    reason_field: str | None = None
    """Field holding the CRM's reason (default: the vendor's, e.g. Salesforce Reason,
    HubSpot hs_ticket_category, Dynamics _subjectid_value)."""
    channel_field: str | None = None
    """Field holding the channel (default: the vendor's, e.g. Origin, source_type,
    caseorigincode)."""
    reasons: dict[str, ModelKey] = Field(min_length=1)
    """CRM value -> contact reason key (``reason/nummer-meenemen``) or IRI."""
    channels: dict[str, ModelKey] = Field(min_length=1)
    """CRM value -> channel key (``channel/telefoon``) or IRI."""
    complaint: ValueRule | None = None
    """When a case is a complaint (e.g. Type = Complaint). Without it no complaints are stated."""
    escalation: ValueRule | None = None
    """When a case is escalated (e.g. IsEscalated = true). Without it none are stated."""
    first_contact_resolution: FirstContactResolution | None = None
    exclude: list[ValueRule] = Field(default_factory=list)
    """Cases to leave out (spam, test cases); counted as excluded in the report."""
    fields: CrmFields = Field(default_factory=CrmFields)
    period: Period = "month"
    timezone: str = "UTC"
    """Time zone in which a case's creation falls in a period (and in a day, for FCR)."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return check_zone(value)

    @field_validator("complaint", "escalation")
    @classmethod
    def _yes_no(cls, rule: ValueRule | None) -> ValueRule | None:
        # yes/no and number fields are read in one spelling (crm_cases.CaseBuilder)
        return rule.as_typed() if rule is not None else None

    @field_validator("exclude")
    @classmethod
    def _yes_no_all(cls, rules: list[ValueRule]) -> list[ValueRule]:
        return [rule.as_typed() for rule in rules]

    def value_rules(self) -> list[ValueRule]:
        """Every rule of the section that matches a field's value."""
        fcr = self.first_contact_resolution
        found = [self.complaint, self.escalation, *self.exclude]
        if fcr is not None:
            found += [fcr.closed, fcr.reopened, fcr.flag]
        return [rule for rule in found if rule is not None]

    def named_fields(self) -> list[tuple[str, str]]:
        """(key path, field name) of every payload field this config names."""
        named: list[tuple[str, str]] = []
        for key in ("reason_field", "channel_field"):
            value = getattr(self, key)
            if value:
                named.append((key, value))
        for key in ("complaint", "escalation"):
            rule = getattr(self, key)
            if rule is not None:
                named.append((f"{key}.field", rule.field))
        fcr = self.first_contact_resolution
        if fcr is not None:
            for key in ("closed", "reopened", "flag"):
                rule = getattr(fcr, key)
                if rule is not None:
                    named.append((f"first_contact_resolution.{key}.field", rule.field))
        for i, rule in enumerate(self.exclude):
            named.append((f"exclude.{i}.field", rule.field))
        for key in ("id", "created", "modified", "closed"):
            value = getattr(self.fields, key)
            if value:
                named.append((f"fields.{key}", value))
        return named
