"""A real OpenID Connect provider for the sign-in tests, and an iaedash server that signs in through it.

oidc-provider-mock (a Flask app implementing OpenID Connect) runs on a free loopback port in this process;
the app reaches it as the Département's directory would be reached, through `st.login` and Authlib.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import oidc_provider_mock
import werkzeug.serving
from server import ROOT, App, running_app

ACCESS_FILE = ROOT / "tests" / "data" / "acces.toml"

# The provider's accounts: sub → (e-mail, name). tests/data/acces.toml gives each address its role;
# « inconnu » is in no entry of it.
USERS = {
    "gestionnaire": ("gestionnaire@pasdecalais.fr", "Dominique Leroy"),
    "analyste": ("analyste@pasdecalais.fr", "Alex Martin"),
    "lecteur": ("lecteur@pasdecalais.fr", "Lou Bernard"),
    "cabm": ("contact@reseau-cabm.fr", "Camille Petit"),
    "inconnu": ("inconnu@exemple.org", "Claude Inconnu"),
}


@dataclass
class Provider:
    """The running provider: its issuer address."""

    base: str

    def put_user(self, sub: str, email: str, name: str) -> None:
        request = urllib.request.Request(
            f"{self.base}/users/{sub}",
            data=json.dumps({"email": email, "name": name, "email_verified": True}).encode(),
            method="PUT",
            headers={"Content-Type": "application/json"},
        )
        assert urllib.request.urlopen(request, timeout=5).status == 204


@contextmanager
def running_provider() -> Iterator[Provider]:
    """On 127.0.0.1 (not « localhost »: the browser tests resolve no host name but the loopback address)."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = werkzeug.serving.make_server("127.0.0.1", 0, oidc_provider_mock.app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    provider = Provider(f"http://127.0.0.1:{server.server_port}")
    try:
        for sub, (email, name) in USERS.items():
            provider.put_user(sub, email, name)
        yield provider
    finally:
        server.shutdown()


def write_secrets(folder: Path, port: int, provider: Provider) -> Path:
    """The `[auth]` section a team deployment writes in .streamlit/secrets.toml, for this test server."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "secrets.toml"
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "iaedash-tests"\n'
        'client_secret = "secret-de-test"\n'
        f'server_metadata_url = "{provider.base}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    return path


@contextmanager
def signed_app(
    db: Path, log: Path, provider: Provider, folder: Path, app_dir: Path = ROOT, access: Path = ACCESS_FILE
) -> Iterator[App]:
    """`streamlit run app.py` with sign-in on: its secrets file outside the project (`--secrets.files`)."""

    def secrets_args(port: int) -> list[str]:
        return ["--secrets.files", str(write_secrets(folder, port, provider))]

    with running_app(db, log, app_dir, env={"IAEDASH_ACCES": str(access)}, port_args=secrets_args) as app:
        yield app
