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

