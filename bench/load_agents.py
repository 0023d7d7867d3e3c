"""The simulated agents of ``bench/load.py`` (a Locust file; ``bench/load.py`` runs it headless).

An ``Agent`` signs in once with a demo account (the demo's one password), reads its own clients,
open needs and the listings on sale through the API, then does an agent's day in proportion:
the workbench most, a client looked up by the last four digits of the mobile, the client page, a
follow-up recorded (a form POST with the CSRF token, as htmx sends it), a need's matches, a listing
page with its tax estimate, the calculators, the market page; and the same through the API with the
agent's personal token. A rare task signs in again from a new session. Every page must answer 200
(a redirect to the sign-in page counts as an error).

Set by ``bench/load.py`` through the environment:

- ``ANJU_LOAD_AGENTS``: a JSON file, a list of ``{"username", "password", "token"}``;
- ``ANJU_LOAD_THINK``: ``"5,15"`` (seconds between two actions of one agent, uniform) or ``"0"``;
- ``ANJU_LOAD_REPORT``: where the window's figures are written as JSON;
- ``ANJU_LOAD_DURATION``: seconds to measure once every simulated user has started and finished its
  setup (sign-in, its own data): statistics are reset then, and Locust stops after the duration.

Run by hand: ``locust -f bench/load_agents.py --headless -u 10 -r 5 -t 30s --host http://127.0.0.1:8100``
(with the variables set) and a class named last: ``Agent``; ``WorkbenchAgent``, the workbench alone;
``Probe``, ``/healthz`` only (the server's own ceiling).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import gevent
from gevent.lock import Semaphore
from locust import FastHttpUser, between, constant, events, task
from locust.contrib.fasthttp import FastHttpSession
from locust.env import Environment
from locust.exception import StopUser


def _think() -> Any:
    low, _, high = os.environ.get("ANJU_LOAD_THINK", "5,15").partition(",")
    return between(float(low), float(high or low)) if float(low) > 0 else constant(0)


def _longest_think() -> float:
    return float(os.environ.get("ANJU_LOAD_THINK", "5,15").rpartition(",")[2] or 0)


def _agents() -> list[dict[str, str]]:
    path = os.environ.get("ANJU_LOAD_AGENTS")
    if not path:
        raise SystemExit("ANJU_LOAD_AGENTS: the JSON file of demo accounts and their API tokens")
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


ACCOUNTS = _agents()
_next_account = itertools.cycle(range(len(ACCOUNTS)))
_ready = 0  # users whose setup is done (one process, gevent: no lock needed)
_setup_failures: list[str] = []
SETUP_LIMIT_SECONDS = 600


@events.test_start.add_listener
def _measure_once_all_ready(environment: Environment, **_: Any) -> None:
    duration = float(os.environ.get("ANJU_LOAD_DURATION", "0"))
    if duration > 0:
        gevent.spawn(_measure, environment, duration)


def _measure(environment: Environment, duration: float) -> None:
    """Setup is not the steady state: with slow sign-ins it takes longer than the ramp itself, so the
    window starts a longest think time after the last user is ready, not when the last one was spawned."""
    assert environment.parsed_options is not None and environment.runner is not None
    users = environment.parsed_options.num_users
    deadline = time.monotonic() + SETUP_LIMIT_SECONDS
    while _ready < users and time.monotonic() < deadline:
        gevent.sleep(0.2)
    gevent.sleep(_longest_think())  # every agent has acted once: the steady state
    environment.runner.stats.reset_all()
    gevent.sleep(duration)
    _report(environment)
    environment.runner.quit()


def _report(environment: Environment) -> None:
    """The measured window's figures as JSON at ``ANJU_LOAD_REPORT`` (read by ``bench/load.py``):
    per request name, and the setups that failed (not requests of the window, but errors of the run)."""
    assert environment.runner is not None
    stats = environment.runner.stats

    def figures(entry: Any) -> dict[str, Any]:
        def percentile(share: float) -> float | None:
            return entry.get_response_time_percentile(share) if entry.num_requests else None

        return {
            "requests": entry.num_requests,
            "errors": entry.num_failures,
            "rps": round(entry.total_rps, 2),
            "p50_ms": percentile(0.5),
            "p95_ms": percentile(0.95),
            "p99_ms": percentile(0.99),
            "max_ms": round(entry.max_response_time or 0),
        }

    report = {
        "pages": {entry.name: figures(entry) for entry in stats.entries.values()},
        "total": figures(stats.total),
        "errors": [
            {"name": e.name, "error": str(e.error)[:300], "count": e.occurrences}
            for e in stats.errors.values()
        ],
        "setup_failures": list(_setup_failures),
    }
    path = os.environ.get("ANJU_LOAD_REPORT")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump(report, out, ensure_ascii=False)


def _setup_done() -> None:
    global _ready
    _ready += 1


FOLLOW_UPS = [
    "电话回访，客户近期看房意向不变",
    "微信发了三套新房源，客户说周末看",
    "客户预算上调，约下周带看",
]


@dataclass
class OwnData:
    """What an account works on, read once per account through the API (every simulated user of
    the account shares it): its clients and their mobiles' last four digits, its clients' open
    buy and rent needs, the listings on sale and their districts."""

    clients: list[int]
    tails: list[str]
    needs: list[int]
    listings: list[dict[str, Any]]
    districts: list[int]


_own_data: dict[str, OwnData] = {}
_own_data_locks: dict[str, Semaphore] = {}


class AgentBase(FastHttpUser):
    """An agent signed in, with its own data; the tasks are the subclasses'."""

    abstract = True
    wait_time = _think()

    def on_start(self) -> None:
        self.account = ACCOUNTS[next(_next_account)]
        self.bearer = {"Authorization": f"Bearer {self.account['token']}"}
        try:
            if not self._sign_in(self.client, "setup: sign in"):
                _setup_failures.append(f"{self.account['username']}: sign-in refused")
                raise StopUser()  # signed out, every page would be a redirect: one error, not hundreds
            self.data = self._own_data()
            if not (self.data.clients and self.data.tails and self.data.needs and self.data.listings):
                raise StopUser()
        finally:  # a failed setup shows in the errors; the others still get measured
            _setup_done()
        # An agent's first action comes a think time after setup, as every later one does: without
        # it, the agents whose sign-ins queued behind the others' all act at once when ready.
        gevent.sleep(self.wait_time())

    # --- setup ------------------------------------------------------------------------------

    def _sign_in(self, session: FastHttpSession, name: str) -> bool:
        session.get("/login/", name=f"{name} (form)")
        token = _cookie(session, "csrftoken")
        form = {"csrfmiddlewaretoken": token, "username": self.account["username"]}
        form["password"] = self.account["password"]
        with session.post(
            "/login/",
            name=name,
            data=urlencode(form),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": self.host + "/login/"},
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302 or "/login/" in (answer.headers.get("Location") or ""):
                answer.failure(f"sign-in refused ({answer.status_code})")
                return False
        return True

    def _api_items(self, path: str) -> list[dict[str, Any]]:
        answer = self.client.get(path, name=f"setup: {path.partition('?')[0]}", headers=self.bearer)
        if answer.status_code != 200:
            _setup_failures.append(f"{self.account['username']}: {path} answered {answer.status_code}")
            return []
        return answer.json()["items"]

    def _own_data(self) -> OwnData:
        username = self.account["username"]
        with _own_data_locks.setdefault(username, Semaphore()):
            if username not in _own_data:
                clients = self._api_items("/api/v1/clients?scope=mine&limit=100")
                me = clients[0]["owner_id"] if clients else None
                needs = self._api_items("/api/v1/needs?kind=buy&status=active&limit=100")
                needs += self._api_items("/api/v1/needs?kind=rent&status=active&limit=50")
                own = [n for n in needs if n["agent_id"] == me]
                listings = self._api_items("/api/v1/listings?kind=sale&limit=100")
                data = OwnData(
                    clients=[c["id"] for c in clients],
                    tails=[c["mobile"][-4:] for c in clients if c["mobile"] and not c["mobile_masked"]],
                    needs=[n["id"] for n in (own or needs)],
                    listings=[{k: x[k] for k in ("id", "price", "area")} for x in listings],
                    districts=sorted({x["district_id"] for x in listings}),
                )
                if not (data.clients and data.tails and data.needs and data.listings):
                    _setup_failures.append(f"{username}: no clients, needs or listings to work on")
                    return data  # not kept: the next user of the account asks again
                _own_data[username] = data
            return _own_data[username]

    def _page(self, path: str, name: str, **kwargs: Any) -> None:
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True, **kwargs) as answer:
            if answer.status_code != 200:
                where = answer.headers.get("Location", "") if answer.headers else ""
                answer.failure(f"{answer.status_code} {where}".strip())


class Agent(AgentBase):
    """An agent's day, in proportion."""

    # --- pages ------------------------------------------------------------------------------

    @task(20)
    def workbench(self) -> None:
        self._page("/", "web: workbench")

    @task(10)
    def client_search(self) -> None:
        self._page(
            f"/clients/?{urlencode({'q': random.choice(self.data.tails)})}",
            "web: client search (mobile tail)",
        )

    @task(12)
    def client_page(self) -> None:
        self._page(f"/clients/{random.choice(self.data.clients)}/", "web: client page")

    @task(6)
    def follow_up(self) -> None:
        token = _cookie(self.client, "csrftoken")
        form = {"csrfmiddlewaretoken": token, "kind": "call", "summary": random.choice(FOLLOW_UPS)}
        with self.client.post(
            f"/clients/{random.choice(self.data.clients)}/interactions/",
            name="web: record a follow-up",
            data=urlencode(form),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "HX-Request": "true",
                "X-CSRFToken": token,
                "Referer": self.host + "/clients/",
            },
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 200 or (answer.headers and answer.headers.get("HX-Retarget")):
                answer.failure(f"not recorded ({answer.status_code})")

    @task(6)
    def need_matches(self) -> None:
        self._page(f"/needs/{random.choice(self.data.needs)}/matches/", "web: need's matches")

    @task(8)
    def listing_page(self) -> None:
        listing = random.choice(self.data.listings)
        self._page(f"/listings/{listing['id']}/", "web: listing page (tax estimate)")

    @task(3)
    def calculators(self) -> None:
        listing = random.choice(self.data.listings)
        self._page(f"/calculators/?listing={listing['id']}", "web: calculators")

    @task(3)
    def market(self) -> None:
        self._page("/market/", "web: market")

    @task(1)
    def sign_in_again(self) -> None:
        """An agent on another phone: a new session signs in (Argon2 verifies the password)."""
        session = FastHttpSession(self.host, self.environment.events.request, user=self)
        self._sign_in(session, "web: sign in")

    # --- the API ----------------------------------------------------------------------------

    def _api(self, method: str, path: str, name: str, body: dict[str, Any] | None = None) -> None:
        with self.client.request(
            method, path, name=name, headers=self.bearer, json=body, catch_response=True
        ) as answer:
            if answer.status_code not in (200, 201):
                answer.failure(f"{answer.status_code} {(answer.text or '')[:120]}")

    @task(4)
    def api_due(self) -> None:
        self._api("GET", "/api/v1/clients?scope=mine&follow_up_due=true&limit=20", "api: follow-ups due")

    @task(4)
    def api_client_search(self) -> None:
        self._api(
            "GET", f"/api/v1/clients?q={random.choice(self.data.tails)}", "api: client search (mobile tail)"
        )

    @task(4)
    def api_client(self) -> None:
        self._api("GET", f"/api/v1/clients/{random.choice(self.data.clients)}", "api: client")

    @task(2)
    def api_follow_up(self) -> None:
        body = {
            "client_id": random.choice(self.data.clients),
            "kind": "wechat",
            "summary": random.choice(FOLLOW_UPS),
        }
        self._api("POST", "/api/v1/interactions", "api: record a follow-up", body)

    @task(4)
    def api_need_matches(self) -> None:
        self._api(
            "GET", f"/api/v1/needs/{random.choice(self.data.needs)}/matches?limit=20", "api: need's matches"
        )

    @task(4)
    def api_listing(self) -> None:
        listing = random.choice(self.data.listings)
        self._api("GET", f"/api/v1/listings/{listing['id']}", "api: listing")

    @task(2)
    def api_transaction_costs(self) -> None:
        listing = random.choice(self.data.listings)
        body = {"city": "武汉", "price": listing["price"], "area": listing["area"]}
        self._api("POST", "/api/v1/finance/transaction-costs", "api: transaction costs", body)

    @task(1)
    def api_mortgage(self) -> None:
        principal = str(random.randrange(50, 300) * 10_000)
        body = {"parts": [{"kind": "commercial", "principal": principal, "years": 30, "lpr_spread_bp": -30}]}
        self._api("POST", "/api/v1/finance/mortgage", "api: mortgage", body)

    @task(1)
    def api_market(self) -> None:
        self._api(
            "GET",
            f"/api/v1/market/summary?district={random.choice(self.data.districts)}",
            "api: market summary",
        )


class WorkbenchAgent(AgentBase):
    """The same agent with one page only: the workbench (the saturation level of the workbench alone)."""

    @task
    def workbench(self) -> None:
        self._page("/", "web: workbench")


class Probe(FastHttpUser):
    """``/healthz`` and nothing else: what the server answers when the application does no work."""

    wait_time = constant(0)

    def on_start(self) -> None:
        _setup_done()

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="healthz")


def _cookie(session: FastHttpSession, name: str) -> str:
    return next((c.value or "" for c in session.cookiejar if c.name == name), "")
