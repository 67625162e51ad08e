# src/wire/local.mk -- the wire layer.
