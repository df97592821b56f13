"""Dash pages: each module registers itself and builds its layout in a function."""
