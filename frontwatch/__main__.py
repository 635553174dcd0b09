"""`python -m frontwatch`."""

from .cli import main

main()
