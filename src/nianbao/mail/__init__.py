"""Mail: send every unit its workbook, fetch the returns from the mailbox, send feedback and reminders.

``settings`` (the workspace's mail settings, the password from the environment or the terminal),
``compose`` (messages from the editable template), ``send`` (SMTP or .eml files), ``fetch`` (IMAP),
``parts`` (workbook attachments out of any message), ``eml`` (.eml and Outlook .msg files in inbox/),
``store`` (the ledger's mail tables).
"""
