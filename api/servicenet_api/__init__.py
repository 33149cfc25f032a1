"""HTTP facade of servicenet-vocab."""
