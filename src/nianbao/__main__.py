"""``python -m nianbao``: the command line.

Guarded, so that importing this module (as a ``spawn`` worker of ``ingest --jobs N`` may import its
parent's main module) never runs a command.
"""

from nianbao.cli import main

if __name__ == "__main__":
    main()
