# bench/local.mk -- benchmark scripts (run by hand, never by make check).
