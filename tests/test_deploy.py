"""Secure deployment: production mode's `check --deploy`, the security headers of every page, the
secret key file's mode, and the staff password policy."""

import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
# `check` reads the settings without connecting to the database or to Redis.
PRODUCTION = {
    "ARCHIVE_PRODUCTION": "1",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "petitions.example.org",
    "REDIS_URL": "redis://127.0.0.1:6399/0",
    "ARCHIVE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
    "DATABASE_URL": "postgres://archive@127.0.0.1:5999/archive",
}


def manage(*args: str, **environment: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ARCHIVE_"))}
    env.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**env, **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production_mode():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_outside_production_mode():
    local = {k: v for k, v in PRODUCTION.items() if k != "ARCHIVE_PRODUCTION"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **local)
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_ALLOWED_HOSTS", "needs DJANGO_ALLOWED_HOSTS"),
    ],
)
def test_production_mode_refuses_what_it_cannot_default(missing, message):
    environment = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", "--deploy", **environment)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_mode_runs_without_redis():
    """One server without Redis: its rate-limit counters are per process, and it still runs."""
    environment = {k: v for k, v in PRODUCTION.items() if k != "REDIS_URL"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **environment)
    assert result.returncode == 0, result.stderr


def test_production_mode_refuses_debug():
    result = manage("check", **PRODUCTION, DJANGO_DEBUG="1")
    assert result.returncode != 0
    assert "DJANGO_DEBUG=1 cannot be used with ARCHIVE_PRODUCTION=1" in result.stderr


def test_rate_limits_off_with_archive_ratelimit_0():
    show = "from django.conf import settings; print(settings.RATELIMIT_ENABLE)"
    database = {"DATABASE_URL": PRODUCTION["DATABASE_URL"]}
    assert manage("shell", "-c", show, **database).stdout.split()[-1] == "True"
    off = manage("shell", "-c", show, ARCHIVE_RATELIMIT="0", **database)
    assert off.stdout.split()[-1] == "False"


def test_the_secret_key_file_is_written_for_its_owner_only(tmp_path):
    umask = os.umask(0o022)  # a usual umask: files readable by everyone
    try:
        result = subprocess.run(
            ["make", "-f", str(ROOT / "Makefile"), "-C", str(tmp_path), ".secret-key"],
            env={**os.environ, "PYTHON": sys.executable},
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        os.umask(umask)
    assert result.returncode == 0, result.stderr
    key_file = tmp_path / ".secret-key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_text().strip()) >= 50


def directives(policy):
    """The policy's directives by name: django-csp does not promise their order."""
    named = (part.strip().split(None, 1) for part in policy.split(";") if part.strip())
    return {name: (values[0] if values else "") for name, *values in named}


@pytest.mark.parametrize("path", ["/", "/petitions/", "/fr/", "/fr/petitions/", "/about/data/"])
def test_public_pages_carry_the_security_headers(client, db, settings, path):
    settings.ARCHIVE_PAGE_CACHE = True
    for response in (client.get(path), client.get(path)):  # rendered, then from the page cache
        assert response.status_code == 200
        policy = response.headers["Content-Security-Policy"]
        assert directives(policy)["default-src"] == "'self'"
        assert directives(policy)["script-src"] == "'self'"
        assert directives(policy)["style-src"] == "'self'"
        assert "unsafe" not in policy
        assert "camera=()" in response.headers["Permissions-Policy"]
        assert "geolocation=()" in response.headers["Permissions-Policy"]
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_staff_pages_allow_inline_styles_but_never_inline_scripts(client, db):
    policy = directives(client.get("/admin/login/").headers["Content-Security-Policy"])
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self' 'unsafe-inline'"


def test_staff_passwords_have_at_least_12_characters():
    with translation.override("en"), pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Vx7#kq2!mZp")  # 11
    validate_password("Vx7#kq2!mZp4")  # 12: accepted
