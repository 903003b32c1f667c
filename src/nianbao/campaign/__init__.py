"""The collection campaign: a workspace, its roster, the ledger of returns, the board and the roll-up."""
