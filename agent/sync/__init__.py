"""Keep agent branches current: rebase onto the moved base, re-check, push or BLOCK."""
