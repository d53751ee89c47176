"""``python -m sanctionwatch``: the command line."""

from sanctionwatch.cli import main

main()
