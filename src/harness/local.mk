# src/harness/local.mk -- the harness layer.
