"""Deals (交易): a listing, its seller, a buyer or tenant, the agents and their split, the offers
(价格斡旋), the intent agreement with its earnest money, and the deal's money ledger.

A deal moves through its stages only by ``services.deal_move`` (the allowed moves are in
``stages.py``); every move is a ``StageChange`` row. The ledger exists from the deal's creation so
that earnest money and, later, escrowed funds are entries of one book per deal.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anju.core.models import BaseModel, CompanyScopedModel


class DealKind(models.TextChoices):
    SALE = "sale", _("买卖")
    LEASE = "lease", _("租赁")


class DealStage(models.TextChoices):
    NEGOTIATING = "negotiating", _("洽谈中")
    INTENT = "intent", _("已签意向")
    CONTRACT = "contract", _("已签合同")
    PROCESSING = "processing", _("办理中")  # the processing stages after the contract
    CLOSED = "closed", _("已结案")
    CANCELLED = "cancelled", _("已取消")


class Payer(models.TextChoices):
    BUYER = "buyer", _("买方")
    SELLER = "seller", _("卖方")
    SPLIT = "split", _("双方各半")


class Deal(CompanyScopedModel):
    """One transaction of one listing with one buyer (or tenant)."""

    number = models.CharField(_("交易编号"), max_length=24, blank=True, db_index=True)
    kind = models.CharField(_("类型"), max_length=10, choices=DealKind.choices)
    stage = models.CharField(
        _("阶段"), max_length=20, choices=DealStage.choices, default=DealStage.NEGOTIATING
    )
    listing = models.ForeignKey(
        "listings.Listing", on_delete=models.PROTECT, related_name="deals", verbose_name=_("房源")
    )
    seller = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deals_as_seller",
        verbose_name=_("业主（出租方）"),
    )
    buyer = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        related_name="deals_as_buyer",
        verbose_name=_("买方（承租方）"),
    )
    need = models.ForeignKey(
        "needs.Need",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deals",
        verbose_name=_("需求"),
    )
    agent = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="deals", verbose_name=_("负责经纪人")
    )
    store = models.ForeignKey(
        "org.Store", on_delete=models.PROTECT, related_name="deals", verbose_name=_("门店")
    )
    # The agreed price: the accepted offer's price (sale: yuan; lease: monthly rent in yuan), and
    # later the contract price.
    price = models.DecimalField(_("成交价（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    accepted_offer = models.ForeignKey(
        "deals.Offer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("已接受的报价"),
    )
    # The deal's own commission terms; empty means the company's (the finance rule book's default).
    commission_rate = models.DecimalField(
        _("佣金费率"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    commission_payer = models.CharField(
        _("佣金支付方"), max_length=10, choices=Payer.choices, blank=True, default=""
    )
    # Leases (租赁): deposit and payment months (押几付几), term.
    deposit_months = models.PositiveSmallIntegerField(_("押（月）"), null=True, blank=True)
    pay_months = models.PositiveSmallIntegerField(_("付（月）"), null=True, blank=True)
    term_months = models.PositiveSmallIntegerField(_("租期（月）"), null=True, blank=True)
    # The sum of the split's percents, kept by ``deal_set_splits`` in the same transaction.
    split_total = models.DecimalField(_("分成合计（%）"), max_digits=5, decimal_places=2, default=100)
    cancel_reason = models.CharField(_("取消原因"), max_length=300, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("交易")
        verbose_name_plural = _("交易")
        constraints = [
            models.CheckConstraint(condition=models.Q(split_total=100), name="deal_split_total_100"),
            models.CheckConstraint(
                condition=models.Q(price__isnull=True) | models.Q(price__gt=0), name="deal_price_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(stage="cancelled") | ~models.Q(cancel_reason=""),
                name="deal_cancel_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "stage", "-created_at"], name="deal_company_stage"),
            models.Index(fields=["listing", "stage"], name="deal_listing_stage"),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


class StageChange(models.Model):
    """One move of a deal between stages: who moved it and when (the deal's history)."""

    deal = models.ForeignKey(
        Deal, on_delete=models.CASCADE, related_name="stage_changes", verbose_name=_("交易")
    )
    from_stage = models.CharField(_("原阶段"), max_length=20, choices=DealStage.choices, blank=True)
    to_stage = models.CharField(_("新阶段"), max_length=20, choices=DealStage.choices)
    by = models.ForeignKey("org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    reason = models.CharField(_("原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("交易阶段变更")
        verbose_name_plural = _("交易阶段变更")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.deal_id}: {self.from_stage} → {self.to_stage}"


class SplitRole(models.TextChoices):
    """The cooperation model's roles (合作分佣): listing side, client side, services."""

    ENTRY = "entry", _("录入")
    MAINTAIN = "maintain", _("维护")
    SURVEY = "survey", _("实勘")
    MANDATE = "mandate", _("委托备件")
    KEYS = "keys", _("钥匙")
    REFERRAL = "referral", _("客源推荐")
    FIRST_SHOWING = "first_showing", _("首看")
    CLOSING = "closing", _("成交")
    TRANSACTION = "transaction", _("交易服务")
    FINANCE = "finance", _("金融服务")


class RoleShare(CompanyScopedModel):
    """A company's default share of the commission for a role (公司设置: 分佣比例)."""

    role = models.CharField(_("角色"), max_length=20, choices=SplitRole.choices)
    percent = models.DecimalField(_("比例（%）"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("默认分佣比例")
        verbose_name_plural = _("默认分佣比例")
        constraints = [
            models.UniqueConstraint(fields=["company", "role"], name="roleshare_one_per_role"),
            models.CheckConstraint(
                condition=models.Q(percent__gte=0) & models.Q(percent__lte=100),
                name="roleshare_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.percent}%"


class Split(models.Model):
    """An agent's share of the deal's commission for one role."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="splits", verbose_name=_("交易"))
    agent = models.ForeignKey(
        "org.Agent", on_delete=models.PROTECT, related_name="deal_splits", verbose_name=_("经纪人")
    )
    role = models.CharField(_("角色"), max_length=20, choices=SplitRole.choices)
    percent = models.DecimalField(_("比例（%）"), max_digits=5, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("分佣")
        verbose_name_plural = _("分佣")
        constraints = [
            models.UniqueConstraint(fields=["deal", "role", "agent"], name="split_one_per_agent_role"),
            models.CheckConstraint(
                condition=models.Q(percent__gt=0) & models.Q(percent__lte=100), name="split_percent_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.get_role_display()} {self.percent}%"


class Side(models.TextChoices):
    BUYER = "buyer", _("买方")
    SELLER = "seller", _("卖方")


class Payment(models.TextChoices):
    FULL = "full", _("全款")
    COMMERCIAL = "commercial", _("商贷")
    PROVIDENT = "provident", _("公积金")
    COMBINATION = "combination", _("组合贷")


class TaxesBy(models.TextChoices):
    STATUTORY = "statutory", _("按规定各自承担")
    BUYER = "buyer", _("买方承担全部税费")
    SELLER = "seller", _("卖方承担全部税费")


class Offer(models.Model):
    """An offer or counter-offer (报价/还价); each answers the one before it."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="offers", verbose_name=_("交易"))
    side = models.CharField(_("报价方"), max_length=10, choices=Side.choices)
    answers = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("回应的报价"),
    )
    price = models.DecimalField(_("价格（元）"), max_digits=14, decimal_places=2)
    payment = models.CharField(_("付款方式"), max_length=12, choices=Payment.choices, blank=True, default="")
    deposit = models.DecimalField(_("定金（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    handover_on = models.DateField(_("交房日期"), null=True, blank=True)
    taxes_by = models.CharField(
        _("税费承担"), max_length=10, choices=TaxesBy.choices, default=TaxesBy.STATUTORY
    )
    items_included = models.CharField(_("附赠物品"), max_length=300, blank=True)
    terms = models.TextField(_("其他条款"), blank=True)
    # Leases: 押几付几 and the term.
    deposit_months = models.PositiveSmallIntegerField(_("押（月）"), null=True, blank=True)
    pay_months = models.PositiveSmallIntegerField(_("付（月）"), null=True, blank=True)
    term_months = models.PositiveSmallIntegerField(_("租期（月）"), null=True, blank=True)
    expires_at = models.DateTimeField(_("有效期至"), null=True, blank=True)
    by = models.ForeignKey("org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人"))
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    accepted_at = models.DateTimeField(_("接受时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        "org.Agent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("接受人"),
    )

    class Meta:
        verbose_name = _("报价")
        verbose_name_plural = _("报价")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gt=0), name="offer_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()} {self.price}"


class EarnestKind(models.TextChoices):
    INTENT = "intent", _("意向金")
    EARNEST = "earnest", _("定金")


class Holder(models.TextChoices):
    AGENCY = "agency", _("公司账户")
    SUPERVISED = "supervised", _("监管账户")


class BuyerWalks(models.TextChoices):
    REFUND = "refund", _("全额退还")
    FORFEIT = "forfeit", _("不予退还（归卖方）")


class SellerWalks(models.TextChoices):
    REFUND = "refund", _("全额退还买方")
    DOUBLE = "double", _("双倍返还买方")


class IntentAgreement(BaseModel):
    """The intent agreement (认购书/意向金协议): earnest money, who holds it, the deadline to sign."""

    deal = models.OneToOneField(Deal, on_delete=models.CASCADE, related_name="intent", verbose_name=_("交易"))
    kind = models.CharField(_("性质"), max_length=10, choices=EarnestKind.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    holder = models.CharField(_("保管方"), max_length=12, choices=Holder.choices)
    sign_by = models.DateField(_("签约期限"))
    if_buyer_walks = models.CharField(_("买方违约时"), max_length=10, choices=BuyerWalks.choices)
    if_seller_walks = models.CharField(_("卖方违约时"), max_length=10, choices=SellerWalks.choices)
    signed_on = models.DateField(_("签署日期"))
    by = models.ForeignKey("org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人"))
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("意向协议")
        verbose_name_plural = _("意向协议")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="intent_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class Receipt(models.Model):
    """A receipt (收据) given for money received for the deal."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="receipts", verbose_name=_("交易"))
    number = models.CharField(_("收据号"), max_length=40)
    on = models.DateField(_("日期"))
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    by = models.ForeignKey("org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人"))
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("收据")
        verbose_name_plural = _("收据")
        ordering = ["on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["deal", "number"], name="receipt_number_once"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="receipt_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.number


class Ledger(models.Model):
    """The deal's money ledger (资金台账), created with the deal; its row is the lock for balances."""

    deal = models.OneToOneField(Deal, on_delete=models.CASCADE, related_name="ledger", verbose_name=_("交易"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("资金台账")
        verbose_name_plural = _("资金台账")

    def __str__(self) -> str:
        return f"{self.deal_id}"


class EntryKind(models.TextChoices):
    DEPOSIT = "deposit", _("存入")
    RELEASE = "release", _("划转")
    REFUND = "refund", _("退还")
    CONVERT = "convert", _("转为房款")


class EntryPurpose(models.TextChoices):
    EARNEST = "earnest", _("意向金/定金")
    ESCROW = "escrow", _("监管资金")


class LedgerEntry(models.Model):
    """Money in or out of a holder for the deal; ``amount`` is always positive, ``kind`` says which way."""

    ledger = models.ForeignKey(
        Ledger, on_delete=models.CASCADE, related_name="entries", verbose_name=_("台账")
    )
    holder = models.CharField(_("保管方"), max_length=12, choices=Holder.choices)
    kind = models.CharField(_("类型"), max_length=10, choices=EntryKind.choices)
    purpose = models.CharField(
        _("用途"), max_length=10, choices=EntryPurpose.choices, default=EntryPurpose.ESCROW
    )
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    bank = models.CharField(_("银行"), max_length=60, blank=True)
    reference = models.CharField(_("流水号"), max_length=60, blank=True)
    on = models.DateField(_("日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    by = models.ForeignKey("org.Agent", on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人"))
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("资金流水")
        verbose_name_plural = _("资金流水")
        ordering = ["on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="ledger_entry_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


# The contract's tables live in their own module; importing them here registers them with the app.
from anju.deals.contracts.models import (  # noqa: E402, F401
    Amendment,
    Contract,
    ContractPolicy,
    ContractTemplate,
    TitleCheck,
)
