"""``demo_generate``: the whole demo agency, reproducible from a seed and today's date.

Every random choice comes from ``random.Random`` streams derived from the seed, one per
phase, so that asking for more clients does not change the listings; every time is counted
back from ``timezone.localdate()``; every id is assigned here. Two runs with the same seed on
an empty database on the same day therefore write identical rows (password hashes aside:
they are salted).
"""

from __future__ import annotations

import math
import random
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import IntegrityError, connection, models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from tqdm import tqdm

from anju.archive.models import Document, Download
from anju.care.models import TierChange, TierFacts, TierPin
from anju.clients.models import (
    Client,
    Consent,
    Interaction,
    KeptRecord,
    OwnershipChange,
    PersonalDataAccess,
    RevealLog,
)
from anju.core.bulk import (
    TableWriter,
    defer_indexes_and_foreign_keys,
    next_id,
    reset_sequences,
    run_statements,
)
from anju.core.errors import ApplicationError, ConflictError
from anju.core.images import thumbnail_name
from anju.core.planner import refresh_statistics, vacuum_after_bulk_load
from anju.core.text import pinyin_initials
from anju.deals.models import Deal, IntentAgreement, Ledger, LedgerEntry, Offer, Receipt, Split
from anju.demo import agency, neighbourhood, photos
from anju.demo.care import demo_care
from anju.demo.client_rows import (
    CLIENT_COLUMNS,
    CONSENT_COLUMNS,
    ClientContext,
    consent_rows,
    generate_clients,
)
from anju.demo.clock import DemoClock
from anju.demo.communities import CommunityPlan, plan_communities
from anju.demo.complaints import demo_complaints, wipe_complaints
from anju.demo.contracts import CONTRACT_PLANS, demo_contracts, wipe_contracts
from anju.demo.deals import PLANS, demo_deals
from anju.demo.documents import demo_documents
from anju.demo.geography import WUHAN, CitySpec
from anju.demo.listing_rows import (
    LISTING_COLUMNS,
    PRICE_CHANGE_COLUMNS,
    PROPERTY_COLUMNS,
    VERIFICATION_COLUMNS,
    CommunityRef,
    FieldAgent,
    ListingContext,
    generate_listings,
    price_change_rows,
    verification_rows,
)
from anju.demo.messaging import demo_messaging
from anju.demo.need_rows import (
    INTERACTION_COLUMNS,
    NEED_COLUMNS,
    NEED_PLACE_COLUMNS,
    ClientFacts,
    NeedContext,
    generate_needs,
)
from anju.demo.outreach import demo_outreach, wipe_outreach
from anju.demo.people import MobileNumbers
from anju.demo.presentation import generate_presentation
from anju.demo.privacy import demo_privacy
from anju.demo.processing import demo_processing
from anju.demo.referrals import demo_referrals, wipe_referrals
from anju.demo.reports import demo_follow_up_discipline
from anju.demo.showings import generate_showings
from anju.geo import distance
from anju.geo.models import (
    Building,
    BusinessArea,
    City,
    Community,
    CommunityStation,
    District,
    School,
    SchoolAssignment,
    SubwayStation,
)
from anju.listings.models import (
    Listing,
    ListingMedia,
    ListingStatus,
    MediaKind,
    PriceChange,
    Property,
    Verification,
)
from anju.market.models import MarketMonth, MarketRefresh
from anju.market.services import market_refresh
from anju.matching.models import Match
from anju.matching.records.recording import matches_record
from anju.matching.search import layout as match_layout
from anju.messaging.models import ChannelWebhook, Message, MessagingSettings
from anju.needs.models import Need
from anju.org.models import Agent, Company, Role, Store
from anju.processing.models import BankPapers, HandoverTemplate, MilestoneTemplate, ProcessingSettings
from anju.showings.models import (
    ListingShare,
    OpenDay,
    OpenDaySignup,
    Showing,
    ShowingConfirmation,
    Stop,
    StopFeedback,
)

DEFAULT_SEED = 2025
DEFAULT_LISTINGS = 5000
DEFAULT_CLIENTS = 3000
# Without --needs, two needs for every three clients: 2,000 for the default 3,000 clients.
NEEDS_PER_CLIENT = 2 / 3
MAX_NEEDS_PER_CLIENT = 2
# The workbench's 新匹配: the matches of the most recently verified listings, recorded as the job
# would have when they were confirmed. Only at agency scale: with a million needs a listing fits
# tens of thousands of them, and the benchmark data has no use for the rows.
MATCHED_LISTINGS = 15
MATCH_RECORDING_MAX_NEEDS = 50_000
BATCH_SIZE = 10_000
# Photos for one listing in five, the newest first, up to a few hundred listings: enough for every
# page that shows them, without filling the disk of a benchmark run of a million listings.
PHOTO_SHARE = 0.2
PHOTO_LISTINGS_MAX = 300

T = TypeVar("T")
M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    name: str
    role: str
    store: str
    password: str


@dataclass
class DemoResult:
    counts: dict[str, int] = field(default_factory=dict)  # what was created, in the order shown
    phase_seconds: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    logins: list[DemoLogin] = field(default_factory=list)


def demo_database_has_data() -> bool:
    """Whether any agency exists: the demo is for an empty database and never adds a second one."""
    return Company.objects.exists()


def demo_logins(companies: int = 1) -> list[DemoLogin]:
    """The demo's accounts, all with the one demo password: the first ``companies`` agencies'."""
    return [
        DemoLogin(
            username=spec.username_prefix + person.username,
            name=person.name,
            role=str(Role(person.role).label),
            store=_store_label(spec, person.store),
            password=agency.DEMO_PASSWORD,
        )
        for spec in agency.COMPANIES[:companies]
        for person in agency.STAFF
    ]


def _store_label(spec: agency.CompanySpec, store: str | None) -> str:
    if store is None:
        return "—"
    # Every demo company has stores of the same names: the login table says whose.
    return store if spec.username_prefix == "" else f"{spec.short_name}·{store}"


def demo_logins_exist() -> bool:
    """Whether the demo agency is there with its accounts (a second ``make run`` shows them again)."""
    usernames = [person.username for person in agency.STAFF]
    return Company.objects.filter(name=agency.COMPANY_NAME).exists() and get_user_model().objects.filter(
        username__in=usernames, agent__company__name=agency.COMPANY_NAME
    ).count() == len(usernames)


def demo_generate(
    *,
    seed: int = DEFAULT_SEED,
    listings: int = DEFAULT_LISTINGS,
    clients: int = DEFAULT_CLIENTS,
    needs: int | None = None,
    companies: int = 1,
    reset: bool = False,
    progress: bool = True,
) -> DemoResult:
    """Create the demo agency. Raises ``ConflictError`` when the database already holds an agency.

    ``companies`` agencies are built one after the other in the same database, each of the sizes
    asked for, the first exactly as a run with one company builds it; the others' random streams
    are their own, so their clients, listings and deals differ.

    With ``reset`` the demo companies (and only they) are deleted first. Everything happens in one
    transaction: an interrupted run leaves nothing behind, so ``--if-empty`` never mistakes
    half a demo for a finished one.
    """
    if not 1 <= companies <= len(agency.COMPANIES):
        raise ApplicationError(
            f"演示公司数须在 1 到 {len(agency.COMPANIES)} 之间。", code="demo_company_count"
        )
    if listings < 0 or clients < 0:
        raise ApplicationError("房源数和客户数不能为负数。", code="demo_negative_count")
    if needs is None:
        needs = round(clients * NEEDS_PER_CLIENT)
    if needs < 0:
        raise ApplicationError("需求数不能为负数。", code="demo_negative_count")
    if needs > MAX_NEEDS_PER_CLIENT * clients:
        raise ApplicationError(
            f"需求数最多为客户数的 {MAX_NEEDS_PER_CLIENT} 倍（{MAX_NEEDS_PER_CLIENT * clients:,}），"
            "请增加 --clients 或减少 --needs。",
            code="demo_too_many_needs",
        )
    started = time.perf_counter()
    # Within a caller's transaction (a test's) PostgreSQL's vacuum cannot follow the demo.
    vacuum_follows = connection.vendor == "postgresql" and not connection.in_atomic_block
    result = DemoResult()
    written: list[str] = []  # photo files: not part of the transaction, removed if it fails
    try:
        with transaction.atomic():
            if reset:
                _wipe_demo_companies()
            if demo_database_has_data():
                raise ConflictError(
                    "数据库中已有公司数据，为避免重复，未生成演示数据。"
                    "只想在空数据库上生成请用 --if-empty；要删除演示公司后重新生成请用 --reset。",
                    code="demo_data_exists",
                )
            specs = agency.COMPANIES[:companies]
            _check_usernames_free(specs)
            if connection.vendor == "postgresql":
                # Check foreign keys per statement: deferred to commit, a million rows of pending
                # checks would pile up in the server's memory.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            clock = DemoClock(timezone.localdate())
            for index, spec in enumerate(specs):
                one = DemoResult()
                builder = _DemoBuilder(
                    seed=seed,
                    clock=clock,
                    result=one,
                    progress=progress,
                    written=written,
                    spec=spec,
                    index=index,
                )
                company = builder.build(listings=listings, clients=clients, needs=needs)
                # The deals' papers (资料归档), once the deals exist; the count shows with the others.
                one.counts["交易资料"] = demo_documents(
                    company_id=company.pk, seed=seed if index == 0 else builder.stream
                )
                _add(result, one)
            if companies > 1:
                result.counts = {"公司": companies, **result.counts}
            result.logins = demo_logins(companies)
            # Every table's statistics, the last phases' too: SQLite has none until they are
            # gathered. On PostgreSQL the vacuum after the commit analyses every table itself.
            if not vacuum_follows:
                refresh_statistics()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    except BaseException:
        storage = ListingMedia._meta.get_field("image").storage
        for name in written:
            storage.delete(name)
        raise
    vacuum_after_bulk_load()
    result.seconds = time.perf_counter() - started
    return result


# Counts of the geography every company shares: the same rows, not added up.
_SHARED_COUNTS = frozenset({"区县", "板块", "地铁站"})


def _add(total: DemoResult, one: DemoResult) -> None:
    """Counts and phase times of several companies, added up."""
    for label, count in one.counts.items():
        total.counts[label] = count if label in _SHARED_COUNTS else total.counts.get(label, 0) + count
    for label, seconds in one.phase_seconds.items():
        total.phase_seconds[label] = total.phase_seconds.get(label, 0.0) + seconds


def _check_usernames_free(specs: Iterable[agency.CompanySpec]) -> None:
    usernames = [spec.username_prefix + person.username for spec in specs for person in agency.STAFF]
    taken = list(
        get_user_model()
        .objects.filter(username__in=usernames)
        .order_by("username")
        .values_list("username", flat=True)
    )
    if taken:
        raise ConflictError(
            f"用户名已被占用：{'、'.join(taken)}，未生成演示数据。", code="demo_username_taken"
        )


def _wipe_demo_companies() -> None:
    """Delete the demo companies and everything the demo created for them; refuse if anything else exists."""
    names = [spec.name for spec in agency.COMPANIES]
    if Company.objects.exclude(name__in=names).exists():
        raise ConflictError(
            f"数据库中有演示公司（{'、'.join(names)}）以外的公司数据，--reset 只删除演示公司，未做任何修改。",
            code="demo_reset_other_data",
        )
    for company in Company.objects.filter(name__in=names).order_by("pk"):
        _wipe_demo_company(company)


def _wipe_demo_company(company: Company) -> None:
    """Delete one demo company and everything the demo created for it."""
    try:
        # The deals' documents (they hold on to their deals) and their download log; their files go once the deletion is committed.
        documents = Document.objects.filter(company=company)
        papers = [(d.file.storage, str(d.file.name)) for d in documents.only("file")]
        transaction.on_commit(lambda: _delete_files(papers))
        Download.objects.filter(document__company=company).delete()
        documents.delete()
        # Complaints point at clients, agents, deals and listings.
        wipe_complaints(company)
        # The deals first: they point at listings and clients. Few rows, so through the ORM.
        wipe_referrals(company)  # the referrals' rewards protect their deals and clients
        wipe_contracts(company)  # the contracts protect their deals
        _wipe_deals(company)
        wipe_outreach(company)
        # The processing templates the demo's deals copied in hold on to the company.
        for settings_model in (MilestoneTemplate, HandoverTemplate, ProcessingSettings, BankPapers):
            settings_model.objects.filter(company=company).delete()
        # Plain DELETEs for the big tables: the ORM would load every row to send delete signals.
        with connection.cursor() as cursor:
            listing = connection.ops.quote_name(Listing._meta.db_table)
            # The photos' files go with their rows, once the deletion is committed.
            photos = [
                (m.image.storage, str(m.image.name))
                for m in ListingMedia.objects.filter(listing__company=company).only("image")
            ]
            transaction.on_commit(lambda: _delete_unused(photos))
            _wipe_presentation(cursor, company)
            _wipe_showings(cursor, company)
            by_listing: list[type[models.Model]] = [Verification, PriceChange, ListingMedia]
            for model in by_listing:
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(
                    f"DELETE FROM {table} WHERE listing_id IN (SELECT id FROM {listing} WHERE company_id = %s)",  # noqa: S608
                    [company.pk],
                )
            need = connection.ops.quote_name(Need._meta.db_table)
            for model in _need_place_models():
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(
                    f"DELETE FROM {table} WHERE need_id IN (SELECT id FROM {need} WHERE company_id = %s)",  # noqa: S608
                    [company.pk],
                )
            client = connection.ops.quote_name(Client._meta.db_table)
            # OwnershipChange: the pool returns of the follow-up discipline phase (reports).
            for model in (
                *(Interaction, Consent, OwnershipChange, TierChange, TierPin, TierFacts),
                *(RevealLog, PersonalDataAccess, KeptRecord),
            ):
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(
                    f"DELETE FROM {table} WHERE client_id IN (SELECT id FROM {client} WHERE company_id = %s)",  # noqa: S608
                    [company.pk],
                )
            community = connection.ops.quote_name(Community._meta.db_table)
            assignment = connection.ops.quote_name(SchoolAssignment._meta.db_table)
            cursor.execute(
                f"DELETE FROM {connection.ops.quote_name(SchoolAssignment.buildings.through._meta.db_table)} "  # noqa: S608
                f"WHERE schoolassignment_id IN (SELECT a.id FROM {assignment} a JOIN {community} c "
                "ON c.id = a.community_id WHERE c.company_id = %s)",
                [company.pk],
            )
            for model in (CommunityStation, SchoolAssignment, Building):
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(
                    f"DELETE FROM {table} WHERE community_id IN (SELECT id FROM {community} WHERE company_id = %s)",  # noqa: S608
                    [company.pk],
                )
            # Matches are derived from the needs and listings: they go with them.
            for model in (
                Message,
                MessagingSettings,
                ChannelWebhook,
                Match,
                MarketMonth,
                MarketRefresh,
                Need,
                Listing,
                Property,
                Client,
                Community,
            ):
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"DELETE FROM {table} WHERE company_id = %s", [company.pk])  # noqa: S608
            if connection.vendor == "sqlite":
                # SQLite's AUTOINCREMENT remembers the highest id ever given: the consents the demo's
                # erasure withdraws through the service would take other ids on the next run.
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [Consent._meta.db_table])
        # The staff's photos go with their rows, once the deletion is committed.
        faces = [
            (a.photo.storage, str(a.photo.name))
            for a in Agent.objects.filter(company=company).exclude(photo="").only("photo")
        ]
        transaction.on_commit(lambda: _delete_unused(faces))
        get_user_model().objects.filter(agent__company=company).delete()
        Store.objects.filter(company=company).delete()
        company.delete()
        # The deletes above wrote history rows of their own; the demo leaves no trace.
        for history in (Listing.history.model, Client.history.model, Agent.history.model, Need.history.model):
            history.objects.filter(company_id=company.pk).delete()
        # Rows of other features (showings, deals…) that still point at the demo data fail here,
        # not at commit, so the refusal can be explained.
        connection.check_constraints()
    except (IntegrityError, ProtectedError, RestrictedError) as exc:
        raise ConflictError(
            "演示公司的数据已被其他业务记录（如带看、交易）引用，无法自动删除。", code="demo_reset_blocked"
        ) from exc


def _delete_files(files: list[tuple[Storage, str]]) -> None:
    for storage, name in files:
        storage.delete(name)


def _wipe_deals(company: Company) -> None:
    deals = Deal.objects.filter(company=company)
    deal_ids = list(deals.values_list("pk", flat=True))
    ledger_ids = list(Ledger.objects.filter(deal_id__in=deal_ids).values_list("pk", flat=True))
    deals.update(accepted_offer=None)
    Offer.objects.filter(deal_id__in=deal_ids).update(answers=None)
    deals.delete()
    # The deletes wrote history rows of their own; the demo leaves no trace.
    Deal.history.model.objects.filter(company_id=company.pk).delete()
    for history in (Split.history.model, Receipt.history.model, IntentAgreement.history.model):
        history.objects.filter(deal_id__in=deal_ids).delete()
    LedgerEntry.history.model.objects.filter(ledger_id__in=ledger_ids).delete()


def _wipe_presentation(cursor: Any, company: Company) -> None:
    """The demo's open days with their sign-ups, and its share links."""
    open_day = connection.ops.quote_name(OpenDay._meta.db_table)
    signup = connection.ops.quote_name(OpenDaySignup._meta.db_table)
    cursor.execute(
        f"DELETE FROM {signup} WHERE open_day_id IN (SELECT id FROM {open_day} WHERE company_id = %s)",  # noqa: S608
        [company.pk],
    )
    for model in (OpenDay, ListingShare):
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.execute(f"DELETE FROM {table} WHERE company_id = %s", [company.pk])  # noqa: S608


def _wipe_showings(cursor: Any, company: Company) -> None:
    """The demo's showings and their signed confirmations (which refuse deletion one by one: a
    signed confirmation is kept for good in real use; the demo company is wiped as a whole)."""
    signatures = [
        (c.signature.storage, str(c.signature.name))
        for c in ShowingConfirmation.objects.filter(company=company).only("signature")
    ]
    transaction.on_commit(lambda: _delete_unused(signatures))
    showing = connection.ops.quote_name(Showing._meta.db_table)
    confirmation = connection.ops.quote_name(ShowingConfirmation._meta.db_table)
    through = connection.ops.quote_name(ShowingConfirmation.listings.through._meta.db_table)
    cursor.execute(
        f"DELETE FROM {through} WHERE showingconfirmation_id IN "  # noqa: S608
        f"(SELECT id FROM {confirmation} WHERE company_id = %s)",
        [company.pk],
    )
    # Corrections point at what they correct: unlink them first, then every row goes at once.
    cursor.execute(f"UPDATE {confirmation} SET supersedes_id = NULL WHERE company_id = %s", [company.pk])  # noqa: S608
    cursor.execute(f"DELETE FROM {confirmation} WHERE company_id = %s", [company.pk])  # noqa: S608
    stop = connection.ops.quote_name(Stop._meta.db_table)
    feedback = connection.ops.quote_name(StopFeedback._meta.db_table)
    cursor.execute(
        f"DELETE FROM {feedback} WHERE stop_id IN (SELECT s.id FROM {stop} s JOIN {showing} w "  # noqa: S608
        "ON w.id = s.showing_id WHERE w.company_id = %s)",
        [company.pk],
    )
    cursor.execute(
        f"DELETE FROM {stop} WHERE showing_id IN (SELECT id FROM {showing} WHERE company_id = %s)",  # noqa: S608
        [company.pk],
    )
    cursor.execute(f"DELETE FROM {showing} WHERE company_id = %s", [company.pk])  # noqa: S608


def _delete_unused(files: list[tuple[Storage, str]]) -> None:
    """Delete the files of removed photos, except those a new demo run wrote again under their name."""
    names = [name for _storage, name in files]
    kept = (
        set(ListingMedia.objects.filter(image__in=names).values_list("image", flat=True))
        | set(ShowingConfirmation.objects.filter(signature__in=names).values_list("signature", flat=True))
        | set(Agent.objects.filter(photo__in=names).values_list("photo", flat=True))
    )
    for storage, name in files:
        # A small copy is made from the file on first request: the new run's file may differ.
        storage.delete(thumbnail_name(name))
        if name not in kept:
            storage.delete(name)


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class _DemoBuilder:
    def __init__(
        self,
        *,
        seed: int,
        clock: DemoClock,
        result: DemoResult,
        progress: bool,
        written: list[str],
        spec: agency.CompanySpec,
        index: int,
    ) -> None:
        self.seed = seed
        self.spec = spec
        # The first company's streams are named as they were before there could be several, so
        # that a seed still builds the same agency; every other company has streams of its own.
        self.stream = f"anju-demo:{seed}" if index == 0 else f"anju-demo:{seed}:company-{index + 1}"
        self.clock = clock
        self.result = result
        self.progress = progress
        self.place_counts: dict[str, int] = {}
        self.written_files = written

    def rng(self, phase: str) -> random.Random:
        # A string seed is hashed with SHA-512: stable across processes, unlike hash().
        return random.Random(f"{self.stream}:{phase}")

    @contextmanager
    def phase(self, label: str, total: int, unit: str) -> Iterator[tqdm]:
        """A named step with its progress bar on stderr; its duration goes into the result."""
        started = time.perf_counter()
        with tqdm(
            total=total,
            desc=label,
            unit=unit,
            unit_scale=total >= 10_000,
            file=sys.stderr,
            disable=not self.progress,
            dynamic_ncols=True,
        ) as bar:
            yield bar
        self.result.phase_seconds[label] = time.perf_counter() - started

    def build(self, *, listings: int, clients: int, needs: int) -> Company:
        area_total = sum(len(d.areas) for d in WUHAN.districts)
        with self.phase("地理", area_total, "个板块") as bar:
            areas = self._geography(WUHAN, bar)
        with self.phase("公司与员工", len(agency.STAFF), "人") as bar:
            company, stores = self._agency()
            agents = self._staff(company, stores)
            bar.update(len(agents))
        community_total = sum(a.communities for d in WUHAN.districts for a in d.areas)
        with self.phase("小区", community_total, "个") as bar:
            communities = self._communities(company, areas)
            bar.update(len(communities))
        # Before the listings' facts are read: the matching layout takes schools and stations in.
        with self.phase("楼栋、学区与地铁", len(communities), "个小区") as bar:
            self._neighbourhood(areas, communities)
            bar.update(len(communities))
        field_agents = [
            [
                FieldAgent(id=a.pk, store_id=store.pk, weight=agency.FIELD_ROLE_WEIGHTS[a.role])
                for a in agents
                if a.store_id == store.pk and a.role in agency.FIELD_ROLE_WEIGHTS
            ]
            for store in stores
        ]
        deferred = defer_indexes_and_foreign_keys(
            [
                *(Property, Listing, Verification, PriceChange, Client, Consent, Need),
                *_need_place_models(),
                Interaction,
            ]
        )
        with self.phase("房源", listings, "套") as bar:
            self._listings(company, communities, field_agents, listings, bar)
        photo_listings = min(PHOTO_LISTINGS_MAX, round(listings * PHOTO_SHARE))
        with self.phase("照片", photo_listings, "套房源") as bar:
            self._photos(company, photo_listings, bar)
        with self.phase("客户", clients, "位") as bar:
            client_facts = self._clients(
                company, [a for per_store in field_agents for a in per_store], clients, bar
            )
        with self.phase("需求", needs, "条") as bar:
            interactions = self._needs(company, areas, communities, field_agents, client_facts, needs, bar)
        # The matching layout is written while its indexes are still deferred, like the tables above.
        with self.phase("匹配表", 1, "次") as bar:
            match_layout.rebuild(company)
            bar.update(1)
        with self.phase("索引与外键", len(deferred), "项") as bar:
            if connection.vendor == "postgresql":
                # Index builds sort in memory up to this limit, and spill to disk beyond it.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            run_statements(deferred, bar.update)
        if connection.vendor == "postgresql":
            # Statistics of the bulk-loaded tables before the phases below query them: without any,
            # PostgreSQL plans a million rows as a few hundred (a campaign's audience took over 20
            # minutes). ANALYZE inside the transaction counts its own uncommitted rows, and what it
            # finds is committed with them, so the first pages after the demo have it too.
            refresh_statistics(
                [Property, Listing, Client, Community, Need, Interaction, *_need_place_models()]
            )
        # Every row so far was written with explicit ids: point PostgreSQL's sequences past them
        # before the phases below create rows through the services (which take the next id).
        reset_sequences([City, District, BusinessArea, Company, Store, get_user_model(), Agent, Community])
        reset_sequences(
            [
                Building,
                School,
                SchoolAssignment,
                SchoolAssignment.buildings.through,
                SubwayStation,
                CommunityStation,
            ]
        )
        reset_sequences(
            [
                *(Property, Listing, Verification, PriceChange, ListingMedia, Client, Consent, Need),
                *_need_place_models(),
                Interaction,
                *match_layout.LAYOUT_MODELS,
            ]
        )
        matched = MATCHED_LISTINGS if needs <= MATCH_RECORDING_MAX_NEEDS else 0
        with self.phase("匹配", matched, "套房源") as bar:
            recent = (
                Listing.objects.filter(company=company, status="active", verified_at__isnull=False)
                .order_by("-verified_at", "-id")
                .values_list("pk", flat=True)
            )
            for listing_id in recent[:matched]:
                matches_record(listing_id=listing_id)
                bar.update(1)
        with self.phase("行情", 1, "次") as bar:
            market_refresh(company=company, today=self.clock.today)
            bar.update(1)
        with self.phase("带看", 1, "次") as bar:
            shown = generate_showings(self.rng("showings"), self.clock, company, self.written_files)
            bar.update(1)
        reset_sequences(
            [Showing, Stop, StopFeedback, ShowingConfirmation, ShowingConfirmation.listings.through]
        )
        with self.phase("开放日与分享", 1, "次") as bar:
            presented = generate_presentation(self.rng("presentation"), self.clock, company)
            bar.update(1)
        with self.phase("交易", len(PLANS), "笔") as bar:
            deals = demo_deals(company=company, today=self.clock.today, rng=self.rng("deals"))
            bar.update(deals)
        with self.phase("合同", len(CONTRACT_PLANS), "份") as bar:
            contracts = demo_contracts(company=company, today=self.clock.today, rng=self.rng("contracts"))
            bar.update(contracts)
        with self.phase("交易办理", 1, "次") as bar:
            self.result.counts.update(demo_processing(company, self.clock, self.rng("processing")))
            bar.update(1)
        with self.phase("跟进纪律", 1, "次") as bar:
            self.result.counts.update(demo_follow_up_discipline(company, self.clock, self.rng("reports")))
            bar.update(1)
        with self.phase("发件箱", 1, "次") as bar:
            self.result.counts.update(demo_messaging(company, self.clock, self.rng("messaging")))
            bar.update(1)
        with self.phase("投诉", 1, "次") as bar:
            self.result.counts.update(demo_complaints(company, self.clock, self.rng("complaints")))
            bar.update(1)
        with self.phase("转介绍", 1, "次") as bar:
            self.result.counts.update(demo_referrals(company))
            bar.update(1)
        with self.phase("客户分级", 1, "次") as bar:
            self.result.counts.update(demo_care(company))
            bar.update(1)
        with self.phase("客户维护：问候、合作商与推送", 1, "次") as bar:
            self.result.counts.update(demo_outreach(company, self.clock, self.rng("outreach")))
            bar.update(1)
        with self.phase("个人信息：导出与删除", 1, "次") as bar:
            self.result.counts.update(demo_privacy(company))
            bar.update(1)
        self.result.counts.update(
            {
                "区县": len(WUHAN.districts),
                "板块": len(areas),
                "门店": len(stores),
                "员工": len(agents),
                "小区": len(communities),
                **self.place_counts,
                "房屋": listings,
                "房源": listings,
                "客户": clients,
                "需求": needs,
                "跟进": interactions,
                "匹配": Match.objects.filter(company=company).count(),
                "带看": shown.showings,
                "带看确认单": shown.signed,
                "开放日": presented.open_days,
                "房源分享": presented.shares,
                "交易": deals + contracts,
                "合同": contracts,
            }
        )
        return company

    # --- shared reference geography: found if present, created with fixed ids if not ---------

    def _reference(self, model: type[M], found_by: dict[str, Any], **values: Any) -> M:
        """A shared reference row (city, district, school, station…) found if present, created if not."""
        row = model._default_manager.filter(**found_by).first()
        if row is None:
            epoch = self.clock.at(0, 0)
            row = model._default_manager.create(
                pk=next_id(model), **found_by, **values, created_at=epoch, updated_at=epoch
            )
        return row

    def _geography(self, spec: CitySpec, bar: tqdm) -> dict[tuple[str, str], BusinessArea]:
        city = self._reference(
            City, {"name": spec.name}, code=spec.code, latitude=spec.latitude, longitude=spec.longitude
        )
        areas: dict[tuple[str, str], BusinessArea] = {}
        for district_spec in spec.districts:
            district = self._reference(
                District,
                {"city": city, "name": district_spec.name},
                code=district_spec.code,
                kind=district_spec.kind,
            )
            for area_spec in district_spec.areas:
                area = self._reference(BusinessArea, {"district": district, "name": area_spec.name})
                areas[(district_spec.name, area_spec.name)] = area
                bar.update()
        return areas

    # --- the agency --------------------------------------------------------------------------

    def _agency(self) -> tuple[Company, list[Store]]:
        founded = self.clock.at(800, 9 * 3600)
        company = Company.objects.create(
            pk=next_id(Company),
            name=self.spec.name,
            short_name=self.spec.short_name,
            city=agency.COMPANY_CITY,
            created_at=founded,
            updated_at=founded,
        )
        first_store = next_id(Store)
        stores = Store.objects.bulk_create(
            Store(
                pk=first_store + i,
                company=company,
                name=spec.name,
                address=spec.address,
                phone=spec.phone,
                # Where the store's showings start: the centre of its 板块, rounded to the column.
                latitude=Decimal(f"{_area_centre(WUHAN, spec.area)[0]:.6f}"),
                longitude=Decimal(f"{_area_centre(WUHAN, spec.area)[1]:.6f}"),
                created_at=founded,
                updated_at=founded,
            )
            for i, spec in enumerate(agency.STORES)
        )
        return company, stores

    def _staff(self, company: Company, stores: list[Store]) -> list[Agent]:
        mobiles = MobileNumbers(f"{self.stream}:staff-mobiles")
        store_by_name = {s.name: s for s in stores}
        # Argon2 is deliberately slow: hash the shared password once for every login.
        password_hash = make_password(agency.DEMO_PASSWORD)
        joined = self.clock.at(800, 10 * 3600)
        user_model = get_user_model()
        first_user, first_agent = next_id(user_model), next_id(Agent)
        users = user_model.objects.bulk_create(
            user_model(
                pk=first_user + i,
                username=self.spec.username_prefix + person.username,
                password=password_hash,
                last_name=person.name[:1],
                first_name=person.name[1:],
                date_joined=joined,
            )
            for i, person in enumerate(agency.STAFF)
        )
        photos_of = self._staff_photos(first_agent)
        # bulk_create sends no post_save: no history rows for demo staff, as for the rest.
        agents = Agent.objects.bulk_create(
            Agent(
                pk=first_agent + i,
                photo=photos_of.get(first_agent + i, ""),
                user=user,
                company=company,
                store=store_by_name[person.store] if person.store else None,
                name=person.name,
                role=person.role,
                mobile=mobiles.number(i),
                created_at=joined,
                updated_at=joined,
            )
            for i, (person, user) in enumerate(zip(agency.STAFF, users, strict=True))
        )
        return agents

    def _staff_photos(self, first_agent: int) -> dict[int, str]:
        """Each agent's photo (but one, so the card page's fallback shows too), stored as an upload
        is; by the id the agent will have."""
        rng = self.rng("staff-photos")
        storage = Agent._meta.get_field("photo").storage
        names = {}
        for i, person in enumerate(agency.STAFF):
            if not person.photo:
                continue
            # Named like an upload (the agent's folder); a fixed name keeps runs identical.
            name = f"agents/{first_agent + i}/demo.jpg"
            if storage.exists(name):  # left by a reset in this transaction, deleted at commit
                storage.delete(name)
            names[first_agent + i] = storage.save(name, ContentFile(photos.draw_portrait(rng, person.name)))
            self.written_files.append(names[first_agent + i])
        return names

    def _communities(
        self, company: Company, areas: dict[tuple[str, str], BusinessArea]
    ) -> list[CommunityRef]:
        plans = plan_communities(self.rng("communities"), WUHAN)
        store_places = [_area_centre(WUHAN, spec.area) for spec in agency.STORES]
        first = next_id(Community)
        rows = []
        for i, plan in enumerate(plans):
            area = areas[(plan.district.name, plan.area.name)]
            entered = self.clock.at(800 - i % 60, 9 * 3600 + i * 60)
            rows.append(
                Community(
                    pk=first + i,
                    company=company,
                    business_area=area,
                    district_id=area.district_id,
                    name=plan.name,
                    # bulk_create skips save(), which is what fills this in for single writes.
                    pinyin_initials=pinyin_initials(plan.name),
                    address=plan.address,
                    latitude=plan.latitude,
                    longitude=plan.longitude,
                    build_year=plan.build_year,
                    property_fee=plan.property_fee,
                    reference_price=plan.reference_price,
                    building_count=plan.building_count,
                    created_at=entered,
                    updated_at=entered,
                )
            )
        Community.objects.bulk_create(rows, batch_size=500)
        return [
            CommunityRef(
                id=row.pk,
                district_id=row.district_id,
                plan=plan,
                nearest_store=_nearest(plan, store_places),
            )
            for row, plan in zip(rows, plans, strict=True)
        ]

    def _neighbourhood(
        self, areas: dict[tuple[str, str], BusinessArea], communities: list[CommunityRef]
    ) -> None:
        """Buildings of every community, the schools that take them, and the stations near them."""
        first_building = next_id(Building)
        building_ids: dict[tuple[int, int], int] = {}
        buildings: list[Building] = []
        for ref in communities:
            plan = ref.plan
            for number in range(1, plan.building_count + 1):
                pk = first_building + len(buildings)
                building_ids[(ref.id, number)] = pk
                buildings.append(
                    Building(
                        pk=pk,
                        community_id=ref.id,
                        name=str(number),  # as the demo's flats name their building
                        total_floors=plan.total_floors,
                        units=plan.units_per_building,
                        has_elevator=plan.has_elevator,
                        build_year=plan.build_year,
                        created_at=self.clock.at(700, 9 * 3600),
                        updated_at=self.clock.at(700, 9 * 3600),
                    )
                )
        Building.objects.bulk_create(buildings, batch_size=1000)
        city = next(iter(areas.values())).district.city
        districts = {d.name: d for d in District.objects.filter(city=city)}
        schools = []
        for spec in neighbourhood.SCHOOLS:
            school = self._reference(
                School,
                {"city": city, "name": spec.name},
                district=districts[spec.district],
                level=spec.level,
                is_key=spec.is_key,
            )
            schools.append(school)
        catchments = neighbourhood.plan_catchments(self.rng("schools"), [c.plan for c in communities])
        first_assignment = next_id(SchoolAssignment)
        year = self.clock.today.year - neighbourhood.CATCHMENT_YEAR_BACK
        SchoolAssignment.objects.bulk_create(
            (
                SchoolAssignment(
                    pk=first_assignment + i,
                    community_id=communities[c.community].id,
                    school=schools[c.school],
                    year=year,
                    note="部分楼栋对口" if c.buildings else "",
                )
                for i, c in enumerate(catchments)
            ),
            batch_size=1000,
        )
        through = SchoolAssignment.buildings.through
        first_link = next_id(through)
        links = [
            (first_assignment + i, building_ids[(communities[c.community].id, number)])
            for i, c in enumerate(catchments)
            for number in c.buildings
        ]
        through.objects.bulk_create(
            (
                through(pk=first_link + i, schoolassignment_id=assignment, building_id=building)
                for i, (assignment, building) in enumerate(links)
            ),
            batch_size=1000,
        )
        by_area = {a.name: a for d in WUHAN.districts for a in d.areas}
        stations = []
        for area_name, line, name, north, east in neighbourhood.STATIONS:
            area = by_area[area_name]
            latitude, longitude = neighbourhood.station_point(area.latitude, area.longitude, north, east)
            station = self._reference(
                SubwayStation,
                {"city": city, "line": line, "name": name},
                latitude=Decimal(latitude),
                longitude=Decimal(longitude),
            )
            stations.append(station)
        places = [
            distance.Place(key=s.pk, point=distance.Point.of(s.latitude, s.longitude)) for s in stations
        ]
        first_near = next_id(CommunityStation)
        near_rows: list[CommunityStation] = []
        for ref in communities:
            origin = distance.Point.of(ref.plan.latitude, ref.plan.longitude)
            for near in sorted(
                distance.within(origin, places, distance.NEARBY_STATION_RADIUS_M),
                key=lambda n: (n.distance_m, n.key),
            ):
                near_rows.append(
                    CommunityStation(
                        pk=first_near + len(near_rows),
                        community_id=ref.id,
                        station_id=near.key,
                        distance_m=near.distance_m,
                    )
                )
        CommunityStation.objects.bulk_create(near_rows, batch_size=1000)
        self.place_counts = {
            "楼栋": len(buildings),
            "学区划片": len(catchments),
            "地铁站": len(stations),
            "近地铁小区": len({r.community_id for r in near_rows}),
        }

    # --- the big tables ----------------------------------------------------------------------

    def _listings(
        self,
        company: Company,
        communities: list[CommunityRef],
        field_agents: list[list[FieldAgent]],
        count: int,
        bar: tqdm,
    ) -> None:
        context = ListingContext(
            company_id=company.pk,
            communities=communities,
            store_agents=field_agents,
            first_property_id=next_id(Property),
            first_listing_id=next_id(Listing),
            clock=self.clock,
        )
        properties = TableWriter(Property, PROPERTY_COLUMNS)
        listings = TableWriter(Listing, LISTING_COLUMNS)
        verifications = TableWriter(Verification, VERIFICATION_COLUMNS)
        next_verification = next_id(Verification)
        price_changes = TableWriter(PriceChange, PRICE_CHANGE_COLUMNS)
        next_price_change = next_id(PriceChange)
        pairs = generate_listings(self.rng("listings"), context, count)
        for batch in _batches(pairs, BATCH_SIZE):
            # Properties first: each listing's foreign key is checked against them.
            properties.write(pair[0] for pair in batch)
            listings.write(pair[1] for pair in batch)
            # A listing shown as verified has the record of who verified it, when and how.
            checks = verification_rows(next_verification, (pair[1] for pair in batch))
            verifications.write(checks)
            next_verification += len(checks)
            cuts = price_change_rows(next_price_change, (pair[1] for pair in batch))
            price_changes.write(cuts)
            next_price_change += len(cuts)
            bar.update(len(batch))

    def _photos(self, company: Company, count: int, bar: tqdm) -> None:
        """Photos and a floor plan for the newest active listings, stored as uploads are."""
        rng = self.rng("photos")
        pictures = photos.draw_pictures(rng)
        rooms = [p for p in pictures if p.kind == MediaKind.PHOTO]
        plans = [p for p in pictures if p.kind == MediaKind.FLOOR_PLAN]
        storage = ListingMedia._meta.get_field("image").storage
        newest = (
            Listing.objects.filter(company=company, status=ListingStatus.ACTIVE)
            .order_by("-listed_on", "-id")
            .values_list("pk", "agent_id", "created_at")[:count]
        )
        rows: list[ListingMedia] = []
        first = next_id(ListingMedia)
        for listing_id, agent_id, created_at in newest:
            chosen = [*rng.sample(rooms, rng.randint(3, 6)), rng.choice(plans)]
            for position, picture in enumerate(chosen):
                # Named like an upload (the listing's folder); fixed names keep runs identical.
                name = f"listings/{listing_id}/demo-{position + 1}.jpg"
                if storage.exists(name):  # left by a reset in this transaction, deleted at commit
                    storage.delete(name)
                name = storage.save(name, ContentFile(picture.data))
                self.written_files.append(name)
                rows.append(
                    ListingMedia(
                        pk=first + len(rows),
                        listing_id=listing_id,
                        kind=picture.kind,
                        image=name,
                        width=photos.SIZE[0],
                        height=photos.SIZE[1],
                        caption=picture.caption,
                        position=position,
                        uploaded_by_id=agent_id,
                        uploaded_at=created_at,
                    )
                )
            bar.update(1)
        ListingMedia.objects.bulk_create(rows, batch_size=1000)
        self.place_counts["房源照片"] = len(rows)

    def _clients(self, company: Company, agents: list[FieldAgent], count: int, bar: tqdm) -> ClientFacts:
        context = ClientContext(
            company_id=company.pk,
            agents=agents,
            first_client_id=next_id(Client),
            mobiles=MobileNumbers(f"{self.stream}:client-mobiles"),
            clock=self.clock,
        )
        facts = ClientFacts(context.first_client_id)
        clients = TableWriter(Client, CLIENT_COLUMNS)
        consents = TableWriter(Consent, CONSENT_COLUMNS)
        next_consent = next_id(Consent)
        consent_rng = self.rng("consents")
        for batch in _batches(generate_clients(self.rng("clients"), context, count), BATCH_SIZE):
            clients.write(batch)
            given = consent_rows(consent_rng, next_consent, batch, agents, self.clock)
            consents.write(given)
            next_consent += len(given)
            for row in batch:
                facts.add(row[_CLIENT_OWNER], row[_CLIENT_CREATED], row[_CLIENT_CONTACTED])
            bar.update(len(batch))
        return facts

    def _needs(
        self,
        company: Company,
        areas: dict[tuple[str, str], BusinessArea],
        communities: list[CommunityRef],
        field_agents: list[list[FieldAgent]],
        clients: ClientFacts,
        count: int,
        bar: tqdm,
    ) -> int:
        """Buy and rent needs with their places and follow-ups; returns how many follow-ups.

        No history rows, as for the other bulk tables: the demo's needs were not edited by anyone.
        """
        place_models = dict(zip(NEED_PLACE_COLUMNS, _need_place_models(), strict=True))
        context = NeedContext(
            company_id=company.pk,
            communities=communities,
            business_area_ids=[areas[(c.plan.district.name, c.plan.area.name)].pk for c in communities],
            store_agents=field_agents,
            clients=clients,
            first_need_id=next_id(Need),
            first_place_ids={name: next_id(model) for name, model in place_models.items()},
            first_interaction_id=next_id(Interaction),
            clock=self.clock,
        )
        needs = TableWriter(Need, NEED_COLUMNS)
        places = {name: TableWriter(model, NEED_PLACE_COLUMNS[name]) for name, model in place_models.items()}
        interactions = TableWriter(Interaction, INTERACTION_COLUMNS)
        written = 0
        for batch in generate_needs(self.rng("needs"), context, count, BATCH_SIZE):
            needs.write(batch.needs)
            for name, rows in batch.places.items():
                places[name].write(rows)
            interactions.write(batch.interactions)
            written += len(batch.interactions)
            bar.update(len(batch.needs))
        return written


_CLIENT_OWNER, _CLIENT_CREATED, _CLIENT_CONTACTED = (
    CLIENT_COLUMNS.index(c) for c in ("owner_id", "created_at", "last_contact_at")
)


def _need_place_models() -> list[type[models.Model]]:
    """The tables behind a need's districts, 板块 and communities, in ``NEED_PLACE_COLUMNS`` order."""
    return [Need.districts.through, Need.business_areas.through, Need.communities.through]


def _area_centre(city: CitySpec, area_name: str) -> tuple[float, float]:
    for district in city.districts:
        for area in district.areas:
            if area.name == area_name:
                return area.latitude, area.longitude
    raise LookupError(area_name)


def _nearest(plan: CommunityPlan, places: list[tuple[float, float]]) -> int:
    def distance(place: tuple[float, float]) -> float:
        return math.hypot(place[0] - plan.area.latitude, place[1] - plan.area.longitude)

    return min(range(len(places)), key=lambda i: distance(places[i]))


__all__ = [
    "DEFAULT_CLIENTS",
    "DEFAULT_LISTINGS",
    "DEFAULT_SEED",
    "DemoLogin",
    "DemoResult",
    "demo_database_has_data",
    "demo_generate",
    "demo_logins",
    "demo_logins_exist",
]
