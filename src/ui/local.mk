# src/ui/local.mk -- the ui layer.
