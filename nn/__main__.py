"""`python -m nn ...`: see nn/cli.py. Ctrl-C while the modules load still ends quietly (exit 130)."""

import sys

try:
    from nn.cli import main
except KeyboardInterrupt:
    print("interrupted", file=sys.stderr)
    raise SystemExit(130) from None

raise SystemExit(main())
