"""The `paperbot` command line: the parser in `main`, one module per subcommand."""
