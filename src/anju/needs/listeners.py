"""What needs do when other parts announce (imported by ``NeedsConfig.ready``)."""

from __future__ import annotations

from anju.clients.announcements import ClientsMerged
from anju.core.announcements import listen
from anju.needs.services import needs_follow_merge

listen(ClientsMerged)(needs_follow_merge)
