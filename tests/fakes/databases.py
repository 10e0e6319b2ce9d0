"""pytest plugin: databases fixtures (filled in by its owner)."""
