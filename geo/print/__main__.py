"""`python -m geo.print`: the map-image command line (geo.print.render.main)."""

import sys

from geo.print.render import main

sys.exit(main())
