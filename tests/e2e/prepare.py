"""Install what the browser tests need and pip cannot: Debian's Chromium and axe-core (npm registry).

Run by the README's test command before pytest. It never fails that command: what cannot be installed on
this machine is said here, and the browser tests then report themselves skipped with the reason
(or fail, under CI=true, where a missing browser is an error).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
AXE_PACKAGE = HERE / "node_modules" / "axe-core" / "package.json"


def chromium() -> str | None:
    """The system Chromium Playwright is told to use (it cannot download its own browser here);
    $IAEDASH_CHROMIUM names another executable."""
    chosen = os.environ.get("IAEDASH_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).exists() else None
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def axe_script() -> Path | None:
    """axe-core's browser bundle, when the locked version is installed."""
    return AXE_PACKAGE.parent / "axe.min.js" if _installed_axe() == _locked_axe() else None


def _locked_axe() -> str:
    lock = json.loads((HERE / "package-lock.json").read_text(encoding="utf-8"))
    return lock["packages"]["node_modules/axe-core"]["version"]


def _installed_axe() -> str | None:
    if not AXE_PACKAGE.exists():
        return None
    return json.loads(AXE_PACKAGE.read_text(encoding="utf-8"))["version"]


def _run(command: list[str]) -> bool:
    print("  $", " ".join(command), flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(command, env=env, check=False).returncode == 0


def install_chromium() -> str:
    if chromium():
        return f"Chromium: {chromium()}"
    if not shutil.which("apt-get"):
        return "Chromium: missing, and no apt-get on this machine to install it"
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    if sudo and not shutil.which("sudo"):
        return "Chromium: missing, and installing it needs root (apt-get install chromium)"
    if _run([*sudo, "apt-get", "update", "-qq"]) and _run([*sudo, "apt-get", "install", "-y", "-qq", "chromium"]):
        return f"Chromium: installed ({chromium()})"
    return "Chromium: missing, apt-get install chromium failed (see above)"


def install_axe() -> str:
    if axe_script():
        return f"axe-core {_installed_axe()}: already installed"
    npm = shutil.which("npm")
    if not npm:
        return "axe-core: missing, and no npm on this machine to install it"
    if _run([npm, "ci", "--prefix", str(HERE), "--no-audit", "--no-fund", "--loglevel=error"]) and axe_script():
        return f"axe-core {_installed_axe()}: installed from the npm registry"
    return "axe-core: npm ci failed (see above)"


def main() -> None:
    print("Browser tests: checking their tools", flush=True)
    for line in (install_chromium(), install_axe()):
        print("  " + line, flush=True)


if __name__ == "__main__":
    main()
