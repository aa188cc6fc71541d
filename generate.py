"""`python generate.py …` does what the `handouts` command does (the same Click app)."""

from handouts.cli import main

if __name__ == "__main__":
    main()
