"""Deploy check and security headers with the production settings of the README (served over HTTPS
behind a TLS proxy): ``anju check --deploy`` is clean; pages carry the Content-Security-Policy,
HSTS, a Referrer-Policy and secure cookies; probes on the plain port are not redirected.

The settings are read once per process, so the production ones are loaded in a process of their own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

import pytest
from django.test import Client as HttpClient

PROBE = """
import io, json
import django
django.setup()
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
out = io.StringIO()
try:
    call_command("check", "--deploy", "--fail-level", "WARNING", stdout=out, stderr=out)
    check = "clean"
except SystemCheckError as exc:
    check = str(exc)
client = Client(HTTP_HOST="anju.example.com")
page = client.get("/login/", secure=True, headers={"X-Forwarded-Proto": "https"})
plain = client.get("/login/")
probe = client.get("/healthz")
print(json.dumps({
    "check": check + out.getvalue(),
    "headers": dict(page.headers),
    "cookies": {name: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"])} for name, c in page.cookies.items()},
    "plain": [plain.status_code, plain.headers.get("Location", "")],
    "probe": probe.status_code,
}))
"""


@pytest.fixture(scope="module")
def production() -> dict:
    """What a process configured as the README's production outline says and answers."""
    data_dir = tempfile.mkdtemp(prefix="anju-prod-")
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        "DJANGO_SETTINGS_MODULE": "anju.settings",
        "ANJU_DATA_DIR": data_dir,
        "DATABASE_URL": f"sqlite:///{data_dir}/anju.sqlite3",
        "SECRET_KEY": "k" * 20 + "-production-only-9f3a7c1e5b2d8064aa71c3e9d0b5f6",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "anju.example.com",
        "CSRF_TRUSTED_ORIGINS": "https://anju.example.com",
        "ANJU_SECURE_COOKIES": "true",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=environment, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_deploy_check_is_clean_with_the_production_settings(production):
    assert production["check"].startswith("clean"), production["check"]


def test_https_pages_carry_hsts_and_plain_http_is_redirected_except_probes(production):
    assert production["headers"]["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    status, location = production["plain"]
    assert status == 301
    assert location == "https://anju.example.com/login/"
    assert production["probe"] == 200  # a load balancer's probe on the plain port


def test_cookies_are_secure_over_https(production):
    assert production["cookies"]["csrftoken"]["secure"] is True


def test_pages_send_the_referrer_policy_and_the_csp(production):
    headers = production["headers"]
    assert headers["Referrer-Policy"] == "same-origin"
    policy = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'"  # no inline script, no eval
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"


def test_no_template_has_an_inline_script_or_handler():
    """The CSP allows no inline script; a new page that adds one fails here before it fails in a browser."""
    import re
    from pathlib import Path

    import anju

    templates = Path(anju.__file__).parent.rglob("templates/**/*.html")
    offenders = []
    for template in templates:
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(
            r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|\son[a-z]+=\"", text
        ):
            offenders.append(f"{template.name}: {match.group(0).strip()}")
    assert offenders == []
    # (positive control: the pattern finds what it is meant to find)
    assert re.search(r"\son[a-z]+=\"", '<button onclick="x()">')


def test_the_development_server_sends_the_csp_too(db):
    # the test process runs the default settings: the policy is not a production-only switch
    response = HttpClient().get("/login/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "same-origin"
