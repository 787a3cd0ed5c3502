"""The pure trading domain: standard library and Decimal only, no I/O."""
