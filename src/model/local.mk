# src/model/local.mk -- the model layer.
