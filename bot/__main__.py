"""`python -m bot`: the admin CLI."""

import sys

from bot.cli import main

sys.exit(main())
