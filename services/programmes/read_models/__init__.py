"""The folds programmes' queries answer from: figures per programme, learning records, the catalogue's ids."""
