"""``anju token create USERNAME [--name NAME]``, ``anju token list USERNAME``, ``anju token revoke ID``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from anju.core.errors import ApplicationError
from anju.org.models import ApiToken
from anju.org.services import token_create, token_revoke


class Command(BaseCommand):
    help = "管理个人 API 令牌。"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="为用户创建令牌（只显示一次）")
        create.add_argument("username")
        create.add_argument("--name", default="命令行创建")
        listing = sub.add_parser("list", help="列出用户的令牌")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="吊销令牌")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "revoke":
            token = ApiToken.objects.filter(pk=options["token_id"]).first()
            if token is None:
                raise CommandError(f"没有编号为 {options['token_id']} 的令牌。")
            token_revoke(token=token)
            self.stdout.write(f"已吊销令牌 {token}")
            return
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"没有用户名为“{options['username']}”的用户。")
        if action == "list":
            for t in ApiToken.objects.filter(user=user).order_by("id"):
                state = "已吊销" if t.revoked_at else "有效"
                self.stdout.write(f"{t.pk}\t{t.prefix}…\t{t.name}\t{state}")
            return
        try:
            _token, raw = token_create(user=user, name=options["name"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(raw)
        self.stderr.write("请妥善保存此令牌：它只显示这一次。用法：Authorization: Bearer <令牌>")
