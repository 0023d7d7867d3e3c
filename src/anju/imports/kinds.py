"""The kinds of record a spreadsheet can bring, by the name the command line and the page use."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from anju.core.tabular import TabularError
from anju.imports.clients import ClientImport, FollowUpImport
from anju.imports.communities import ALIAS, CREATE, REPORT, CommunityImport
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


def kind_options(kind: str, options: dict[str, Any]) -> dict[str, Any]:
    """The options ``kind`` takes, as an import job keeps them (the others are dropped)."""
    if kind == ListingImport.kind:
        return {"create_communities": bool(options.get("create_communities"))}
    if kind == CommunityImport.kind:
        return {"similar": options.get("similar") or REPORT}
    return {}


def import_handler(kind: str, options: dict[str, Any] | None = None) -> type[RowImport[Any]]:
    """The handler class for ``kind`` with the options of the command line and the page:
    ``create_communities`` (listings: create the communities the dictionary lacks) and ``similar``
    (communities: ``report``, ``alias`` or ``create`` a row like another community)."""
    handler_class = import_kind(kind)
    options = options or {}
    if issubclass(handler_class, ListingImport):
        return handler_class.with_options(create_communities=bool(options.get("create_communities")))
    if issubclass(handler_class, CommunityImport):
        similar = options.get("similar") or REPORT
        if similar not in (REPORT, ALIAS, CREATE):
            raise TabularError(_("“相似时”的选项“%(value)s”不认识。") % {"value": similar})
        return handler_class.with_options(on_similar=similar)
    return handler_class
