#!/usr/bin/env python3
"""Build the International Relations Department site: `python build.py --help`."""

import os
import sys
from pathlib import Path

from sitegen.cli import main

if __name__ == "__main__":
    status = main(root=Path(__file__).resolve().parent)
    # Everything is written and closed by now; a large site's objects need not be
    # taken apart one by one (a second at ten thousand pages) before the process ends.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
