"""Make sure Debian's Chromium is present for the browser tests (never `playwright install`).

As root, installs `chromium` and `fonts-dejavu-core` with apt-get when missing;
otherwise prints exactly what to install and exits 1.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
PACKAGES = ["chromium", "fonts-dejavu-core"]


def main():
    fonts = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if CHROMIUM.is_file() and fonts.is_file():
        print(f"chromium: {CHROMIUM}")
        return 0
    if os.geteuid() != 0:
        print(f"Browser tests need Debian's Chromium at {CHROMIUM} and DejaVu fonts. Install them with:\n"
              f"    sudo apt-get install -y {' '.join(PACKAGES)}", file=sys.stderr)
        return 1
    if shutil.which("apt-get") is None:
        print(f"apt-get not found: install {' '.join(PACKAGES)} with this system's package manager", file=sys.stderr)
        return 1
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    print(f"installing {' '.join(PACKAGES)} with apt-get ...", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *PACKAGES], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    if not CHROMIUM.is_file():
        print(f"apt-get finished but {CHROMIUM} is still missing", file=sys.stderr)
        return 1
    print(f"chromium: {CHROMIUM}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
