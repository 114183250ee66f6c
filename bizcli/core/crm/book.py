"""Everything the CRM files hold, loaded: settings, leads, deals, activities, tickets."""

from __future__ import annotations

from dataclasses import dataclass, field

from bizcli.core.crm.activities import Activity, Ticket
from bizcli.core.crm.deals import CrmSettings, Deal, Lead


@dataclass(frozen=True, slots=True, kw_only=True)
class Crm:
    """The CRM's records; ``deals`` and ``leads`` in file order."""

    settings: CrmSettings = field(default_factory=CrmSettings)
    leads: tuple[Lead, ...] = ()
    deals: tuple[Deal, ...] = ()
    activities: tuple[Activity, ...] = ()
    tickets: tuple[Ticket, ...] = ()

    def deal(self, number: str) -> Deal | None:
        """The deal with this number, if any."""
        return next((d for d in self.deals if d.number == number), None)

    def lead(self, number: str) -> Lead | None:
        """The lead with this number, if any."""
        return next((lead for lead in self.leads if lead.number == number), None)
