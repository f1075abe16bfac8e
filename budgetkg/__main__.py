"""`python -m budgetkg` runs the CLI."""

from budgetkg.cli import main

main()
