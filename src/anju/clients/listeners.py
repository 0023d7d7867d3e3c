"""What clients do when other parts announce (imported by ``ClientsConfig.ready``)."""

from __future__ import annotations

from anju.clients.announcements import ClientsMerged
from anju.clients.need_services import needs_follow_merge
from anju.core.announcements import listen

listen(ClientsMerged)(needs_follow_merge)
