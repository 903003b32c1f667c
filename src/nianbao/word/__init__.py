"""The finished annual report as a Word document (GB/T 9704): ``report.write_report``."""
