"""`python -m nn ...`: see nn/cli.py."""

from nn.cli import main

raise SystemExit(main())
