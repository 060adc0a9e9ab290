import sys

from incubo_analysis.cli import main

sys.exit(main())
