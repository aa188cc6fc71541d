"""`python -m handouts`: the same command as `handouts`."""

from handouts.cli import main

main()
