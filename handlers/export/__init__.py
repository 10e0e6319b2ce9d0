"""Blog export: which papers of a day go into a post, summarized condensed and full."""
