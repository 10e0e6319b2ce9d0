"""On-demand summaries: a link or id in a chat (or `/paper`) in, a checked summary reply out."""
