"""The kinds of record a spreadsheet can bring, by the name the command line and the page use."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from anju.core.tabular import TabularError
from anju.imports.clients import ClientImport, FollowUpImport
from anju.imports.communities import CommunityImport
from anju.imports.framework import RowImport
from anju.imports.listings import ListingImport

IMPORT_KINDS: dict[str, type[RowImport[Any]]] = {
    ClientImport.kind: ClientImport,
    ListingImport.kind: ListingImport,
    CommunityImport.kind: CommunityImport,
    FollowUpImport.kind: FollowUpImport,
}


def import_kind(kind: str) -> type[RowImport[Any]]:
    """The handler class for ``clients``, ``followups``, ``listings`` or ``communities``."""
    handler_class = IMPORT_KINDS.get(kind)
    if handler_class is None:
        raise TabularError(
            _(
                "不支持导入“%(kind)s”，可导入：clients（客户）、followups（跟进记录）、listings（房源）、communities（小区）。"
            )
            % {"kind": kind}
        )
    return handler_class
