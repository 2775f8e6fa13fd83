"""Install what the tests need and pip cannot: Debian's Chromium and axe-core (npm registry) for the browser
tests, LibreOffice (Writer and Calc, without their GUI) and poppler-utils for the tests that open the final-report
documents and read the PDF they print.

Run by the README's test command before pytest. It never fails that command: what cannot be installed on
this machine is said here, and those tests then report themselves skipped with the reason
(or fail, under CI=true, where a missing tool is an error).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
AXE_PACKAGE = HERE / "node_modules" / "axe-core" / "package.json"
# Debian packages that give `soffice` (Writer for .docx, Calc for .xlsx, no GUI) and `pdftotext`/`pdfinfo`/`pdftoppm`.
OFFICE_PACKAGES = ["libreoffice-writer-nogui", "libreoffice-calc-nogui", "poppler-utils"]


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


def _tool(variable: str, name: str) -> str | None:
    chosen = os.environ.get(variable)
    if chosen:
        return chosen if Path(chosen).exists() else None
    return shutil.which(name)


def soffice() -> str | None:
    """LibreOffice's command line, which opens a .docx or .xlsx and prints it to PDF; $IAEDASH_SOFFICE names
    another executable."""
    return _tool("IAEDASH_SOFFICE", "soffice")


def pdftotext() -> str | None:
    """poppler's pdftotext (pdfinfo and pdftoppm are beside it, same package); $IAEDASH_PDFTOTEXT names another."""
    return _tool("IAEDASH_PDFTOTEXT", "pdftotext")


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


_updated: list[bool] = []  # apt-get update runs at most once per prepare


def _apt_install(what: str, packages: list[str], *, recommends: bool = False) -> str | None:
    """None once installed; else why not. Waits for another apt-get (another checkout preparing) to finish."""
    if not shutil.which("apt-get"):
        return f"{what}: missing, and no apt-get on this machine to install it"
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    if sudo and not shutil.which("sudo"):
        return f"{what}: missing, and installing it needs root (apt-get install {' '.join(packages)})"
    apt = [*sudo, "apt-get", "-o", "DPkg::Lock::Timeout=600"]
    if not _updated:
        if not _run([*apt, "update", "-qq"]):
            return f"{what}: missing, apt-get update failed (see above)"
        _updated.append(True)
    if not _run([*apt, "install", "-y", "-qq", *([] if recommends else ["--no-install-recommends"]), *packages]):
        return f"{what}: missing, apt-get install {' '.join(packages)} failed (see above)"
    return None


def install_chromium() -> str:
    if chromium():
        return f"Chromium: {chromium()}"
    failed = _apt_install("Chromium", ["chromium"], recommends=True)
    return failed or f"Chromium: installed ({chromium()})"


def install_axe() -> str:
    if axe_script():
        return f"axe-core {_installed_axe()}: already installed"
    npm = shutil.which("npm")
    if not npm:
        return "axe-core: missing, and no npm on this machine to install it"
    if _run([npm, "ci", "--prefix", str(HERE), "--no-audit", "--no-fund", "--loglevel=error"]) and axe_script():
        return f"axe-core {_installed_axe()}: installed from the npm registry"
    return "axe-core: npm ci failed (see above)"


def install_office() -> str:
    if soffice() and pdftotext():
        return f"LibreOffice and poppler: {soffice()}, {pdftotext()}"
    started = time.monotonic()
    failed = _apt_install("LibreOffice and poppler", OFFICE_PACKAGES)
    if failed:
        return failed
    if not (soffice() and pdftotext()):
        return "LibreOffice and poppler: installed, yet soffice or pdftotext is still not found"
    return f"LibreOffice and poppler: installed in {time.monotonic() - started:.0f} s ({soffice()}, {pdftotext()})"


def main() -> None:
    print("Browser and document tests: checking their tools", flush=True)
    for install in (install_chromium, install_axe, install_office):
        print("  " + install(), flush=True)


if __name__ == "__main__":
    main()
