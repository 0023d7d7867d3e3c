"""When a complaint's deadlines fall, and when its alarms ring: pure arithmetic over the working-time
calendar (decision 0011), with no ORM, so the tests can walk it across weekends and holidays."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from anju.core.workcalendar import WorkingHours, add_working_time

HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Sla:
    """A company's complaint SLA: working hours to acknowledge and to resolve, by severity."""

    urgent_acknowledge: dt.timedelta = 2 * HOUR
    urgent_resolve: dt.timedelta = 18 * HOUR
    normal_acknowledge: dt.timedelta = 9 * HOUR
    normal_resolve: dt.timedelta = 45 * HOUR
    alert_left_percent: int = 25
    admin_after: dt.timedelta = 4 * HOUR

    def acknowledge(self, severity: str) -> dt.timedelta:
        return self.urgent_acknowledge if severity == "urgent" else self.normal_acknowledge

    def resolve(self, severity: str) -> dt.timedelta:
        return self.urgent_resolve if severity == "urgent" else self.normal_resolve


@dataclass(frozen=True)
class Alarms:
    """The three moments of one deadline: the handler's alert, the manager's and the administrator's
    escalation."""

    alert: dt.datetime
    due: dt.datetime
    admin: dt.datetime


def deadline_alarms(start: dt.datetime, amount: dt.timedelta, sla: Sla, hours: WorkingHours) -> Alarms:
    """A deadline ``amount`` of working time after ``start``; the alert when ``alert_left_percent``
    of that time is left, the administrator's escalation ``admin_after`` working time past it."""
    used_before_alert = amount * (100 - sla.alert_left_percent) / 100
    due = add_working_time(start, amount, hours)
    return Alarms(
        alert=add_working_time(start, used_before_alert, hours),
        due=due,
        admin=add_working_time(due, sla.admin_after, hours),
    )
