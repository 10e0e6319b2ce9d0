"""Topic subscriptions: parsing what users type into topics, and the `/sub` family of commands."""
