"""Object permissions for listings (django-rules): one definition for pages, API and templates.

- Read: everyone in the company (房源共享, decision 0001).
- Write (edit, reprice, change status, remove photos): the listing's agent, the managers of the
  listing's store, and administrators. A colleague may show the flat but not change its terms.
- Verify (真房源核实) and add photos (实勘): any agent of the company. Verification is done by
  whoever visits or calls the owner, often not the listing agent; every verification and upload
  records who did it.
- Remove a photo: whoever may write the listing, and the person who uploaded it.
"""

from __future__ import annotations

from typing import Any

import rules

from anju.org.models import Role
from anju.org.rules import has_agent


@rules.predicate
def in_listing_company(user: Any, listing: Any) -> bool:
    return listing is not None and has_agent(user) and listing.company_id == user.agent.company_id


@rules.predicate
def writes_listing(user: Any, listing: Any) -> bool:
    if not in_listing_company(user, listing):
        return False
    agent = user.agent
    if agent.role == Role.ADMIN or listing.agent_id == agent.pk:
        return True
    return agent.role == Role.MANAGER and agent.store_id is not None and listing.store_id == agent.store_id


@rules.predicate
def removes_media(user: Any, media: Any) -> bool:
    if media is None or not has_agent(user):
        return False
    return media.uploaded_by_id == user.agent.pk or writes_listing(user, media.listing)


rules.add_perm("listings.add_listing", has_agent)
rules.add_perm("listings.view_listing", in_listing_company)
rules.add_perm("listings.change_listing", writes_listing)
rules.add_perm("listings.verify_listing", in_listing_company)
rules.add_perm("listings.add_listingmedia", in_listing_company)
rules.add_perm("listings.delete_listingmedia", removes_media)
