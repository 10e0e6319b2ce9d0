"""Persistence: the only package importing sqlmodel (tables, engine, repositories, migrations)."""
