"""``python -m nianbao``: the command line.

The guard matters under the ``spawn`` start method (Windows): each worker of ``ingest --jobs N``
imports this module again as ``__mp_main__``, and must not run the command a second time.
"""

from nianbao.cli import main

if __name__ == "__main__":
    main()
