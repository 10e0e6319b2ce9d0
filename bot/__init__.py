"""Startup and platforms: the only package importing telegram, discord and apscheduler."""
