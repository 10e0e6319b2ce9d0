"""Platform-neutral use cases: a Request and the Services in, Replies out."""
