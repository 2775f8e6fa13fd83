import sys

from iaedash.cli import main

sys.exit(main())
