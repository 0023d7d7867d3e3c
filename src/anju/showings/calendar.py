"""The showing as a calendar invitation (.ics): one VEVENT per stop, times in Asia/Shanghai."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from anju.showings.models import Showing, ShowingStatus
from anju.showings.services import listing_label

SHANGHAI = ZoneInfo("Asia/Shanghai")


def showing_ics(showing: Showing) -> bytes:
    """The invitation for the client's and the agent's calendars; a cancelled showing's events say so."""
    calendar = Calendar()
    calendar.add("prodid", "-//Anju//showings//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if showing.status == ShowingStatus.CANCELLED else "PUBLISH")
    host = getattr(settings, "ANJU_CALENDAR_DOMAIN", "anju.local")
    stamp = timezone.now()
    for stop in showing.stops.all():
        listing = stop.listing
        event = Event()
        event.add("uid", f"showing-{showing.pk}-stop-{stop.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", stop.arrive_at.astimezone(SHANGHAI))
        event.add("dtend", stop.leave_at.astimezone(SHANGHAI))
        event.add(
            "summary",
            _("带看 %(order)s/%(count)s：%(listing)s")
            % {"order": stop.order, "count": len(showing.stops.all()), "listing": listing_label(listing)},
        )
        event.add("location", f"{listing.district.name} {listing.community.name}")
        event.add("geo", (float(listing.community.latitude), float(listing.community.longitude)))
        event.add(
            "description",
            _("客户：%(client)s；经纪人：%(agent)s %(mobile)s")
            % {"client": showing.client.name, "agent": showing.agent.name, "mobile": showing.agent.mobile},
        )
        event.add("status", "CANCELLED" if showing.status == ShowingStatus.CANCELLED else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
