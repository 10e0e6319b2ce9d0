"""Operations: logging setup, in-process metrics and component status, the /healthz server."""
