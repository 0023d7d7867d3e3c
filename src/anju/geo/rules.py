"""Who may change the building dictionary (django-rules).

Everyone in a company reads its dictionary. Store managers and administrators keep it: they create
and edit communities, aliases, buildings, school assignments and amenities. Agents read only — a
community they miss is added by their manager, so one person per store answers for its quality.
Schools and subway stations are shared by every company in the database: only administrators add
them.
"""

from __future__ import annotations

from typing import Any

import rules

from anju.org.rules import is_admin, is_manager, same_company

keeps_dictionary = is_admin | is_manager

rules.add_perm("geo.view_community", same_company)
rules.add_perm("geo.add_community", keeps_dictionary)
rules.add_perm("geo.change_community", same_company & keeps_dictionary)
rules.add_perm("geo.add_school", is_admin)
rules.add_perm("geo.add_subwaystation", is_admin)


def may_edit_dictionary(user: Any) -> bool:
    return bool(user.has_perm("geo.add_community"))
