"""Tax, fee and rate rules as dated, sourced data: the TOML files, their checks and the rules in force.

Every policy number lives in a rule file, never in code. A file holds versions of rules
(``[[rules]]``) for one scope: the whole country, or one city (``city = "武汉"`` at the top).
A version is in force from ``effective_from`` to ``effective_to`` (both days included); without
``effective_to`` it stays in force until the next version of the same item in the same scope
begins. For a city, the city's version of an item wins over the national one.

The packaged files (``finance/data/rules``) are read together with the ``*.toml`` files an
administrator puts in ``DATA_DIR/finance-rules``: a rule there with the id of a packaged rule
replaces it, any other extends the set (a new city, a new version). A file that contradicts itself
or the others is refused as a whole with every problem named (file, rule id, what is wrong), and
nothing is calculated until it is fixed: a wrong tax is worse than no tax.

Docs: ``docs/decisions/0007-finance-rules.md``.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from anju.core.errors import ApplicationError
from anju.core.formats import join_list

PACKAGED_DIR = Path(__file__).resolve().parent / "data" / "rules"
OVERLAY_DIRNAME = "finance-rules"
NATIONAL = ""  # the scope of rules that are not a city's

RATE, MONEY, AREA, YEARS, FLAG, DATE = "rate", "money", "area", "years", "flag", "date"
PAYERS = ("buyer", "seller", "split")


@dataclass(frozen=True)
class Param:
    kind: str
    required: bool = True
    choices: tuple[str, ...] = ()


# What each item's parameters are. A rate is a fraction (0.03 is 3%) and must lie in 0..1.
ITEMS: dict[str, tuple[str, dict[str, Param]]] = {
    "deed_tax": (
        "契税",
        {
            "area_threshold": Param(AREA),
            "only_home_small": Param(RATE),
            "only_home_large": Param(RATE),
            "second_home_small": Param(RATE),
            "second_home_large": Param(RATE),
            "third_home": Param(RATE),
            "non_residential": Param(RATE),
            "base_excludes_vat": Param(FLAG),
        },
    ),
    "vat": ("增值税", {"rate": Param(RATE), "exempt_after_years": Param(YEARS)}),
    "vat_surcharges": (
        "增值税附加",
        {
            "urban_city": Param(RATE),
            "urban_county": Param(RATE),
            "urban_other": Param(RATE),
            "education": Param(RATE),
            "local_education": Param(RATE),
        },
    ),
    "vat_surcharges_relief": ("增值税附加减征", {"factor": Param(RATE)}),
    "income_tax": (
        "个人所得税",
        {
            "gain_rate": Param(RATE),
            "assessed_rate": Param(RATE),
            "exempt_after_years": Param(YEARS),
            "method_when_original_known": Param("choice", choices=("gain", "assessed")),
            "base_excludes_vat": Param(FLAG),
        },
    ),
    "registration_fee": ("登记费", {"residential": Param(MONEY), "non_residential": Param(MONEY)}),
    "commission": (
        "经纪服务费",
        {"default_rate": Param(RATE), "default_payer": Param("choice", choices=PAYERS)},
    ),
    "lpr": ("贷款市场报价利率（LPR）", {"one_year": Param(RATE), "five_year": Param(RATE)}),
    "provident_rate": (
        "公积金贷款利率",
        {
            "first_up_to_5y": Param(RATE),
            "first_over_5y": Param(RATE),
            "second_up_to_5y": Param(RATE),
            "second_over_5y": Param(RATE),
        },
    ),
    "down_payment": (
        "最低首付比例",
        {
            "commercial_first": Param(RATE),
            "commercial_second": Param(RATE),
            "provident_first": Param(RATE, required=False),
            "provident_second": Param(RATE, required=False),
        },
    ),
}
RULE_KEYS = {
    "id",
    "name",
    "item",
    "effective_from",
    "effective_to",
    "source",
    "verified",
    "verified_through",
    "unverified",
    "note",
    "params",
}
REQUIRED_RULE_KEYS = ("id", "name", "item", "effective_from", "source", "verified")
FILE_KEYS = {"city", "title", "rules"}


def item_label(item: str) -> str:
    return _(ITEMS[item][0]) if item in ITEMS else item


# --- errors --------------------------------------------------------------------------------


class RuleFileError(ApplicationError):
    """Rule files that cannot be used; ``problems`` names each (file, rule id, what is wrong)."""

    code = "rules_invalid"
    status = 503

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems), extra={"problems": problems})


class UnknownCity(ApplicationError):
    code = "unknown_city"
    status = 400


class NoRuleInForce(ApplicationError):
    code = "no_rule_in_force"
    status = 400


# --- one rule version ----------------------------------------------------------------------


@dataclass(frozen=True)
class RuleRef:
    """A rule as a result cites it: what it is, where it comes from, whether it has been checked."""

    id: str
    name: str
    item: str
    source: str
    effective_from: dt.date
    effective_to: dt.date | None
    verified: bool
    note: str


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    item: str
    city: str  # NATIONAL for national rules
    effective_from: dt.date
    effective_to: dt.date | None  # as written in the file
    source: str
    verified: bool
    file: str
    params: Mapping[str, Any] = field(hash=False)
    unverified: frozenset[str] = frozenset()
    verified_through: dt.date | None = None
    note: str = ""
    ends: dt.date | None = None  # the last day in force: effective_to, or the day before the next version

    @property
    def scope_label(self) -> str:
        return self.city or _("全国")

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.ends is None or day <= self.ends)

    def rate(self, name: str) -> Decimal:
        return Decimal(self.params[name])

    def money(self, name: str) -> Decimal:
        return Decimal(self.params[name])

    def years(self, name: str) -> int:
        return int(self.params[name])

    def text(self, name: str) -> str:
        return str(self.params[name])

    def flag(self, name: str) -> bool:
        return bool(self.params[name])

    def has(self, name: str) -> bool:
        return name in self.params

    def verified_for(self, day: dt.date, used: Iterable[str] = ()) -> bool:
        """Verified as a whole, for the parameters a calculation used, and still on ``day``."""
        if not self.verified or self.unverified.intersection(used):
            return False
        return self.verified_through is None or day <= self.verified_through

    def ref(self, day: dt.date, used: Iterable[str] = ()) -> RuleRef:
        return RuleRef(
            id=self.id,
            name=self.name,
            item=self.item,
            source=self.source,
            effective_from=self.effective_from,
            effective_to=self.ends,
            verified=self.verified_for(day, used),
            note=self.note,
        )


# --- reading and checking files ------------------------------------------------------------


def _where(file: str, rule_id: str | None = None) -> str:
    if rule_id:
        return _("规则文件 %(file)s，规则 %(id)s：") % {"file": file, "id": rule_id}
    return _("规则文件 %(file)s：") % {"file": file}


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | str):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def _param(file: str, rule_id: str, name: str, spec: Param, value: Any, problems: list[str]) -> Any:
    """The checked value, or None with the problem recorded."""
    where = _where(file, rule_id)
    if spec.kind == FLAG:
        if isinstance(value, bool):
            return value
        problems.append(where + _("参数 %(name)s 应为 true 或 false。") % {"name": name})
        return None
    if spec.kind == "choice":
        if isinstance(value, str) and value in spec.choices:
            return value
        problems.append(
            where
            + _("参数 %(name)s=%(value)r 不是可选值（%(choices)s）。")
            % {"name": name, "value": value, "choices": join_list(spec.choices)}
        )
        return None
    if spec.kind == DATE:
        day = _date(value)
        if day is None:
            problems.append(where + _("参数 %(name)s 应为日期，如 2026-01-01。") % {"name": name})
        return day
    number = _decimal(value)
    if number is None:
        problems.append(where + _("参数 %(name)s=%(value)r 不是数字。") % {"name": name, "value": value})
        return None
    if spec.kind == RATE and not (0 <= number <= 1):
        problems.append(
            where
            + _("参数 %(name)s=%(value)s 超出 0～1 的范围（费率写小数，如 3%% 写 0.03）。")
            % {"name": name, "value": value}
        )
        return None
    if spec.kind == YEARS and (number != number.to_integral_value() or not (0 <= number <= 100)):
        problems.append(where + _("参数 %(name)s 应为 0～100 的整数年数。") % {"name": name})
        return None
    if spec.kind == AREA and not (0 < number <= 100000):
        problems.append(where + _("参数 %(name)s 应为大于 0 的面积（㎡）。") % {"name": name})
        return None
    if spec.kind == MONEY and not (0 <= number <= Decimal("1e9")):
        problems.append(where + _("参数 %(name)s 应为不小于 0 的金额（元）。") % {"name": name})
        return None
    return int(number) if spec.kind == YEARS else number


def _rule(file: str, city: str, raw: Any, index: int, problems: list[str]) -> Rule | None:
    if not isinstance(raw, dict):
        problems.append(_where(file) + _("第 %(n)s 条规则不是一个表（[[rules]]）。") % {"n": index})
        return None
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not rule_id.strip():
        problems.append(_where(file) + _("第 %(n)s 条规则缺少 id。") % {"n": index})
        return None
    rule_id = rule_id.strip()
    where = _where(file, rule_id)
    before = len(problems)
    for key in sorted(set(raw) - RULE_KEYS):
        problems.append(
            where
            + _("未知的键 %(key)s（可用：%(keys)s）。") % {"key": key, "keys": join_list(sorted(RULE_KEYS))}
        )
    for key in REQUIRED_RULE_KEYS:
        value = raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            label = {
                "source": _("出处"),
                "name": _("名称"),
                "item": _("项目"),
                "effective_from": _("生效日期"),
            }
            problems.append(
                where + _("缺少 %(key)s（%(label)s）。") % {"key": key, "label": label.get(key, key)}
            )
    item = raw.get("item")
    if item is not None and item not in ITEMS:
        problems.append(
            where
            + _("未知的项目 item=%(item)r（可用：%(items)s）。") % {"item": item, "items": join_list(ITEMS)}
        )
    if not isinstance(raw.get("verified", False), bool):
        problems.append(where + _("verified 应为 true 或 false。"))
    starts = _date(raw.get("effective_from"))
    if raw.get("effective_from") is not None and starts is None:
        problems.append(where + _("生效日期 effective_from 应写成 2026-01-01。"))
    ends = _date(raw.get("effective_to")) if raw.get("effective_to") is not None else None
    if raw.get("effective_to") is not None and ends is None:
        problems.append(where + _("失效日期 effective_to 应写成 2026-12-31。"))
    if starts and ends and ends < starts:
        problems.append(
            where
            + _("失效日期 %(to)s 早于生效日期 %(from)s。")
            % {"to": ends.isoformat(), "from": starts.isoformat()}
        )
    through = None
    if raw.get("verified_through") is not None:
        through = _date(raw.get("verified_through"))
        if through is None:
            problems.append(where + _("verified_through 应写成 2026-07-31。"))
    params: dict[str, Any] = {}
    raw_params = raw.get("params", {})
    if not isinstance(raw_params, dict):
        problems.append(where + _("params 应是一个表（[rules.params]）。"))
        raw_params = {}
    unverified = raw.get("unverified", [])
    if not isinstance(unverified, list) or not all(isinstance(u, str) for u in unverified):
        problems.append(where + _("unverified 应是参数名的列表。"))
        unverified = []
    if item in ITEMS:
        specs = ITEMS[item][1]
        for name in sorted(set(raw_params) - set(specs)):
            problems.append(
                where
                + _("项目 %(item)s 没有参数 %(name)s（可用：%(names)s）。")
                % {"item": item, "name": name, "names": join_list(specs)}
            )
        for name, spec in specs.items():
            if name not in raw_params:
                if spec.required:
                    problems.append(where + _("缺少参数 %(name)s。") % {"name": name})
                continue
            value = _param(file, rule_id, name, spec, raw_params[name], problems)
            if value is not None:
                params[name] = value
        for name in unverified:
            if name not in specs:
                problems.append(where + _("unverified 中的 %(name)s 不是本项目的参数。") % {"name": name})
    if len(problems) > before or starts is None:
        return None
    return Rule(
        id=rule_id,
        name=str(raw["name"]).strip(),
        item=str(item),
        city=city,
        effective_from=starts,
        effective_to=ends,
        source=str(raw["source"]).strip(),
        verified=bool(raw["verified"]),
        file=file,
        params=params,
        unverified=frozenset(unverified),
        verified_through=through,
        note=str(raw.get("note", "")).strip(),
    )


def parse_text(text: str, file: str) -> tuple[list[Rule], list[str]]:
    """The rules of one file and the problems found in it on its own."""
    problems: list[str] = []
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return [], [_where(file) + _("不是有效的 TOML：%(error)s") % {"error": exc}]
    for key in sorted(set(document) - FILE_KEYS):
        problems.append(_where(file) + _("未知的键 %(key)s（可用：city、title、rules）。") % {"key": key})
    city = document.get("city", NATIONAL)
    if not isinstance(city, str):
        problems.append(_where(file) + _("city 应为城市名，如 武汉。"))
        city = NATIONAL
    raw_rules = document.get("rules", [])
    if not isinstance(raw_rules, list):
        return [], [*problems, _where(file) + _("rules 应写成 [[rules]] 表数组。")]
    rules = [r for i, raw in enumerate(raw_rules, 1) if (r := _rule(file, city.strip(), raw, i, problems))]
    seen: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in seen:
            problems.append(_where(file, rule.id) + _("id 重复。"))
        seen[rule.id] = rule
    return rules, problems


def parse_file(path: Path, name: str) -> tuple[list[Rule], list[str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [_where(name) + _("无法读取：%(error)s") % {"error": exc}]
    return parse_text(text, name)


# --- the whole set -------------------------------------------------------------------------


def _with_ends(rules: list[Rule], problems: list[str]) -> list[Rule]:
    """Each version's last day; versions of one item in one scope that overlap are problems."""
    by_scope: dict[tuple[str, str], list[Rule]] = {}
    for rule in rules:
        by_scope.setdefault((rule.city, rule.item), []).append(rule)
    out: list[Rule] = []
    for versions in by_scope.values():
        versions.sort(key=lambda r: (r.effective_from, r.id))
        for this, following in zip(versions, [*versions[1:], None], strict=True):
            ends = this.effective_to
            if following is not None:
                day_before = following.effective_from - dt.timedelta(days=1)
                if following.effective_from == this.effective_from or (
                    ends is not None and ends > day_before
                ):
                    problems.append(
                        _where(following.file, following.id)
                        + _(
                            "与规则 %(other)s（%(file)s）的生效期间重叠：同一范围（%(scope)s）的%(item)s"
                            "同一天只能有一个版本生效，请给前一版本设置更早的 effective_to。"
                        )
                        % {
                            "other": this.id,
                            "file": this.file,
                            "scope": this.scope_label,
                            "item": item_label(this.item),
                        }
                    )
                if ends is None or ends > day_before:
                    ends = day_before
            out.append(replace(this, ends=ends))
    return out


@dataclass(frozen=True)
class RuleBook:
    """Every rule version known, and which is in force for a city on a day."""

    rules: tuple[Rule, ...]

    def cities(self) -> list[str]:
        return sorted({r.city for r in self.rules if r.city != NATIONAL})

    def city(self, name: str) -> str:
        """The city as the rules name it ("武汉市" is 武汉), or UnknownCity listing those that have rules."""
        cities = self.cities()
        wanted = (name or "").strip()
        for candidate in (wanted, wanted.removesuffix("市")):
            if candidate in cities:
                return candidate
        raise UnknownCity(
            _("暂无“%(city)s”的税费规则。已有规则的城市：%(cities)s。")
            % {"city": wanted[:30], "cities": join_list(cities) or _("无")},
            extra={"cities": cities},
        )

    def find(self, item: str, *, city: str, on: dt.date) -> Rule | None:
        """The city's version in force on ``on``, else the national one, else None."""
        for scope in (city, NATIONAL):
            for rule in self.rules:
                if rule.item == item and rule.city == scope and rule.in_force_on(on):
                    return rule
        return None

    def in_force(self, item: str, *, city: str, on: dt.date) -> Rule:
        rule = self.find(item, city=city, on=on)
        if rule is None:
            raise NoRuleInForce(
                _("%(date)s 没有生效的%(item)s规则（%(city)s），请检查日期或补充规则文件。")
                % {"date": _day(on), "item": item_label(item), "city": city or _("全国")}
            )
        return rule

    def all_in_force(self, *, city: str, on: dt.date) -> list[Rule]:
        """What a calculation for ``city`` on ``on`` would use, one version per item."""
        return [rule for item in ITEMS if (rule := self.find(item, city=city, on=on)) is not None]

    def versions(self, *, city: str | None = None) -> list[Rule]:
        """Every version (of one city and the nation when ``city`` is given), by scope, item and date."""
        chosen = [r for r in self.rules if city is None or r.city in (city, NATIONAL)]
        order = list(ITEMS)
        return sorted(chosen, key=lambda r: (r.city, order.index(r.item), r.effective_from))


def _day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def build(layers: list[list[tuple[list[Rule], list[str]]]]) -> RuleBook:
    """The rule book from layers of parsed files (packaged first, then overlays); later ids replace earlier."""
    problems: list[str] = []
    by_id: dict[str, Rule] = {}
    for layer in layers:
        layer_ids: dict[str, Rule] = {}
        for rules, file_problems in layer:
            problems += file_problems
            for rule in rules:
                if rule.id in layer_ids and layer_ids[rule.id].file != rule.file:
                    problems.append(
                        _where(rule.file, rule.id)
                        + _("id 与 %(file)s 中的规则重复。") % {"file": layer_ids[rule.id].file}
                    )
                layer_ids[rule.id] = rule
        by_id.update(layer_ids)
    rules = _with_ends(list(by_id.values()), problems)
    if problems:
        raise RuleFileError(problems)
    return RuleBook(rules=tuple(rules))


def _files(directory: Path) -> list[Path]:
    return sorted(directory.rglob("*.toml")) if directory.is_dir() else []


def overlay_dir() -> Path:
    return Path(settings.DATA_DIR) / OVERLAY_DIRNAME


def _name(path: Path, root: Path, prefix: str) -> str:
    return f"{prefix}{path.relative_to(root).as_posix()}"


def _parsed(root: Path, prefix: str, skip: Path | None = None) -> list[tuple[list[Rule], list[str]]]:
    return [
        parse_file(path, _name(path, root, prefix))
        for path in _files(root)
        if skip is None or path.resolve() != skip.resolve()
    ]


@functools.lru_cache(maxsize=4)
def _load(signature: tuple[tuple[str, int, int], ...], overlay: str) -> RuleBook:
    root = Path(overlay)
    return build([_parsed(PACKAGED_DIR, ""), _parsed(root, f"{OVERLAY_DIRNAME}/")])


def rule_book() -> RuleBook:
    """The rules in use now: read again whenever a file in the overlay directory changes."""
    root = overlay_dir()
    signature = tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in _files(root))
    return _load(signature, str(root))


def check_file(path: Path) -> RuleBook:
    """Check ``path`` on its own and as an overlay over the rules in use; RuleFileError if it would be refused."""
    rules, problems = parse_file(path, path.name)
    if problems:
        raise RuleFileError(problems)
    root = overlay_dir()
    return build([_parsed(PACKAGED_DIR, ""), [*_parsed(root, f"{OVERLAY_DIRNAME}/", skip=path), (rules, [])]])
