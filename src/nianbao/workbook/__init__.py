"""The Excel workbook a unit fills in: written by ``writer``, read back by ``reader``."""
