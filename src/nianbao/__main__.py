"""``python -m nianbao``: the ``nianbao`` command line."""

from nianbao.cli import main

if __name__ == "__main__":
    main()
