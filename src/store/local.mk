# src/store/local.mk -- the store layer.
