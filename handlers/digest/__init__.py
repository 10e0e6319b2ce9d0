"""The daily digest: due chats, announcements, matching, summaries, the ledger and delivery."""
