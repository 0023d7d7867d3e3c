"""Clients (客户), follow-ups (跟进), consent, ownership history and number reveals (needs live in ``needs``)."""

from __future__ import annotations

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anju.clients.expressions import MobileTail, MonthDay
from anju.core.formats import mask_id_number, mask_mobile
from anju.core.models import CompanyScopedModel


class Source(models.TextChoices):
    STORE_VISIT = "store_visit", _("门店到访")
    PHONE = "phone", _("电话")
    ONLINE = "online", _("网络")
    REFERRAL = "referral", _("转介绍")
    RETURNING = "returning", _("老客户")


class Gender(models.TextChoices):
    UNKNOWN = "", _("未知")
    MALE = "m", _("男")
    FEMALE = "f", _("女")


class Tier(models.TextChoices):
    """A client's tier (客户分级), highest first; written by the care app (``care.scoring``)."""

    A = "A", _("A 类")
    B = "B", _("B 类")
    C = "C", _("C 类")
    D = "D", _("D 类")


class Stage(models.TextChoices):
    """Where a client stands with the agency; written by the care app from the client's deals."""

    PROSPECT = "prospect", _("潜在客户")
    IN_TRANSACTION = "transaction", _("交易中")
    PAST = "past", _("已成交客户")


class Client(CompanyScopedModel):
    """A person the agency serves. Private (私客) to ``owner``, or in the public pool when no owner."""

    name = models.CharField(_("姓名"), max_length=30)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True, default="")
    mobile = models.CharField(_("手机"), max_length=20, help_text=_("11 位中国大陆手机号"))
    email = models.EmailField(_("邮箱"), blank=True, default="")
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices, default=Source.STORE_VISIT)
    owner = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clients",
        verbose_name=_("归属经纪人"),
    )
    store = models.ForeignKey(
        "org.Store",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clients",
        verbose_name=_("归属门店"),
    )
    last_contact_at = models.DateTimeField(_("最近跟进"), null=True, blank=True)
    next_follow_up_on = models.DateField(_("下次跟进"), null=True, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    second_phone = models.CharField(_("备用电话"), max_length=20, blank=True, help_text=_("可填座机"))
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    birthday_calendar = models.CharField(
        _("生日历法"),
        max_length=5,
        choices=[("solar", _("公历")), ("lunar", _("农历"))],
        blank=True,
        default="",
    )
    # Solar birthdays: the date. Lunar birthdays: month, day and leap flag (the year is optional).
    birthday = models.DateField(_("公历生日"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    lunar_birth_month = models.PositiveSmallIntegerField(_("农历生日月"), null=True, blank=True)
    lunar_birth_day = models.PositiveSmallIntegerField(_("农历生日日"), null=True, blank=True)
    lunar_birth_leap = models.BooleanField(_("闰月"), default=False)
    referred_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("介绍人"),
    )
    tags = models.ManyToManyField(
        "clients.ClientTag", blank=True, related_name="clients", verbose_name=_("标签")
    )
    # A merged-away duplicate keeps its row (and history) and points at the client that absorbed it.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("已合并到")
    )
    # Client care (客户维护) writes these four columns (the care app sits above clients, so the client
    # list, the API and the pool-return job read them here without importing it). ``tier_reasons``
    # holds one reason a line, in words ("近30天带看3次").
    tier = models.CharField(_("客户分级"), max_length=1, choices=Tier.choices, blank=True, default="")
    tier_reasons = models.TextField(_("分级依据"), blank=True, default="")
    stage = models.CharField(_("客户阶段"), max_length=12, choices=Stage.choices, default=Stage.PROSPECT)
    # The next contact by the care cadence: the agent's own next follow-up date when set, else the
    # last contact plus the interval of the client's tier and stage.
    next_contact_on = models.DateField(_("下次维护联系"), null=True, blank=True)
    # Set when the client's personal information was erased at their request (个人信息保护法, decision
    # 0024): the row stays for the records a deal must keep, anonymised and out of every list.
    erased_at = models.DateTimeField(_("个人信息删除时间"), null=True, blank=True)
    history = HistoricalRecords(
        excluded_fields=[
            "last_contact_at",
            "next_follow_up_on",
            "updated_at",
            "tier",
            "tier_reasons",
            "stage",
            "next_contact_on",
        ]
    )

    class Meta:
        verbose_name = _("客户")
        verbose_name_plural = _("客户")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "mobile"],
                condition=models.Q(merged_into__isnull=True),
                name="client_unique_mobile_per_company",
            ),
            models.CheckConstraint(
                condition=models.Q(lunar_birth_month__isnull=True)
                | models.Q(lunar_birth_month__gte=1, lunar_birth_month__lte=12),
                name="client_lunar_month_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(lunar_birth_day__isnull=True)
                | models.Q(lunar_birth_day__gte=1, lunar_birth_day__lte=30),
                name="client_lunar_day_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(owner__isnull=True) | models.Q(store__isnull=False),
                name="client_private_has_store",
            ),
        ]
        indexes = [
            # Partial: every list and count of clients leaves the merged-away duplicates out, and an
            # index holding only the others answers a count of a million without reading the rows.
            models.Index(
                fields=["company", "owner", "-created_at", "-id"],
                name="client_owner_recent",
                condition=models.Q(merged_into__isnull=True),
            ),
            models.Index(
                fields=["company", "store", "-created_at", "-id"],
                name="client_store_recent",
                condition=models.Q(merged_into__isnull=True),
            ),
            # The clients taken in a period, per agent (报表), counted from the index alone.
            models.Index(
                fields=["company", "created_at", "owner"],
                name="client_company_taken",
                condition=models.Q(merged_into__isnull=True),
            ),
            models.Index(fields=["company", "owner", "next_contact_on"], name="client_owner_contact"),
            # An agent's follow-ups due and the workbench's counts (an agent's clients, the pool),
            # each counted from the index alone; erased clients are in no list (decision 0024).
            models.Index(
                fields=["company", "owner", "next_follow_up_on"],
                name="client_live_follow_up",
                condition=models.Q(merged_into__isnull=True, erased_at__isnull=True),
            ),
            # The contacts client care's cadence asks of an agent (those without a date of the
            # agent's own), counted from the index alone.
            models.Index(
                fields=["company", "owner", "next_contact_on"],
                name="client_live_cadence",
                condition=models.Q(
                    merged_into__isnull=True, erased_at__isnull=True, next_follow_up_on__isnull=True
                ),
            ),
            # A manager's agents behind on the cadence's contacts (the care section of the workbench):
            # the store's overdue entries grouped by agent, counted from the index alone.
            models.Index(
                fields=["company", "store", "next_contact_on", "owner"],
                name="client_live_store_contact",
                condition=models.Q(merged_into__isnull=True, erased_at__isnull=True, owner__isnull=False),
            ),
            # The workbench's quietest clients: the first few in this order, not a sort of them all.
            models.Index(
                fields=["company", "owner", "last_contact_at", "id"],
                name="client_live_quiet",
                condition=models.Q(merged_into__isnull=True, erased_at__isnull=True),
            ),
            # A search by the last four digits of the mobile: the few with that tail, not a scan.
            # Whole, not partial: PostgreSQL estimates how few they are only from a whole index's
            # statistics, and would otherwise walk the newest clients looking for them.
            models.Index(F("company"), MobileTail("mobile"), name="client_mobile_tail"),
            # Birthdays in the next days (the workbench, the nightly greetings): solar by month and
            # day whatever the year, lunar by the stored lunar month and day.
            models.Index(
                F("company"),
                MonthDay("birthday"),
                name="client_solar_birthday",
                condition=models.Q(birthday__isnull=False),
            ),
            models.Index(
                fields=["company", "lunar_birth_month", "lunar_birth_day"],
                name="client_lunar_birthday",
                condition=models.Q(birthday_calendar="lunar"),
            ),
            models.Index(fields=["company", "tier"], name="client_company_tier"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tier_reason_list(self) -> list[str]:
        return [line for line in self.tier_reasons.splitlines() if line]

    @property
    def in_pool(self) -> bool:
        return self.owner_id is None

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def masked_mobile(self) -> str:
        if self.erased_at is not None:
            return ""
        return mask_mobile(self.mobile)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


class ClientTag(CompanyScopedModel):
    name = models.CharField(_("标签"), max_length=20)

    class Meta:
        verbose_name = _("客户标签")
        verbose_name_plural = _("客户标签")
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="client_tag_unique")]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    SMS = "sms", _("短信")
    WECHAT = "wechat", _("微信")
    PHONE = "phone", _("电话")
    EMAIL = "email", _("邮件")


class Consent(models.Model):
    """Marketing consent for one channel. Rows are never changed: the newest one per channel holds."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="consents", verbose_name=_("客户")
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    granted = models.BooleanField(_("同意"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    how = models.CharField(
        _("方式"), max_length=60, help_text=_("例如：门店书面签字、电话口头同意、微信回复")
    )
    # Empty when the client recorded it themselves (an opt-out link, a "TD" reply).
    recorded_by = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("记录人"),
    )

    class Meta:
        verbose_name = _("营销授权")
        verbose_name_plural = _("营销授权")
        indexes = [models.Index(fields=["client", "channel", "-at"], name="consent_latest")]

    def __str__(self) -> str:
        return f"{self.client} {self.get_channel_display()} {'✓' if self.granted else '✗'}"


class InteractionKind(models.TextChoices):
    CALL = "call", _("电话")
    VISIT = "visit", _("面谈")
    WECHAT = "wechat", _("微信")
    SMS = "sms", _("短信")
    EMAIL = "email", _("邮件")
    SHOWING = "showing", _("带看")
    NOTE = "note", _("备注")


class Interaction(models.Model):
    """A follow-up (跟进记录): what happened with the client, and when to follow up next."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="interactions", verbose_name=_("客户")
    )
    agent = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("经纪人")
    )
    need = models.ForeignKey(
        "needs.Need",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interactions",
        verbose_name=_("需求"),
    )
    kind = models.CharField(_("方式"), max_length=10, choices=InteractionKind.choices)
    summary = models.TextField(_("内容"))
    happened_at = models.DateTimeField(_("时间"), default=timezone.now)
    next_follow_up_on = models.DateField(_("下次跟进"), null=True, blank=True)

    class Meta:
        verbose_name = _("跟进记录")
        verbose_name_plural = _("跟进记录")
        indexes = [models.Index(fields=["client", "-happened_at"], name="interaction_timeline")]

    def __str__(self) -> str:
        return f"{self.client} {self.get_kind_display()}"


class OwnershipReason(models.TextChoices):
    INTAKE = "intake", _("录入")
    CLAIM = "claim", _("认领")
    RELEASE = "release", _("放入公客池")
    AUTO_RETURN = "auto_return", _("超期未跟进回池")
    TRANSFER = "transfer", _("转交")
    MERGE = "merge", _("合并")


class OwnershipChange(models.Model):
    """Every change of a client's owner, kept for good: ownership is what agents compete over."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="ownership_changes", verbose_name=_("客户")
    )
    from_agent = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("原归属"),
    )
    to_agent = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("新归属"),
    )
    reason = models.CharField(_("原因"), max_length=20, choices=OwnershipReason.choices)
    by = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
        help_text=_("为空表示系统自动"),
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("归属变更")
        verbose_name_plural = _("归属变更")
        indexes = [
            models.Index(fields=["client", "-at"], name="ownership_timeline"),
            models.Index(fields=["to_agent", "reason", "at"], name="ownership_claims"),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.get_reason_display()} {self.at:%Y-%m-%d}"


class RevealLog(models.Model):
    """Who saw a client's full number, when and why (a manager reads this)."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="reveals", verbose_name=_("客户")
    )
    viewer = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("查看人")
    )
    field = models.CharField(
        _("内容"),
        max_length=20,
        choices=[("mobile", _("手机")), ("id_number", _("身份证号")), ("second_phone", _("备用电话"))],
    )
    reason = models.CharField(_("原因"), max_length=200)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("号码查看记录")
        verbose_name_plural = _("号码查看记录")
        indexes = [models.Index(fields=["client", "-at"], name="reveal_timeline")]

    def __str__(self) -> str:
        return f"{self.viewer} → {self.client} {self.get_field_display()}"


class AccessKind(models.TextChoices):
    """What a member of staff did with a client's personal data (the audit view's 类型)."""

    REVEAL = "reveal", _("查看号码")
    EXPORT = "export", _("导出个人信息")
    ID_COPY = "id_copy", _("查看身份证复印件")
    ERASURE = "erasure", _("删除个人信息")


class PersonalDataAccess(models.Model):
    """One access by staff to a client's personal data: a reveal, an export, an ID copy opened, an
    erasure. The one log a manager reads under 个人信息访问记录 (decision 0024)."""

    company = models.ForeignKey(
        "org.Company", on_delete=models.PROTECT, related_name="+", verbose_name=_("公司")
    )
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="personal_data_accesses", verbose_name=_("客户")
    )
    agent = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人")
    )
    kind = models.CharField(_("类型"), max_length=10, choices=AccessKind.choices)
    # What was accessed, in words without the personal value itself ("手机", "交易 JY2025-001").
    detail = models.CharField(_("内容"), max_length=200, blank=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("个人信息访问记录")
        verbose_name_plural = _("个人信息访问记录")
        indexes = [
            models.Index(fields=["company", "-at", "-id"], name="pdaccess_company_recent"),
            models.Index(fields=["client", "-at"], name="pdaccess_client_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.get_kind_display()} {self.client_id}"


class KeptRecord(models.Model):
    """A row an erased client's personal data stays in because the law requires the deal to keep it
    (a signed contract, a showing confirmation, an ID copy on a deal), with why and until when. The
    row is kept for storage only; nothing lists, searches, matches or messages from it. After
    ``keep_until`` the owning app disposes of it (``clients.services.kept_records_dispose``) and
    ``disposed_on`` says when."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="kept_records", verbose_name=_("客户")
    )
    model = models.CharField(_("数据表"), max_length=100)  # the model's label, "showings.ShowingConfirmation"
    object_id = models.PositiveBigIntegerField(_("记录编号"))
    what = models.CharField(_("记录"), max_length=200)
    reason = models.CharField(_("保留原因"), max_length=200)
    keep_until = models.DateField(_("保留至"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    # The day the nightly job disposed of the row once its period ended (its personal fields
    # emptied, its files deleted); the record stays as the proof, and says so on the client page.
    disposed_on = models.DateField(_("销毁日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("依法保留的记录")
        verbose_name_plural = _("依法保留的记录")
        constraints = [
            models.UniqueConstraint(fields=["client", "model", "object_id"], name="kept_record_once"),
        ]
        indexes = [models.Index(fields=["model", "object_id"], name="kept_record_row")]

    def __str__(self) -> str:
        return f"{self.model}#{self.object_id}"
